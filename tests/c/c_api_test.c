/* Exercises every function of vqsearch/c_api.h from C: results against exact search
 * computed here, and every error path (NULL arguments, bad specs, wrong dimensions,
 * k <= 0, search before train, missing and corrupt files). Prints each failed check
 * and exits non-zero when any failed. */

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "vqsearch/c_api.h"

static int failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                          \
    }                                                                      \
  } while (0)

/* Expects `call` to return `expected`; prints the last error when it does not. */
#define EXPECT_STATUS(expected, call)                                            \
  do {                                                                           \
    vqs_status got_ = (call);                                                    \
    if (got_ != (expected)) {                                                    \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (last error: %s)\n",   \
              __FILE__, __LINE__, #call, vqs_status_name(got_),                  \
              vqs_status_name(expected), vqs_last_error());                      \
      ++failures;                                                                \
    }                                                                            \
  } while (0)

#define EXPECT_OK(call) EXPECT_STATUS(VQS_OK, call)

enum { kDim = 16, kNumBase = 2000, kNumQueries = 25, kK = 10, kNlist = 16 };

static float base[kNumBase * kDim];
static float queries[kNumQueries * kDim];
/* Exact neighbours by brute force, computed in this file. */
static int64_t exact_ids[kNumQueries * kK];
static float exact_distances[kNumQueries * kK];
static char temp_dir[512];

/* A fixed linear congruential sequence in [-1, 1), so the test needs no seeding. */
static float NextRandom(void) {
  static uint64_t state = 42;
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (float)((state >> 40) & 0xFFFFFF) / (float)0x800000 - 1.0f;
}

static double SquaredL2(const float* a, const float* b) {
  double sum = 0.0;
  for (int i = 0; i < kDim; ++i) {
    const double d = (double)a[i] - (double)b[i];
    sum += d * d;
  }
  return sum;
}

/* The k nearest base vectors of every query among those numbered [begin, end), by
 * insertion into a sorted list. */
static void BruteForce(int64_t begin, int64_t end) {
  for (int q = 0; q < kNumQueries; ++q) {
    double best[kK];
    int64_t* ids = exact_ids + q * kK;
    for (int j = 0; j < kK; ++j) {
      best[j] = INFINITY;
      ids[j] = -1;
    }
    for (int64_t i = begin; i < end; ++i) {
      const double d = SquaredL2(queries + q * kDim, base + i * kDim);
      if (d >= best[kK - 1]) continue;
      int j = kK - 1;
      while (j > 0 && best[j - 1] > d) {
        best[j] = best[j - 1];
        ids[j] = ids[j - 1];
        --j;
      }
      best[j] = d;
      ids[j] = i;
    }
    for (int j = 0; j < kK; ++j) exact_distances[q * kK + j] = (float)best[j];
  }
}

static void TempPath(char* path, size_t size, const char* name) {
  snprintf(path, size, "%s/%s", temp_dir, name);
}

/* Whether (ids, distances) equal the exact results: same ids, distances within float
 * rounding. */
static int EqualsExact(const int64_t* ids, const float* distances) {
  for (int i = 0; i < kNumQueries * kK; ++i) {
    if (ids[i] != exact_ids[i]) return 0;
    if (fabsf(distances[i] - exact_distances[i]) > 1e-4f * (1.0f + exact_distances[i])) return 0;
  }
  return 1;
}

static vqs_index* BuildIndex(const char* spec, const int64_t* ids) {
  vqs_index* index = NULL;
  EXPECT_OK(vqs_index_create(spec, kDim, VQS_METRIC_L2, &index));
  if (index == NULL) return NULL;
  EXPECT_OK(vqs_index_train(index, base, kNumBase, NULL));
  EXPECT_OK(vqs_index_add(index, base, kNumBase, ids, NULL));
  return index;
}

static void TestStatusAndMetrics(void) {
  CHECK(strcmp(vqs_status_name(VQS_OK), "OK") == 0);
  CHECK(strcmp(vqs_status_name(VQS_DATA_LOSS), "DATA_LOSS") == 0);
  CHECK(strcmp(vqs_status_name((vqs_status)99), "UNKNOWN") == 0);
  CHECK(strcmp(vqs_status_name((vqs_status)-3), "UNKNOWN") == 0);

  /* The active ISA is one of the three names, and the cap from the environment when the
   * test runs under one the CPU supports (a cap never raises it past "scalar"). */
  const char* isa = vqs_active_isa();
  CHECK(strcmp(isa, "scalar") == 0 || strcmp(isa, "avx2") == 0 || strcmp(isa, "avx512") == 0);
  const char* forced = getenv("VQSEARCH_ISA");
  if (forced != NULL && strcmp(forced, "scalar") == 0) CHECK(strcmp(isa, "scalar") == 0);

  vqs_metric metric = VQS_METRIC_L2;
  EXPECT_OK(vqs_metric_from_name("angular", &metric));
  CHECK(metric == VQS_METRIC_COSINE);
  EXPECT_OK(vqs_metric_from_name("IP", &metric));
  CHECK(metric == VQS_METRIC_INNER_PRODUCT);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_metric_from_name("manhattan", &metric));
  CHECK(strstr(vqs_last_error(), "manhattan") != NULL);
  CHECK(strstr(vqs_last_error(), "vqs_metric_from_name") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_metric_from_name(NULL, &metric));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_metric_from_name("l2", NULL));
  CHECK(strcmp(vqs_metric_name(VQS_METRIC_COSINE), "cosine") == 0);
  /* Out-of-range enum values are read as integers: any int C can pass is safe. */
  CHECK(strcmp(vqs_metric_name((vqs_metric)7), "unknown") == 0);
  CHECK(strcmp(vqs_metric_name((vqs_metric)-1), "unknown") == 0);
  CHECK(strcmp(vqs_metric_name((vqs_metric)INT_MAX), "unknown") == 0);
}

