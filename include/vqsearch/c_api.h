/* File: vqsearch/c_api.h
 *
 * The C API of vqsearch: everything the C++ API offers (indexes built from spec strings,
 * search parameters, k-means, ann-benchmarks datasets and recall), behind a C ABI that
 * other languages can bind to. It compiles as C (the tests build it as strict C11) and as
 * C++.
 *
 * Conventions (the same for every function):
 *   - Objects are opaque handles (vqs_index, vqs_search_params, ...). A function that
 *     creates one stores it in a `**out` parameter; the caller owns it and releases it
 *     with the matching *_free function. Every *_free accepts NULL.
 *   - Every other function returns a vqs_status. VQS_OK means success; on any other
 *     code the out parameters are left untouched and vqs_last_error() describes the
 *     problem. No C++ exception ever leaves a vqs_ function (allocation failures are
 *     reported as VQS_OUT_OF_MEMORY).
 *   - A NULL handle, a NULL pointer where data is required or a NULL out parameter is
 *     VQS_INVALID_ARGUMENT, never a crash.
 *   - Vectors are float32, row-major: `n` rows of `dim` floats, row i at x + i * dim.
 *     The caller keeps input buffers alive for the duration of the call; nothing keeps
 *     a pointer to them afterwards.
 *   - Strings returned as `const char*` belong to the object they came from and stay
 *     valid until that object is freed (or, for vqs_last_error, until the calling
 *     thread's next failing vqs_ call).
 *
 * Thread safety: functions that read a handle (search, queries, save, serialize) may run
 * concurrently on the same handle from any number of threads. Functions that modify a
 * handle (train, add, remove, the setters, free) need exclusive access to it: no other
 * call may use that handle at the same time. Distinct handles are independent.
 */

#ifndef VQSEARCH_C_API_H_
#define VQSEARCH_C_API_H_

#include <stddef.h>
#include <stdint.h>

#include "vqsearch/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status and errors */

/* What went wrong, mapped from the C++ absl::StatusCode of the failure. */
typedef enum vqs_status {
  VQS_OK = 0,
  /* Bad input: a NULL argument, an unknown spec or metric, a wrong dimension, NaN or
   * Inf in the vectors, k <= 0, an unknown search parameter, an id out of range. */
  VQS_INVALID_ARGUMENT = 1,
  /* A file that does not exist (or an index file without a required section). */
  VQS_NOT_FOUND = 2,
  /* A file that could not be read or written (permissions, a full disk, ...). */
  VQS_IO_ERROR = 3,
  /* A file or byte string that is truncated, corrupted or not a vqsearch index. */
  VQS_DATA_LOSS = 4,
  /* The call is not valid in the object's state: search or add before train, train
   * after add, search on an empty index. */
  VQS_FAILED_PRECONDITION = 5,
  /* Memory could not be allocated. */
  VQS_OUT_OF_MEMORY = 6,
  /* A progress callback returned 0 and the work was cancelled. */
  VQS_CANCELLED = 7,
  /* The spec or file needs a feature this build does not have. */
  VQS_UNIMPLEMENTED = 8,
  /* A bug in vqsearch, or a failure with no better code. */
  VQS_INTERNAL = 9
} vqs_status;

/* The message of the calling thread's last failing vqs_ call ("" when there was none).
 * Thread-local: threads never see each other's errors. The pointer stays valid until
 * this thread's next failing call. A successful call does not clear it. */
VQS_EXPORT const char* vqs_last_error(void);

/* A constant name for `status` ("OK", "INVALID_ARGUMENT", ...); never NULL. */
VQS_EXPORT const char* vqs_status_name(vqs_status status);

/* The SIMD instruction set the kernels run with: "scalar", "avx2" or "avx512" (a
 * constant string, never NULL). Chosen once per process from the CPU, capped by the
 * environment variable VQSEARCH_ISA (see vqsearch/isa.h). */
