// The definitions behind flags.h. The help strings here are generic; each command's
// --help prints its own wording (command.h) beside the default defined here.

#include "flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, spec, "", "index factory spec, e.g. \"IVF1024,PQ32x4fs,Refine(Flat)\"");
ABSL_FLAG(std::string, data, "", "vectors file: .hdf5 (its train set), .fvecs, .bvecs or .npy");
ABSL_FLAG(std::string, metric, "", "l2, ip or cosine; empty = the HDF5 file's distance, else l2");
ABSL_FLAG(std::string, out, "", "output file");
ABSL_FLAG(std::string, index, "", "index file written by vqs build");
ABSL_FLAG(std::string, queries, "", "queries file: .hdf5 (its test set), .fvecs, .bvecs or .npy");
ABSL_FLAG(std::string, ground_truth, "", "exact neighbours of the queries, .ivecs");
ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file");
ABSL_FLAG(std::string, specs, "Flat", "index specs separated by ';'");
ABSL_FLAG(std::string, params, "", "search parameter grid, e.g. \"nprobe=1,4,16;refine_factor=2,4\"");
ABSL_FLAG(std::string, plot, "", "plot image path");
ABSL_FLAG(std::string, baselines, "", "baseline result CSVs separated by ','");
ABSL_FLAG(int, k, 10, "neighbours per query");
ABSL_FLAG(int, threads, 0, "threads (0 = every CPU the process may use)");
ABSL_FLAG(int, build_threads, 0, "threads for train and add (0 = every CPU the process may use)");
ABSL_FLAG(int, nprobe, 0, "inverted lists scanned per query (0 = the index's default)");
ABSL_FLAG(int, refine_factor, 0, "refine_factor x k candidates re-ranked (0 = the index's default)");
ABSL_FLAG(int, runs, 3, "timed searches per measured point; the fastest counts");
ABSL_FLAG(int, max_refine_factor, 64, "largest refine_factor tuning tries");
ABSL_FLAG(int64_t, max_queries, 0, "use only the first N queries (0 = all)");
ABSL_FLAG(double, target_recall, 0.95, "recall@k to reach, in (0, 1]");
ABSL_FLAG(bool, json, false, "print JSON instead of text");
ABSL_FLAG(bool, quiet, false, "print no progress on stderr");