static void TestCreateErrors(void) {
  vqs_index* index = NULL;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("IVF,Flat", kDim, VQS_METRIC_L2, &index));
  CHECK(strstr(vqs_last_error(), "IVF") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("Flat", 0, VQS_METRIC_L2, &index));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("Flat", -3, VQS_METRIC_L2, &index));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("Flat", kDim, (vqs_metric)9, &index));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("Flat", kDim, (vqs_metric)-5, &index));
  CHECK(strstr(vqs_last_error(), "unknown metric value -5") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create(NULL, kDim, VQS_METRIC_L2, &index));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("Flat", kDim, VQS_METRIC_L2, NULL));
  /* PQ sub-spaces must divide the dimension. */
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_create("IVF4,PQ5", kDim, VQS_METRIC_L2, &index));
  CHECK(index == NULL);
  vqs_index_free(NULL);
}

static void TestFlatMatchesBruteForce(void) {
  vqs_index* index = BuildIndex("Flat", NULL);
  if (index == NULL) return;
  int64_t ids[kNumQueries * kK];
  float distances[kNumQueries * kK];
  EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, NULL, distances, ids));
  CHECK(EqualsExact(ids, distances));

  int64_t size = 0;
  int dim = 0;
  vqs_metric metric = VQS_METRIC_COSINE;
  const char* spec = NULL;
  int trained = 0;
  size_t memory = 0;
  EXPECT_OK(vqs_index_size(index, &size));
  EXPECT_OK(vqs_index_dim(index, &dim));
  EXPECT_OK(vqs_index_metric(index, &metric));
  EXPECT_OK(vqs_index_spec(index, &spec));
  EXPECT_OK(vqs_index_is_trained(index, &trained));
  EXPECT_OK(vqs_index_memory_usage(index, &memory));
  CHECK(size == kNumBase);
  CHECK(dim == kDim);
  CHECK(metric == VQS_METRIC_L2);
  CHECK(spec != NULL && strcmp(spec, "Flat") == 0);
  CHECK(trained == 1);
  CHECK(memory >= sizeof(float) * kDim * kNumBase);

  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_size(NULL, &size));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_size(index, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_dim(index, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_metric(NULL, &metric));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_spec(index, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_is_trained(NULL, &trained));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_memory_usage(index, NULL));
  vqs_index_free(index);
}

static void TestSearchErrors(void) {
  vqs_index* index = NULL;
  EXPECT_OK(vqs_index_create("IVF16,Flat", kDim, VQS_METRIC_L2, &index));
  if (index == NULL) return;
  int64_t ids[kNumQueries * kK];
  float distances[kNumQueries * kK];
  int trained = 1;
  EXPECT_OK(vqs_index_is_trained(index, &trained));
  CHECK(trained == 0);
  EXPECT_STATUS(VQS_FAILED_PRECONDITION,
                vqs_index_search(index, queries, kNumQueries, kK, NULL, distances, ids));
  EXPECT_STATUS(VQS_FAILED_PRECONDITION, vqs_index_add(index, base, kNumBase, NULL, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_train(NULL, base, kNumBase, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_train(index, NULL, kNumBase, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_train(index, base, -1, NULL));
  EXPECT_OK(vqs_index_train(index, base, kNumBase, NULL));
  /* Searching a trained but empty index is a precondition failure too. */
  EXPECT_STATUS(VQS_FAILED_PRECONDITION,
                vqs_index_search(index, queries, kNumQueries, kK, NULL, distances, ids));
  EXPECT_OK(vqs_index_add(index, base, kNumBase, NULL, NULL));
  /* Training after adding is refused. */
  EXPECT_STATUS(VQS_FAILED_PRECONDITION, vqs_index_train(index, base, kNumBase, NULL));

  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(index, queries, kNumQueries, 0, NULL, distances, ids));
  CHECK(strstr(vqs_last_error(), "k") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(index, queries, kNumQueries, -5, NULL, distances, ids));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(NULL, queries, kNumQueries, kK, NULL, distances, ids));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(index, NULL, kNumQueries, kK, NULL, distances, ids));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(index, queries, kNumQueries, kK, NULL, NULL, ids));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_index_search(index, queries, kNumQueries, kK, NULL, distances, NULL));

  float bad_query[kDim] = {0};
  bad_query[3] = NAN;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_search(index, bad_query, 1, kK, NULL, distances, ids));
  /* Ids are given on every add or on none. */
  const int64_t one_id = 7;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_add(index, base, 1, &one_id, NULL));
  vqs_index_free(index);
}