VQS_EXPORT const char* vqs_active_isa(void);

/* ---------------------------------------------------------------------- metrics */

typedef enum vqs_metric {
  VQS_METRIC_L2 = 0,            /* squared euclidean distance, smaller is closer */
  VQS_METRIC_INNER_PRODUCT = 1, /* inner product, larger is closer */
  VQS_METRIC_COSINE = 2         /* cosine similarity, larger is closer */
} vqs_metric;

/* Parses "l2", "ip", "cosine" or the ann-benchmarks names "euclidean", "dot",
 * "angular" (any case). */
VQS_EXPORT vqs_status vqs_metric_from_name(const char* name, vqs_metric* out);
/* "l2", "ip" or "cosine"; "unknown" for a value outside the enum. Never NULL. */
VQS_EXPORT const char* vqs_metric_name(vqs_metric metric);

/* ------------------------------------------------------------- build options */

/* What a progress callback is told; valid only during the callback. `stage` is "kmeans"
 * (done = iterations) or "add" (done = vectors); total is 0 when unknown; objective is
 * NaN when the stage has none. */
typedef struct vqs_progress {
  const char* stage;
  int64_t done;
  int64_t total;
  double seconds;
  double objective;
} vqs_progress;

/* Called on the thread that started the work. Return nonzero to go on, 0 to cancel (the
 * call then fails with VQS_CANCELLED and leaves the index as it was). */
typedef int (*vqs_progress_fn)(const vqs_progress* progress, void* user_data);

/* Settings of one train, add or k-means call: threads (default 0 = the process default of
 * vqs_set_num_threads, 1 = the calling thread only) and an optional progress callback. */
typedef struct vqs_build_options vqs_build_options;

/* Creates options holding the defaults; the caller frees them with
 * vqs_build_options_free. Calls that take options copy what they need, so options may be
 * freed or changed once a call has returned. */
VQS_EXPORT vqs_status vqs_build_options_create(vqs_build_options** out);
VQS_EXPORT void vqs_build_options_free(vqs_build_options* options);
/* num_threads must be >= 0. */
VQS_EXPORT vqs_status vqs_build_options_set_num_threads(vqs_build_options* options, int num_threads);
/* `fn` NULL removes the callback. `user_data` is passed to `fn` untouched. */
VQS_EXPORT vqs_status vqs_build_options_set_progress(vqs_build_options* options, vqs_progress_fn fn,
                                          void* user_data);

/* ------------------------------------------------------------ search parameters */

/* Per-call search settings, passed to each vqs_index_search so concurrent searches may use
 * different settings. Defaults: num_threads 0 (the process default, vqs_set_num_threads),
 * nprobe 16, refine_factor 0 (the index's default), no id filter. A parameter that was set
 * must be one the index takes (vqs_index_search_param lists them): refine_factor on
 * "IVF256,Flat" or nprobe on "Flat" makes vqs_index_search fail with
 * VQS_INVALID_ARGUMENT, naming it and what the index takes. */
typedef struct vqs_search_params vqs_search_params;

/* Creates parameters holding the defaults; the caller frees them with
 * vqs_search_params_free. Concurrent searches may share one params handle as long as
 * nobody sets it meanwhile. */
VQS_EXPORT vqs_status vqs_search_params_create(vqs_search_params** out);
VQS_EXPORT void vqs_search_params_free(vqs_search_params* params);
/* Sets a parameter by the name shared with C++ and Python: "num_threads", "nprobe" or
 * "refine_factor". Unknown names and out-of-range values are VQS_INVALID_ARGUMENT, and
 * leave `params` unchanged. */
VQS_EXPORT vqs_status vqs_search_params_set(vqs_search_params* params, const char* name, int value);
/* Restricts searches with these parameters to the stored vectors whose ids are among the
 * `n` ids at `ids` (copied; `ids` may be NULL when n is 0, which allows nothing), or lie
 * in [begin, end). Result rows then hold only such ids, padded with id -1 when fewer are
 * reachable. A new filter replaces the previous one. Errors (params unchanged): NULL
 * params, n < 0, ids NULL with n > 0, begin > end. */
VQS_EXPORT vqs_status vqs_search_params_set_id_set(vqs_search_params* params, const int64_t* ids, int64_t n);
VQS_EXPORT vqs_status vqs_search_params_set_id_range(vqs_search_params* params, int64_t begin, int64_t end);
/* Removes the filter: searches cover every stored vector again. */
VQS_EXPORT vqs_status vqs_search_params_clear_filter(vqs_search_params* params);

/* ---------------------------------------------------------------------- threads */

/* The process-wide default thread count, used by every call whose num_threads is 0.
 * Automatic at first: VQSEARCH_NUM_THREADS when it holds a positive integer, else every CPU
 * the process may run on (affinity mask, lowered to the cgroup CPU quota). `n` 0 restores
 * the automatic count; n < 0 is VQS_INVALID_ARGUMENT. */
VQS_EXPORT vqs_status vqs_set_num_threads(int n);
VQS_EXPORT vqs_status vqs_get_num_threads(int* out);
/* The CPUs this process may run on (affinity mask and cgroup quota). */
VQS_EXPORT vqs_status vqs_available_cpus(int* out);

/* ------------------------------------------------------------------------ index */

/* An index created from a spec string ("Flat", "IVF1024,Flat", "IVF256,PQ16",
 * "IVF256,PQ16,Refine(Flat)", ...; see vqsearch/factory.h). */
typedef struct vqs_index vqs_index;

/* Creates an empty index of dimension `dim` (> 0). An unknown or malformed spec is
 * VQS_INVALID_ARGUMENT with a message saying what was expected. */
VQS_EXPORT vqs_status vqs_index_create(const char* spec, int dim, vqs_metric metric, vqs_index** out);
/* Frees the index and everything it owns (its spec string included). No other call may
 * be using it. */
VQS_EXPORT void vqs_index_free(vqs_index* index);

/* Learns the index's centroids and codebooks from `n` vectors of the index's dimension.
 * Needed before add for IVF indexes; an error once vectors were added. `options` may be
 * NULL (defaults). Modifies the index. */
VQS_EXPORT vqs_status vqs_index_train(vqs_index* index, const float* x, int64_t n,
                           const vqs_build_options* options);

/* Appends `n` vectors. `ids` is NULL (ids 0, 1, ... in order of addition) or `n` ids
 * >= 0 that search then returns; an index receives ids on every add or on none. On
 * error nothing was added. `options` may be NULL. Modifies the index. */
VQS_EXPORT vqs_status vqs_index_add(vqs_index* index, const float* x, int64_t n, const int64_t* ids,
                         const vqs_build_options* options);

/* Finds the k nearest stored vectors of each of `nq` queries. The caller provides
 * `distances` and `ids`, each room for nq * k values; row q is [q * k, (q + 1) * k),
 * closest first. Padding (the rule of vqsearch/search_params.h): a row with fewer than
 * k results has them first, then id -1 (and distance +inf for l2, -inf otherwise); ids
 * are never negative, so the first -1 ends the row's results. `params` may be NULL (defaults). Errors: k <= 0,
 * an untrained or empty index (VQS_FAILED_PRECONDITION), NaN/Inf in the queries.
 * Read-only: safe concurrently with other searches. */
VQS_EXPORT vqs_status vqs_index_search(const vqs_index* index, const float* queries, int64_t nq, int k,
                            const vqs_search_params* params, float* distances, int64_t* ids);

/* One search parameter an index takes. The strings are static. */
typedef struct vqs_search_param_info {
  const char* name; /* as vqs_search_params_set spells it */
  int default_value;
  int min_value;
  int max_value; /* INT_MAX: unbounded */
  const char* description;
} vqs_search_param_info;