static void TestSearchParams(void) {
  vqs_search_params* params = NULL;
  EXPECT_OK(vqs_search_params_create(&params));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_create(NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set(params, "nprobes", 4));
  CHECK(strstr(vqs_last_error(), "nprobes") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set(params, "nprobe", 0));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set(params, NULL, 1));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set(NULL, "nprobe", 1));
  EXPECT_OK(vqs_search_params_set(params, "nprobe", kNlist));
  EXPECT_OK(vqs_search_params_set(params, "num_threads", 2));

  /* Probing every list visits every vector: IVF equals exact search. */
  vqs_index* ivf = BuildIndex("IVF16,Flat", NULL);
  int64_t ids[kNumQueries * kK];
  float distances[kNumQueries * kK];
  if (ivf != NULL) {
    EXPECT_OK(vqs_index_search(ivf, queries, kNumQueries, kK, params, distances, ids));
    CHECK(EqualsExact(ids, distances));
    /* One probe finds fewer of the true neighbours: nprobe reaches the index. */
    vqs_search_params* one_probe = NULL;
    EXPECT_OK(vqs_search_params_create(&one_probe));
    EXPECT_OK(vqs_search_params_set(one_probe, "nprobe", 1));
    EXPECT_OK(vqs_index_search(ivf, queries, kNumQueries, kK, one_probe, distances, ids));
    CHECK(!EqualsExact(ids, distances));
    vqs_search_params_free(one_probe);
    vqs_index_free(ivf);
  }

  /* Re-ranking every stored vector exactly makes a PQ index exact as well. */
  vqs_index* refined = BuildIndex("IVF16,PQ4,Refine(Flat)", NULL);
  if (refined != NULL) {
    EXPECT_OK(vqs_search_params_set(params, "refine_factor", kNumBase / kK));
    EXPECT_OK(vqs_index_search(refined, queries, kNumQueries, kK, params, distances, ids));
    CHECK(EqualsExact(ids, distances));
    vqs_index_free(refined);
  }
  /* So does re-ranking every vector of 1-bit RaBitQ codes (a codec reached by its spec alone). */
  vqs_index* rabitq = BuildIndex("IVF16,RaBitQ1,Refine(Flat)", NULL);
  if (rabitq != NULL) {
    EXPECT_OK(vqs_index_search(rabitq, queries, kNumQueries, kK, params, distances, ids));
    CHECK(EqualsExact(ids, distances));
    vqs_index_free(rabitq);
  }
  /* And the fast-scan RaBitQ codes, with 16-bit tables. */
  vqs_index* rabitq_fs = BuildIndex("IVF16,RaBitQ1fs16,Refine(Flat)", NULL);
  if (rabitq_fs != NULL) {
    EXPECT_OK(vqs_index_search(rabitq_fs, queries, kNumQueries, kK, params, distances, ids));
    CHECK(EqualsExact(ids, distances));
    vqs_index_free(rabitq_fs);
  }

  /* A parameter the index does not take is an error naming it and what the index takes;
   * the list of what it takes has names, defaults and ranges. */
  vqs_index* ivf_flat = BuildIndex("IVF16,Flat", NULL);
  if (ivf_flat != NULL) {
    EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                  vqs_index_search(ivf_flat, queries, kNumQueries, kK, params, distances, ids));
    CHECK(strstr(vqs_last_error(), "refine_factor does not apply") != NULL);
    CHECK(strstr(vqs_last_error(), "takes num_threads, nprobe") != NULL);
    int count = 0;
    EXPECT_OK(vqs_index_search_param_count(ivf_flat, &count));
    CHECK(count == 2);
    vqs_search_param_info info;
    EXPECT_OK(vqs_index_search_param(ivf_flat, 1, &info));
    CHECK(strcmp(info.name, "nprobe") == 0 && info.default_value == 16 && info.min_value == 1);
    CHECK(strlen(info.description) > 0);
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_search_param(ivf_flat, 2, &info));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_search_param(ivf_flat, -1, &info));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_search_param(ivf_flat, 0, NULL));
    vqs_index_free(ivf_flat);
  }
  vqs_search_params_free(params);
  vqs_search_params_free(NULL);
}

/* The process default thread count: set, read back, restored by 0; never above the CPUs
 * the process may use unless asked. */
static void TestNumThreads(void) {
  int available = 0, automatic = 0, now = 0;
  EXPECT_OK(vqs_available_cpus(&available));
  EXPECT_OK(vqs_get_num_threads(&automatic));
  CHECK(available >= 1 && automatic >= 1);
  EXPECT_OK(vqs_set_num_threads(5));
  EXPECT_OK(vqs_get_num_threads(&now));
  CHECK(now == 5);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_set_num_threads(-1));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_get_num_threads(NULL));
  EXPECT_OK(vqs_set_num_threads(0));
  EXPECT_OK(vqs_get_num_threads(&now));
  CHECK(now == automatic);
}

/* A filter restricts results to its ids: an id range and the same ids as a set both give
 * the exact neighbours among them, on Flat and on a fully probed IVF-Flat. */
static void TestIdFilter(void) {
  enum { kBegin = 500, kEnd = 1300 };
  static int64_t allowed[kEnd - kBegin];
  for (int i = 0; i < kEnd - kBegin; ++i) allowed[i] = kBegin + i;
  vqs_search_params* range = NULL;
  vqs_search_params* set = NULL;
  EXPECT_OK(vqs_search_params_create(&range));
  EXPECT_OK(vqs_search_params_create(&set));
  EXPECT_OK(vqs_search_params_set_id_range(range, kBegin, kEnd));
  EXPECT_OK(vqs_search_params_set_id_set(set, allowed, kEnd - kBegin));

  /* Bad input leaves the filter in place. */
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set_id_range(range, 10, 9));
  CHECK(strstr(vqs_last_error(), "begin > end") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set_id_range(NULL, 0, 1));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set_id_set(set, allowed, -1));
  CHECK(strstr(vqs_last_error(), "n must be >= 0") != NULL);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set_id_set(set, NULL, 3));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_set_id_set(NULL, allowed, 3));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_search_params_clear_filter(NULL));

  BruteForce(kBegin, kEnd);
  int64_t ids[kNumQueries * kK];
  float distances[kNumQueries * kK];
  const char* specs[] = {"Flat", "IVF16,Flat"};
  for (int s = 0; s < 2; ++s) {
    vqs_index* index = BuildIndex(specs[s], NULL);
    if (index == NULL) continue;
    if (s == 1) { /* IVF: every list probed (Flat takes no nprobe) */
      EXPECT_OK(vqs_search_params_set(range, "nprobe", kNlist));
      EXPECT_OK(vqs_search_params_set(set, "nprobe", kNlist));
    }
    EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, range, distances, ids));
    CHECK(EqualsExact(ids, distances));
    EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, set, distances, ids));
    CHECK(EqualsExact(ids, distances));

    /* An empty set allows nothing: every slot is padding. */
    vqs_search_params* none = NULL;
    EXPECT_OK(vqs_search_params_create(&none));
    EXPECT_OK(vqs_search_params_set_id_set(none, NULL, 0));
    EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, none, distances, ids));
    for (int i = 0; i < kNumQueries * kK; ++i) CHECK(ids[i] == -1 && isinf(distances[i]));
    vqs_search_params_free(none);
    vqs_index_free(index);
  }
  BruteForce(0, kNumBase);

  /* Cleared, the filter no longer applies (on the fully probed IVF-Flat). */
  vqs_index* flat = BuildIndex("IVF16,Flat", NULL);
  if (flat != NULL) {
    EXPECT_OK(vqs_search_params_clear_filter(range));
    EXPECT_OK(vqs_index_search(flat, queries, kNumQueries, kK, range, distances, ids));
    CHECK(EqualsExact(ids, distances));
    vqs_index_free(flat);
  }
  vqs_search_params_free(range);
  vqs_search_params_free(set);
}