/* How many search parameters the index takes, and parameter `i` (0 <= i < count). */
VQS_EXPORT vqs_status vqs_index_search_param_count(const vqs_index* index, int* out);
VQS_EXPORT vqs_status vqs_index_search_param(const vqs_index* index, int i, vqs_search_param_info* out);

/* Removes every stored vector whose id is among the `n` ids (unknown ids are ignored) and
 * stores how many were removed in `*num_removed` (which may be NULL). `ids` may be NULL
 * only when n is 0. Modifies the index. */
VQS_EXPORT vqs_status vqs_index_remove(vqs_index* index, const int64_t* ids, size_t n,
                            size_t* num_removed);

/* Writes the index to `path` atomically (a temporary file renamed over `path`). */
VQS_EXPORT vqs_status vqs_index_save(const vqs_index* index, const char* path);
/* Reads an index written by vqs_index_save. A missing file is VQS_NOT_FOUND; a damaged
 * one VQS_DATA_LOSS. */
VQS_EXPORT vqs_status vqs_index_load(const char* path, vqs_index** out);
/* vqs_index_load, mapping the file instead of reading it when `mmap` is non-zero: the
 * stored codes, vectors and ids are served from the mapping (see LoadOptions in
 * vqsearch/io.h: checksums are verified at load; adds and removes copy what they
 * change; the file must not be rewritten in place while the index lives). */
VQS_EXPORT vqs_status vqs_index_load_with(const char* path, int mmap, vqs_index** out);

/* The bytes vqs_index_save would write, in a buffer the caller releases with
 * vqs_buffer_free. */
VQS_EXPORT vqs_status vqs_index_serialize(const vqs_index* index, void** bytes, size_t* size);
/* Reads an index from `size` bytes produced by vqs_index_serialize. */
VQS_EXPORT vqs_status vqs_index_deserialize(const void* bytes, size_t size, vqs_index** out);
/* Releases a buffer vqsearch allocated for the caller (vqs_index_serialize, the vecs
 * readers); NULL is accepted. */
VQS_EXPORT void vqs_buffer_free(void* buffer);

/* Queries: read-only, each storing one value in `*out`. */
/* Number of stored vectors. */
VQS_EXPORT vqs_status vqs_index_size(const vqs_index* index, int64_t* out);
/* Dimension of the vectors. */
VQS_EXPORT vqs_status vqs_index_dim(const vqs_index* index, int* out);
/* The metric the index was created with. */
VQS_EXPORT vqs_status vqs_index_metric(const vqs_index* index, vqs_metric* out);
/* The canonical spec string; owned by the index, valid until it is freed. */
VQS_EXPORT vqs_status vqs_index_spec(const vqs_index* index, const char** out);
/* 1 once trained (always for Flat), else 0. */
VQS_EXPORT vqs_status vqs_index_is_trained(const vqs_index* index, int* out);
/* Bytes taken by the stored vectors and their ids. */
VQS_EXPORT vqs_status vqs_index_memory_usage(const vqs_index* index, size_t* out);

/* ---------------------------------------------------------------------- k-means */

typedef enum vqs_kmeans_init {
  VQS_KMEANS_INIT_RANDOM = 0,        /* k distinct sample points (the default) */
  VQS_KMEANS_INIT_KMEANS_PLUS_PLUS = 1, /* D^2 sampling */
  VQS_KMEANS_INIT_TWO_LEVEL = 2         /* sqrt(k) clusters, each split: for large k */
} vqs_kmeans_init;

/* The settings of vqs_kmeans; defaults as in vqsearch/kmeans.h: 25 iterations,
 * tolerance 1e-4, at most 256 points per centroid, random init, not spherical,
 * seed 1234, all threads, no progress. The setters check only the handle (and the init
 * enum); vqs_kmeans validates the whole set. */
typedef struct vqs_kmeans_options vqs_kmeans_options;

/* Creates options for `num_clusters` clusters with the other settings at their defaults;
 * the caller frees them with vqs_kmeans_options_free. */
VQS_EXPORT vqs_status vqs_kmeans_options_create(int num_clusters, vqs_kmeans_options** out);
VQS_EXPORT void vqs_kmeans_options_free(vqs_kmeans_options* options);
/* Lloyd iterations at most (>= 1). */
VQS_EXPORT vqs_status vqs_kmeans_options_set_max_iterations(vqs_kmeans_options* options, int value);
/* Stop when the objective improves by less than this fraction (0 = every iteration). */
VQS_EXPORT vqs_status vqs_kmeans_options_set_tolerance(vqs_kmeans_options* options, double value);
/* Train on a sample of at most value x num_clusters points (0 = all points). */
VQS_EXPORT vqs_status vqs_kmeans_options_set_max_points_per_centroid(vqs_kmeans_options* options,
                                                          int value);
/* How the first centroids are chosen; a value outside the enum is VQS_INVALID_ARGUMENT. */
VQS_EXPORT vqs_status vqs_kmeans_options_set_init(vqs_kmeans_options* options, vqs_kmeans_init init);
/* Nonzero: unit-length centroids, assignment by largest inner product. */
VQS_EXPORT vqs_status vqs_kmeans_options_set_spherical(vqs_kmeans_options* options, int spherical);
/* The seed of the sample and of the initialization. */
VQS_EXPORT vqs_status vqs_kmeans_options_set_seed(vqs_kmeans_options* options, uint64_t seed);
/* Copies the threads and progress settings of `build` (which the caller still owns). */
VQS_EXPORT vqs_status vqs_kmeans_options_set_build_options(vqs_kmeans_options* options,
                                                const vqs_build_options* build);

/* The outcome of vqs_kmeans. */
typedef struct vqs_kmeans_result vqs_kmeans_result;

/* Clusters `n` points of dimension `dim`; the caller frees the result with
 * vqs_kmeans_result_free. For a fixed seed the result is bit-identical whatever the
 * thread count. Errors: num_clusters < 1 or > n, non-finite points, bad options,
 * cancellation. Safe to call from several threads at once, even with shared options. */
VQS_EXPORT vqs_status vqs_kmeans(const float* points, int64_t n, int dim,
                      const vqs_kmeans_options* options, vqs_kmeans_result** out);
/* Frees the result and the arrays its accessors returned. */
VQS_EXPORT void vqs_kmeans_result_free(vqs_kmeans_result* result);
/* num_clusters x dim centroids, owned by the result. Any out parameter may be NULL. */
VQS_EXPORT vqs_status vqs_kmeans_result_centroids(const vqs_kmeans_result* result, const float** centroids,
                                       int* num_clusters, int* dim);
/* The objective after each iteration, owned by the result; the last is the final one. */
VQS_EXPORT vqs_status vqs_kmeans_result_objective_history(const vqs_kmeans_result* result,
                                               const double** history, size_t* length);
/* How many times an empty cluster was repaired by splitting another. */
VQS_EXPORT vqs_status vqs_kmeans_result_empty_cluster_splits(const vqs_kmeans_result* result,
                                                  int64_t* out);

/* Writes the index of the nearest of `num_centroids` centroids of each of `n` points to
 * `labels` (room for n values); largest inner product when `spherical` is nonzero.
 * num_threads as in vqs_build_options_set_num_threads. */
VQS_EXPORT vqs_status vqs_assign_to_centroids(const float* points, int64_t n, const float* centroids,
                                   int num_centroids, int dim, int spherical, int num_threads,
                                   int64_t* labels);

/* --------------------------------------------------------------------- datasets */