static void TestIdsAndRemove(void) {
  static int64_t user_ids[kNumBase];
  for (int i = 0; i < kNumBase; ++i) user_ids[i] = 1000000 + 3 * (int64_t)i;
  vqs_index* index = BuildIndex("IVF16,PQ8", user_ids);
  if (index == NULL) return;
  int64_t ids[kNumQueries * kK];
  float distances[kNumQueries * kK];
  vqs_search_params* params = NULL;
  EXPECT_OK(vqs_search_params_create(&params));
  EXPECT_OK(vqs_search_params_set(params, "nprobe", kNlist));
  EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, params, distances, ids));
  /* PQ is approximate; with every list probed most true neighbours come back, under
   * the user's ids. */
  int hits = 0;
  for (int q = 0; q < kNumQueries; ++q) {
    for (int j = 0; j < kK; ++j) {
      for (int e = 0; e < kK; ++e) hits += ids[q * kK + j] == user_ids[exact_ids[q * kK + e]];
    }
  }
  CHECK(hits >= kNumQueries * kK / 2);

  /* Remove the first query's top result and a missing id. */
  const int64_t to_remove[2] = {ids[0], 5};
  size_t removed = 99;
  EXPECT_OK(vqs_index_remove(index, to_remove, 2, &removed));
  CHECK(removed == 1);
  int64_t size = 0;
  EXPECT_OK(vqs_index_size(index, &size));
  CHECK(size == kNumBase - 1);
  EXPECT_OK(vqs_index_search(index, queries, kNumQueries, kK, params, distances, ids));
  for (int j = 0; j < kK; ++j) CHECK(ids[j] != to_remove[0]);
  EXPECT_OK(vqs_index_remove(index, NULL, 0, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_remove(index, NULL, 3, &removed));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_remove(NULL, to_remove, 2, &removed));
  vqs_search_params_free(params);
  vqs_index_free(index);
}

static int WriteFile(const char* path, const void* data, size_t size) {
  FILE* file = fopen(path, "wb");
  if (file == NULL) return 0;
  const size_t written = fwrite(data, 1, size, file);
  return fclose(file) == 0 && written == size;
}

/* Search results of `index` and a copy of it must be identical. */
static void ExpectSameResults(const vqs_index* a, const vqs_index* b) {
  int64_t ids_a[kNumQueries * kK], ids_b[kNumQueries * kK];
  float distances_a[kNumQueries * kK], distances_b[kNumQueries * kK];
  EXPECT_OK(vqs_index_search(a, queries, kNumQueries, kK, NULL, distances_a, ids_a));
  EXPECT_OK(vqs_index_search(b, queries, kNumQueries, kK, NULL, distances_b, ids_b));
  CHECK(memcmp(ids_a, ids_b, sizeof(ids_a)) == 0);
  CHECK(memcmp(distances_a, distances_b, sizeof(distances_a)) == 0);
}

static void TestSaveLoadSerialize(void) {
  vqs_index* index = BuildIndex("IVF16,PQ4", NULL);
  if (index == NULL) return;
  char path[600];
  TempPath(path, sizeof(path), "c_api_test.vqs");
  EXPECT_OK(vqs_index_save(index, path));
  vqs_index* loaded = NULL;
  EXPECT_OK(vqs_index_load(path, &loaded));
  if (loaded != NULL) {
    const char* spec = NULL;
    EXPECT_OK(vqs_index_spec(loaded, &spec));
    CHECK(spec != NULL && strcmp(spec, "IVF16,PQ4") == 0);
    ExpectSameResults(index, loaded);
    vqs_index_free(loaded);
  }
  /* A mapped load searches identically. */
  vqs_index* mapped = NULL;
  EXPECT_OK(vqs_index_load_with(path, 1, &mapped));
  if (mapped != NULL) {
    ExpectSameResults(index, mapped);
    vqs_index_free(mapped);
  }

  void* bytes = NULL;
  size_t size = 0;
  EXPECT_OK(vqs_index_serialize(index, &bytes, &size));
  CHECK(bytes != NULL && size > 0);
  vqs_index* copy = NULL;
  EXPECT_OK(vqs_index_deserialize(bytes, size, &copy));
  if (copy != NULL) {
    ExpectSameResults(index, copy);
    vqs_index_free(copy);
  }

  /* Damaged bytes and files are DATA_LOSS; a missing file NOT_FOUND. */
  vqs_index* bad = NULL;
  EXPECT_STATUS(VQS_DATA_LOSS, vqs_index_deserialize(bytes, size / 2, &bad));
  unsigned char* corrupt = (unsigned char*)bytes;
  corrupt[size / 2] ^= 0x5A;
  EXPECT_STATUS(VQS_DATA_LOSS, vqs_index_deserialize(bytes, size, &bad));
  char corrupt_path[600];
  TempPath(corrupt_path, sizeof(corrupt_path), "c_api_test_corrupt.vqs");
  CHECK(WriteFile(corrupt_path, bytes, size));
  EXPECT_STATUS(VQS_DATA_LOSS, vqs_index_load(corrupt_path, &bad));
  EXPECT_STATUS(VQS_DATA_LOSS, vqs_index_load_with(corrupt_path, 1, &bad));
  CHECK(WriteFile(corrupt_path, "not an index", 12));
  EXPECT_STATUS(VQS_DATA_LOSS, vqs_index_load(corrupt_path, &bad));
  char missing_path[600];
  TempPath(missing_path, sizeof(missing_path), "no_such_index.vqs");
  EXPECT_STATUS(VQS_NOT_FOUND, vqs_index_load(missing_path, &bad));
  CHECK(strstr(vqs_last_error(), "no_such_index.vqs") != NULL);
  CHECK(bad == NULL);
  remove(path);
  remove(corrupt_path);
  vqs_buffer_free(bytes);
  vqs_buffer_free(NULL);

  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_save(NULL, path));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_save(index, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_load(NULL, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_load(path, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_serialize(index, NULL, &size));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_index_deserialize(NULL, 10, &bad));
  vqs_index_free(index);
}