/* An ann-benchmarks dataset held in memory: train and test vectors, and optionally the
 * exact ground truth (neighbours as int32 row numbers into train, and their distances in
 * the ann-benchmarks convention: euclidean, or 1 - cosine for "angular"). */
typedef struct vqs_dataset vqs_dataset;

/* Reads an ann-benchmarks HDF5 file; the caller frees the dataset with vqs_dataset_free.
 * A missing file is VQS_NOT_FOUND. */
VQS_EXPORT vqs_status vqs_dataset_read_ann_hdf5(const char* path, vqs_dataset** out);
/* Builds a dataset from copies of the caller's arrays: `distance` ("euclidean" or
 * "angular"), num_train and num_test vectors of dimension `dim`, and either no ground
 * truth (neighbors and distances NULL, gt_k 0) or num_test x gt_k of each. */
VQS_EXPORT vqs_status vqs_dataset_create(const char* distance, int dim, const float* train,
                              int64_t num_train, const float* test, int64_t num_test,
                              const int32_t* neighbors, const float* distances, int gt_k,
                              vqs_dataset** out);
/* Writes the dataset as an ann-benchmarks HDF5 file, atomically. */
VQS_EXPORT vqs_status vqs_dataset_write_ann_hdf5(const vqs_dataset* dataset, const char* path);
/* Frees the dataset and the arrays and strings its accessors returned. */
VQS_EXPORT void vqs_dataset_free(vqs_dataset* dataset);
/* The file's `distance` attribute ("euclidean", "angular", ...), owned by the dataset. */
VQS_EXPORT vqs_status vqs_dataset_distance(const vqs_dataset* dataset, const char** out);
/* The vqsearch metric matching the distance attribute. */
VQS_EXPORT vqs_status vqs_dataset_metric(const vqs_dataset* dataset, vqs_metric* out);
/* Train / test vectors: rows x dim floats owned by the dataset. Out params may be NULL. */
VQS_EXPORT vqs_status vqs_dataset_train(const vqs_dataset* dataset, const float** data, int64_t* rows,
                             int* dim);
VQS_EXPORT vqs_status vqs_dataset_test(const vqs_dataset* dataset, const float** data, int64_t* rows,
                            int* dim);
/* Ground truth: test rows x gt_k neighbours and distances, closest first; gt_k is 0
 * when the file has none. Out params may be NULL. */
VQS_EXPORT vqs_status vqs_dataset_ground_truth(const vqs_dataset* dataset, const int32_t** neighbors,
                                    const float** distances, int* gt_k);

/* recall@k as ann-benchmarks computes it (vqsearch/recall.h) for search results over the
 * dataset's test vectors: `ids` holds num_test x results_k ids (results_k >= k), such as
 * vqs_index_search wrote for an index built from the train vectors with ids = row
 * numbers. */
VQS_EXPORT vqs_status vqs_ann_recall(const vqs_dataset* dataset, const int64_t* ids, int results_k,
                          int k, double* recall);

/* The distance ann-benchmarks uses for `distance` ("euclidean": L2, "angular":
 * 1 - cosine similarity) between two vectors of length dim, in double precision. */
VQS_EXPORT vqs_status vqs_ann_distance(const char* distance, const float* a, const float* b, int dim,
                            double* out);

/* ------------------------------------------------------------------ auto-tuning */

/* Where vqs_tune takes the exact neighbours from, and how it measures (vqsearch/tune.h).
 * Set either `ground_truth` (nq x ground_truth_k ids, closest first, ground_truth_k >= k)
 * or `database` (database_rows vectors: every vector the index holds, with
 * `database_ids` when they were added with ids, else NULL). vqs_tune_options_init fills
 * the defaults: no ground truth, no database, 1 thread, 3 runs, max_refine_factor 64. */
typedef struct vqs_tune_options {
  const int64_t* ground_truth;
  int ground_truth_k;
  const float* database;
  int64_t database_rows;
  const int64_t* database_ids;
  int num_threads;       /* threads of each measured search; 1 = the calling thread */
  int runs;              /* timed searches of the sample per point; the fastest counts */
  int max_refine_factor; /* largest refine_factor tried */
} vqs_tune_options;