struct ProgressLog {
  int calls;
  int cancel_after; /* cancel on this call; 0 = never */
  int saw_stage;
};

static int RecordProgress(const vqs_progress* progress, void* user_data) {
  struct ProgressLog* log = (struct ProgressLog*)user_data;
  ++log->calls;
  if (progress->stage != NULL && strcmp(progress->stage, "kmeans") == 0) log->saw_stage = 1;
  return log->cancel_after == 0 || log->calls < log->cancel_after;
}

static void TestBuildOptions(void) {
  vqs_build_options* options = NULL;
  EXPECT_OK(vqs_build_options_create(&options));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_build_options_create(NULL));
  EXPECT_OK(vqs_build_options_set_num_threads(options, 1));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_build_options_set_num_threads(options, -1));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_build_options_set_num_threads(NULL, 1));
  struct ProgressLog log = {0, 0, 0};
  EXPECT_OK(vqs_build_options_set_progress(options, RecordProgress, &log));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_build_options_set_progress(NULL, RecordProgress, &log));

  vqs_index* index = NULL;
  EXPECT_OK(vqs_index_create("IVF16,Flat", kDim, VQS_METRIC_L2, &index));
  if (index != NULL) {
    EXPECT_OK(vqs_index_train(index, base, kNumBase, options));
    CHECK(log.calls > 0 && log.saw_stage);
    vqs_index_free(index);
  }

  /* A callback returning 0 cancels training and leaves the index untrained. */
  index = NULL;
  EXPECT_OK(vqs_index_create("IVF16,Flat", kDim, VQS_METRIC_L2, &index));
  if (index != NULL) {
    struct ProgressLog cancel = {0, 2, 0};
    EXPECT_OK(vqs_build_options_set_progress(options, RecordProgress, &cancel));
    EXPECT_STATUS(VQS_CANCELLED, vqs_index_train(index, base, kNumBase, options));
    CHECK(cancel.calls == 2);
    int trained = 1;
    EXPECT_OK(vqs_index_is_trained(index, &trained));
    CHECK(trained == 0);
    /* Without a callback the same options train it. */
    EXPECT_OK(vqs_build_options_set_progress(options, NULL, NULL));
    EXPECT_OK(vqs_index_train(index, base, kNumBase, options));
    EXPECT_OK(vqs_index_add(index, base, kNumBase, NULL, options));
    vqs_index_free(index);
  }
  vqs_build_options_free(options);
  vqs_build_options_free(NULL);
}

static void TestKMeans(void) {
  enum { kClusters = 8 };
  vqs_kmeans_options* options = NULL;
  EXPECT_OK(vqs_kmeans_options_create(kClusters, &options));
  if (options == NULL) return;
  EXPECT_OK(vqs_kmeans_options_set_max_iterations(options, 15));
  EXPECT_OK(vqs_kmeans_options_set_tolerance(options, 0.0));
  EXPECT_OK(vqs_kmeans_options_set_max_points_per_centroid(options, 0));
  EXPECT_OK(vqs_kmeans_options_set_init(options, VQS_KMEANS_INIT_TWO_LEVEL));
  EXPECT_OK(vqs_kmeans_options_set_init(options, VQS_KMEANS_INIT_KMEANS_PLUS_PLUS));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_options_set_init(options, (vqs_kmeans_init)5));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                vqs_kmeans_options_set_init(options, (vqs_kmeans_init)INT_MIN));
  EXPECT_OK(vqs_kmeans_options_set_spherical(options, 0));
  EXPECT_OK(vqs_kmeans_options_set_seed(options, 99));
  vqs_build_options* build = NULL;
  EXPECT_OK(vqs_build_options_create(&build));
  EXPECT_OK(vqs_build_options_set_num_threads(build, 2));
  EXPECT_OK(vqs_kmeans_options_set_build_options(options, build));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_options_set_build_options(options, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_options_set_seed(NULL, 1));
  vqs_build_options_free(build);

  vqs_kmeans_result* result = NULL;
  EXPECT_OK(vqs_kmeans(base, kNumBase, kDim, options, &result));
  if (result != NULL) {
    const float* centroids = NULL;
    int num_clusters = 0, dim = 0;
    EXPECT_OK(vqs_kmeans_result_centroids(result, &centroids, &num_clusters, &dim));
    CHECK(num_clusters == kClusters && dim == kDim && centroids != NULL);
    const double* history = NULL;
    size_t length = 0;
    EXPECT_OK(vqs_kmeans_result_objective_history(result, &history, &length));
    CHECK(length == 15);
    /* The objective never increases, and equals the mean squared distance of every point
     * to its nearest centroid, recomputed here. */
    for (size_t i = 1; i < length; ++i) CHECK(history[i] <= history[i - 1] * (1 + 1e-9));
    static int64_t labels[kNumBase];
    EXPECT_OK(vqs_assign_to_centroids(base, kNumBase, centroids, kClusters, kDim, 0, 1, labels));
    double objective = 0.0;
    int nearest_ok = 1;
    for (int i = 0; i < kNumBase; ++i) {
      const double assigned = SquaredL2(base + i * kDim, centroids + labels[i] * kDim);
      for (int c = 0; c < kClusters; ++c) {
        if (SquaredL2(base + i * kDim, centroids + c * kDim) < assigned - 1e-5) nearest_ok = 0;
      }
      objective += assigned;
    }
    CHECK(nearest_ok);
    /* Recomputed after the last update, so at most the last assignment's objective. */
    CHECK(objective <= history[length - 1] * (1 + 1e-4) + 1e-6);
    int64_t splits = -1;
    EXPECT_OK(vqs_kmeans_result_empty_cluster_splits(result, &splits));
    CHECK(splits >= 0);
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_result_objective_history(result, NULL, &length));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_result_empty_cluster_splits(NULL, &splits));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                  vqs_assign_to_centroids(base, kNumBase, centroids, kClusters, 0, 0, 1, labels));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                  vqs_assign_to_centroids(base, kNumBase, NULL, kClusters, kDim, 0, 1, labels));
    vqs_kmeans_result_free(result);
  }
  vqs_kmeans_result* bad = NULL;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans(base, kNumBase, 0, options, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans(base, 4, kDim, options, &bad)); /* 4 < 8 */
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans(NULL, kNumBase, kDim, options, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans(base, kNumBase, kDim, NULL, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_kmeans_result_centroids(NULL, NULL, NULL, NULL));
  CHECK(bad == NULL);
  vqs_kmeans_options_free(options);
  vqs_kmeans_result_free(NULL);
}

static void TestDataset(void) {
  /* Ground truth as ann-benchmarks stores it: int32 rows, euclidean (not squared). */
  static int32_t neighbors[kNumQueries * kK];
  static float distances[kNumQueries * kK];
  for (int i = 0; i < kNumQueries * kK; ++i) {
    neighbors[i] = (int32_t)exact_ids[i];
    distances[i] = sqrtf(exact_distances[i]);
  }
  vqs_dataset* dataset = NULL;
  EXPECT_OK(vqs_dataset_create("euclidean", kDim, base, kNumBase, queries, kNumQueries, neighbors,
                               distances, kK, &dataset));
  if (dataset == NULL) return;
  char path[600];
  TempPath(path, sizeof(path), "c_api_test.hdf5");
  EXPECT_OK(vqs_dataset_write_ann_hdf5(dataset, path));
  vqs_dataset_free(dataset);

  dataset = NULL;
  EXPECT_OK(vqs_dataset_read_ann_hdf5(path, &dataset));
  remove(path);
  if (dataset == NULL) return;
  const char* distance = NULL;
  vqs_metric metric = VQS_METRIC_COSINE;
  const float* train = NULL;
  const float* test = NULL;
  int64_t num_train = 0, num_test = 0;
  int dim = 0, gt_k = 0;
  const int32_t* read_neighbors = NULL;
  const float* read_distances = NULL;
  EXPECT_OK(vqs_dataset_distance(dataset, &distance));
  EXPECT_OK(vqs_dataset_metric(dataset, &metric));
  EXPECT_OK(vqs_dataset_train(dataset, &train, &num_train, &dim));
  EXPECT_OK(vqs_dataset_test(dataset, &test, &num_test, NULL));
  EXPECT_OK(vqs_dataset_ground_truth(dataset, &read_neighbors, &read_distances, &gt_k));
  CHECK(distance != NULL && strcmp(distance, "euclidean") == 0);
  CHECK(metric == VQS_METRIC_L2);
  CHECK(num_train == kNumBase && num_test == kNumQueries && dim == kDim && gt_k == kK);
  CHECK(train != NULL && memcmp(train, base, sizeof(base)) == 0);
  CHECK(test != NULL && memcmp(test, queries, sizeof(queries)) == 0);
  CHECK(read_neighbors != NULL && memcmp(read_neighbors, neighbors, sizeof(neighbors)) == 0);
  CHECK(read_distances != NULL && memcmp(read_distances, distances, sizeof(distances)) == 0);

  /* Exact results have recall 1; one probe of sixteen lists has less. */
  double recall = 0.0;
  EXPECT_OK(vqs_ann_recall(dataset, exact_ids, kK, kK, &recall));
  CHECK(recall == 1.0);
  vqs_index* ivf = BuildIndex("IVF16,Flat", NULL);
  if (ivf != NULL) {
    vqs_search_params* params = NULL;
    EXPECT_OK(vqs_search_params_create(&params));
    EXPECT_OK(vqs_search_params_set(params, "nprobe", 1));
    int64_t ids[kNumQueries * kK];
    float result_distances[kNumQueries * kK];
    EXPECT_OK(vqs_index_search(ivf, test, num_test, kK, params, result_distances, ids));
    EXPECT_OK(vqs_ann_recall(dataset, ids, kK, kK, &recall));
    CHECK(recall > 0.2 && recall < 1.0);
    vqs_search_params_free(params);
    vqs_index_free(ivf);
  }
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_ann_recall(dataset, exact_ids, kK, kK + 1, &recall));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_ann_recall(dataset, NULL, kK, kK, &recall));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_distance(NULL, &distance));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_train(NULL, &train, NULL, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_test(NULL, &test, NULL, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_ground_truth(NULL, NULL, NULL, &gt_k));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_metric(dataset, NULL));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_write_ann_hdf5(dataset, NULL));
  vqs_dataset_free(dataset);

  vqs_dataset* bad = NULL;
  char missing[600];
  TempPath(missing, sizeof(missing), "no_such_dataset.hdf5");
  EXPECT_STATUS(VQS_NOT_FOUND, vqs_dataset_read_ann_hdf5(missing, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_read_ann_hdf5(NULL, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_create("euclidean", 0, base, kNumBase, queries,
                                                         kNumQueries, NULL, NULL, 0, &bad));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_dataset_create("euclidean", kDim, base, kNumBase, queries,
                                                         kNumQueries, NULL, NULL, kK, &bad));
  CHECK(bad == NULL);
  vqs_dataset_free(NULL);
}