VQS_EXPORT void vqs_tune_options_init(vqs_tune_options* options);

/* The outcome of vqs_tune: the chosen point, the Pareto set and every point measured. */
typedef struct vqs_tune_result vqs_tune_result;

/* Finds the search parameters with the highest measured QPS among those reaching
 * recall@k >= target_recall on the `nq` queries (real queries or held-out training
 * vectors), as vqsearch::Tune does. Errors: target_recall outside (0, 1], k < 1, no or
 * both neighbour sources, a database of another size than the index
 * (VQS_INVALID_ARGUMENT); an untrained or empty index (VQS_FAILED_PRECONDITION). The
 * caller frees the result with vqs_tune_result_free. Read-only on the index. */
VQS_EXPORT vqs_status vqs_tune(const vqs_index* index, const float* queries, int64_t nq, int k,
                    double target_recall, const vqs_tune_options* options,
                    vqs_tune_result** out);
VQS_EXPORT void vqs_tune_result_free(vqs_tune_result* result);

/* The sets of points a result holds. */
typedef enum vqs_tune_set {
  VQS_TUNE_BEST = 0,     /* one point: the choice */
  VQS_TUNE_PARETO = 1,   /* by increasing recall */
  VQS_TUNE_EXPLORED = 2  /* in the order measured */
} vqs_tune_set;

/* 1 when the best point reaches the target (else it is the highest recall measured). */
VQS_EXPORT vqs_status vqs_tune_result_target_reached(const vqs_tune_result* result, int* out);
/* The best point as new search parameters, which the caller frees. */
VQS_EXPORT vqs_status vqs_tune_result_params(const vqs_tune_result* result, vqs_search_params** out);
/* Number of points in `set`. */
VQS_EXPORT vqs_status vqs_tune_result_count(const vqs_tune_result* result, vqs_tune_set set, int* out);
/* Point `i` of `set`: its recall@k, QPS and number of tuned parameters (any may be NULL). */
VQS_EXPORT vqs_status vqs_tune_result_point(const vqs_tune_result* result, vqs_tune_set set, int i,
                                 double* recall, double* qps, int* num_params);
/* Parameter `j` of point `i`: its name (owned by the result) and value. */
VQS_EXPORT vqs_status vqs_tune_result_param(const vqs_tune_result* result, vqs_tune_set set, int i, int j,
                                 const char** name, int* value);

/* ------------------------------------------------------------------- vecs files */

/* TEXMEX .fvecs / .bvecs / .ivecs files: each record an int32 dimension, then that many
 * float32, uint8 or int32 components. The readers store a buffer of rows x dim values
 * in `*data` that the caller releases with vqs_buffer_free (bvecs components are
 * converted to float); max_rows < 0 reads every row. */
VQS_EXPORT vqs_status vqs_read_fvecs(const char* path, int64_t max_rows, float** data, int64_t* rows,
                          int* dim);
VQS_EXPORT vqs_status vqs_read_bvecs(const char* path, int64_t max_rows, float** data, int64_t* rows,
                          int* dim);
VQS_EXPORT vqs_status vqs_read_ivecs(const char* path, int64_t max_rows, int32_t** data, int64_t* rows,
                          int* dim);
/* Writers take rows x dim values; bvecs components must be integers in [0, 255]. */
VQS_EXPORT vqs_status vqs_write_fvecs(const char* path, const float* data, int64_t rows, int dim);
VQS_EXPORT vqs_status vqs_write_bvecs(const char* path, const float* data, int64_t rows, int dim);
VQS_EXPORT vqs_status vqs_write_ivecs(const char* path, const int32_t* data, int64_t rows, int dim);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* VQSEARCH_C_API_H_ */