static void TestVecsFilesAndDistance(void) {
  char fvecs[600], bvecs[600], ivecs[600], missing[600];
  TempPath(fvecs, sizeof(fvecs), "c_api_test.fvecs");
  TempPath(bvecs, sizeof(bvecs), "c_api_test.bvecs");
  TempPath(ivecs, sizeof(ivecs), "c_api_test.ivecs");
  TempPath(missing, sizeof(missing), "no_such.fvecs");
  float* floats = NULL;
  int32_t* ints = NULL;
  int64_t rows = 0;
  int dim = 0;

  EXPECT_OK(vqs_write_fvecs(fvecs, base, kNumBase, kDim));
  EXPECT_OK(vqs_read_fvecs(fvecs, 10, &floats, &rows, &dim));
  CHECK(rows == 10 && dim == kDim && floats != NULL &&
        memcmp(floats, base, sizeof(float) * 10 * kDim) == 0);
  vqs_buffer_free(floats);

  static const float bytes[6] = {0, 1, 2, 253, 254, 255};
  EXPECT_OK(vqs_write_bvecs(bvecs, bytes, 2, 3));
  floats = NULL;
  EXPECT_OK(vqs_read_bvecs(bvecs, -1, &floats, &rows, &dim));
  CHECK(rows == 2 && dim == 3 && floats != NULL && memcmp(floats, bytes, sizeof(bytes)) == 0);
  vqs_buffer_free(floats);
  static const float not_a_byte[3] = {0, 1, 256};
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_write_bvecs(bvecs, not_a_byte, 1, 3));

  static int32_t id_rows[kNumQueries * kK];
  for (int i = 0; i < kNumQueries * kK; ++i) id_rows[i] = (int32_t)exact_ids[i];
  EXPECT_OK(vqs_write_ivecs(ivecs, id_rows, kNumQueries, kK));
  EXPECT_OK(vqs_read_ivecs(ivecs, -1, &ints, &rows, &dim));
  CHECK(rows == kNumQueries && dim == kK && ints != NULL &&
        memcmp(ints, id_rows, sizeof(id_rows)) == 0);
  vqs_buffer_free(ints);

  EXPECT_STATUS(VQS_NOT_FOUND, vqs_read_fvecs(missing, -1, &floats, &rows, &dim));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_read_fvecs(fvecs, -1, NULL, &rows, &dim));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_read_ivecs(NULL, -1, &ints, &rows, &dim));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_read_bvecs(bvecs, -1, &floats, NULL, &dim));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_write_fvecs(fvecs, NULL, 3, kDim));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_write_ivecs(ivecs, id_rows, 2, 0));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_write_ivecs(NULL, id_rows, 2, 2));
  remove(fvecs);
  remove(bvecs);
  remove(ivecs);

  double distance = 0.0;
  EXPECT_OK(vqs_ann_distance("euclidean", queries, base, kDim, &distance));
  CHECK(fabs(distance - sqrt(SquaredL2(queries, base))) < 1e-9);
  EXPECT_OK(vqs_ann_distance("angular", queries, queries, kDim, &distance));
  CHECK(fabs(distance) < 1e-9);
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_ann_distance("hamming", queries, base, kDim, &distance));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_ann_distance("euclidean", NULL, base, kDim, &distance));
}

/* README.md's C example (readme_example.c, generated by CMake). */
int RunReadmeExample(const float* vectors, int64_t n, const float* queries, int64_t nq,
                     float* distances, int64_t* ids);

static void TestReadmeExample(void) {
  enum { kExampleDim = 128, kExampleRows = 3000, kExampleQueries = 5 };
  static float vectors[kExampleRows * kExampleDim];
  for (int i = 0; i < kExampleRows * kExampleDim; ++i) vectors[i] = NextRandom();
  int64_t ids[kExampleQueries * 10];
  float distances[kExampleQueries * 10];
  /* The first rows as queries: with nprobe 16 each finds itself at distance 0, and the
   * example's last search admits ids below 1000 only. */
  CHECK(RunReadmeExample(vectors, kExampleRows, vectors, kExampleQueries, distances, ids) == 0);
  for (int q = 0; q < kExampleQueries; ++q) {
    CHECK(ids[q * 10] == q);
    CHECK(distances[q * 10] < 1e-4f);
    for (int j = 1; j < 10; ++j) CHECK(distances[q * 10 + j] >= distances[q * 10 + j - 1]);
    for (int j = 0; j < 10; ++j) CHECK(ids[q * 10 + j] >= 0 && ids[q * 10 + j] < 1000);
  }
}

/* Fails a call on another thread; the main thread's last error must not change. */
static int FailOnThread(void* unused) {
  (void)unused;
  vqs_metric metric;
  return vqs_metric_from_name("from-the-other-thread", &metric) == VQS_INVALID_ARGUMENT &&
         strstr(vqs_last_error(), "from-the-other-thread") != NULL;
}

static void TestLastErrorIsPerThread(void) {
  vqs_metric metric;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_metric_from_name("main-thread-metric", &metric));
  thrd_t thread;
  CHECK(thrd_create(&thread, FailOnThread, NULL) == thrd_success);
  int thread_ok = 0;
  CHECK(thrd_join(thread, &thread_ok) == thrd_success);
  CHECK(thread_ok);
  CHECK(strstr(vqs_last_error(), "main-thread-metric") != NULL);
  /* A successful call leaves the last error alone. */
  EXPECT_OK(vqs_metric_from_name("l2", &metric));
  CHECK(strstr(vqs_last_error(), "main-thread-metric") != NULL);
}

/* vqs_tune on held-out vectors: the chosen parameters reach the target on the sample
 * (recall recomputed here against brute force), and the errors. */
static void TestTune(void) {
  vqs_index* ivf = BuildIndex("IVF16,Flat", NULL);
  if (ivf == NULL) return;
  vqs_tune_options options;
  vqs_tune_options_init(&options);
  CHECK(options.runs == 3 && options.num_threads == 1 && options.ground_truth == NULL);
  options.ground_truth = exact_ids;
  options.ground_truth_k = kK;
  options.runs = 1;
  vqs_tune_result* result = NULL;
  EXPECT_OK(vqs_tune(ivf, queries, kNumQueries, kK, 0.9, &options, &result));
  if (result != NULL) {
    int reached = 0, count = 0, num_params = 0, value = 0;
    double recall = 0;
    const char* name = NULL;
    EXPECT_OK(vqs_tune_result_target_reached(result, &reached));
    CHECK(reached == 1);
    EXPECT_OK(vqs_tune_result_point(result, VQS_TUNE_BEST, 0, &recall, NULL, &num_params));
    CHECK(recall >= 0.9 && num_params == 1);
    EXPECT_OK(vqs_tune_result_param(result, VQS_TUNE_BEST, 0, 0, &name, &value));
    CHECK(name != NULL && strcmp(name, "nprobe") == 0 && value >= 1 && value <= kNlist);
    EXPECT_OK(vqs_tune_result_count(result, VQS_TUNE_EXPLORED, &count));
    CHECK(count >= 1);
    EXPECT_OK(vqs_tune_result_count(result, VQS_TUNE_PARETO, &count));
    CHECK(count >= 1);
    EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_tune_result_point(result, VQS_TUNE_PARETO, count, NULL,
                                                          NULL, NULL));
    EXPECT_STATUS(VQS_INVALID_ARGUMENT,
                  vqs_tune_result_count(result, (vqs_tune_set)9, &count));
    /* The returned parameters give the recall that was reported. */
    vqs_search_params* params = NULL;
    EXPECT_OK(vqs_tune_result_params(result, &params));
    int64_t ids[kNumQueries * kK];
    float distances[kNumQueries * kK];
    EXPECT_OK(vqs_index_search(ivf, queries, kNumQueries, kK, params, distances, ids));
    int found = 0;
    for (int q = 0; q < kNumQueries; ++q) {
      for (int i = 0; i < kK; ++i) {
        for (int j = 0; j < kK; ++j) found += ids[q * kK + i] == exact_ids[q * kK + j];
      }
    }
    CHECK(fabs((double)found / (kNumQueries * kK) - recall) < 1e-9);
    vqs_search_params_free(params);
    vqs_tune_result_free(result);
  }
  result = NULL;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_tune(ivf, queries, kNumQueries, kK, 1.5, &options, &result));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_tune(ivf, queries, kNumQueries, 0, 0.9, &options, &result));
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_tune(ivf, queries, kNumQueries, kK, 0.9, NULL, &result));
  /* Both neighbour sources at once. */
  options.database = base;
  options.database_rows = kNumBase;
  EXPECT_STATUS(VQS_INVALID_ARGUMENT, vqs_tune(ivf, queries, kNumQueries, kK, 0.9, &options, &result));
  CHECK(result == NULL);
  vqs_index_free(ivf);

  vqs_index* empty = NULL;
  EXPECT_OK(vqs_index_create("Flat", kDim, VQS_METRIC_L2, &empty));
  options.ground_truth = NULL;
  EXPECT_STATUS(VQS_FAILED_PRECONDITION,
                vqs_tune(empty, queries, kNumQueries, kK, 0.9, &options, &result));
  vqs_index_free(empty);
}

int main(void) {
  const char* dir = getenv("VQS_TEST_TMPDIR");
  snprintf(temp_dir, sizeof(temp_dir), "%s", dir != NULL && dir[0] != '\0' ? dir : "/tmp");
  for (int i = 0; i < kNumBase * kDim; ++i) base[i] = NextRandom();
  for (int i = 0; i < kNumQueries * kDim; ++i) queries[i] = NextRandom();
  BruteForce(0, kNumBase);

  TestStatusAndMetrics();
  TestCreateErrors();
  TestFlatMatchesBruteForce();
  TestSearchErrors();
  TestSearchParams();
  TestNumThreads();
  TestIdFilter();
  TestIdsAndRemove();
  TestSaveLoadSerialize();
  TestBuildOptions();
  TestKMeans();
  TestDataset();
  TestVecsFilesAndDistance();
  TestTune();
  TestReadmeExample();
  TestLastErrorIsPerThread();

  if (failures > 0) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
