"""What the baseline benchmarks share, so that their numbers mean what vqsearch_runner's mean.

The dataset loader, recall@k computed exactly as ann-benchmarks computes it, the thread
limits that make a search single-threaded, the best-and-median timing of batched searches,
and a result writer with the runner's columns (bench/ann/result_file.h), so that
bench/ann/plot.py overlays baseline files on the runner's.

Python is Debian's /usr/bin/python3 (numpy, h5py); FAISS is imported through import_faiss.
"""

import csv
import ctypes
import datetime
import json
import math
import os
import socket
import statistics
import sys
import time
from dataclasses import dataclass

import h5py
import numpy as np

# A returned neighbour counts when its true distance is within this of the k-th true one.
RECALL_EPSILON = 1e-3

# Queries whose neighbours' vectors are gathered at once when recall is computed: bounds
# the float64 copy (queries x k x dim) to some tens of megabytes.
_RECALL_BLOCK = 512

# The columns of tools/runner/result_file.h, in its order; plot.py needs only a few, but equal
# files are what lets one script read the runner's and the baselines' results alike.
CSV_COLUMNS = ("dataset", "spec", "params", "k", "threads", "build_s", "train_s", "add_s",
               "bytes_per_vector", "recall", "qps_best", "qps_median", "cpu_per_wall", "queries",
               "runs",
               "hostname", "nproc", "date")
_TEXT_COLUMNS = {"dataset", "spec", "params", "hostname", "date"}


@dataclass
class Dataset:
    """An ann-benchmarks HDF5 file in memory; ground truth is gt_k neighbours per query."""
    name: str  # file name without directory and ".hdf5", as the runner reports it
    distance: str  # "euclidean" or "angular"
    train: np.ndarray  # float32, num_train x dim, C-contiguous
    test: np.ndarray  # float32, num_test x dim, C-contiguous
    neighbors: np.ndarray  # int, num_test x gt_k
    distances: np.ndarray  # float, num_test x gt_k

    @property
    def dim(self):
        return self.train.shape[1]


def fail(message):
    """Exits with `message` on stderr, prefixed by the script's name."""
    sys.exit(f"{os.path.basename(sys.argv[0])}: {message}")


def load_dataset(path, max_queries=0):
    """Reads an ann-benchmarks HDF5 file; keeps max_queries queries when > 0, spread evenly
    over the test set as vqsearch_runner's --max_queries does (row r * num_test //
    max_queries): test sets may be ordered, the word vectors' by word frequency."""
    try:
        with h5py.File(path, "r") as f:
            distance = f.attrs.get("distance", "")
            if isinstance(distance, bytes):
                distance = distance.decode()
            missing = [name for name in ("train", "test", "neighbors", "distances")
                       if name not in f]
            if missing:
                fail(f"{path} lacks dataset(s) {', '.join(missing)}: recall needs ground truth")
            num_test = f["test"].shape[0]
            queries = (slice(None) if max_queries <= 0 or max_queries >= num_test else
                       np.arange(max_queries, dtype=np.int64) * num_test // max_queries)
            dataset = Dataset(
                name=os.path.basename(path).removesuffix(".hdf5"),
                distance=str(distance),
                train=np.ascontiguousarray(f["train"][:], dtype=np.float32),
                test=np.ascontiguousarray(f["test"][queries], dtype=np.float32),
                neighbors=np.asarray(f["neighbors"][queries]),
                distances=np.asarray(f["distances"][queries]))
    except OSError as error:
        fail(f"cannot read {path}: {error}")
    if dataset.distance not in ("euclidean", "angular"):
        fail(f"{path} has distance \"{dataset.distance}\"; expected \"euclidean\" or \"angular\"")
    return dataset


def _true_distances(dataset, first_query, ids):
    """ann-benchmarks distances, in float64, from queries first_query.. to their ids.

    ids is queries x k and holds valid train ids only."""
    queries = dataset.test[first_query:first_query + len(ids)].astype(np.float64)[:, None, :]
    points = dataset.train[ids].astype(np.float64)
    if dataset.distance == "euclidean":
        return np.sqrt(((points - queries) ** 2).sum(axis=2))
    norms = np.linalg.norm(points, axis=2) * np.linalg.norm(queries, axis=2)
    dots = (points * queries).sum(axis=2)
    # A zero vector has no direction: its similarity is taken as 0, as vqsearch's
    # AnnDistance does, rather than dividing by zero.
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norms > 0, 1.0 - dots / norms, 1.0)


def ann_recall(dataset, ids, k):
    """recall@k as ann-benchmarks computes it, for ids (num_test x >= k) returned by a search.

    A returned neighbour counts when its true distance to the query, recomputed from the
    vectors, is at most the k-th ground-truth distance + RECALL_EPSILON; counting by
    distance makes neighbours tied with the k-th count. Ids that are negative or out of
    range (a library's padding when it found fewer than k) never count."""
    ids = np.asarray(ids)[:, :k].astype(np.int64)
    num_train = len(dataset.train)
    counted = 0
    for begin in range(0, len(ids), _RECALL_BLOCK):
        block = ids[begin:begin + _RECALL_BLOCK]
        valid = (block >= 0) & (block < num_train)
        distances = _true_distances(dataset, begin, np.where(valid, block, 0))
        thresholds = dataset.distances[begin:begin + len(block), k - 1].astype(np.float64)
        counted += int(((distances <= thresholds[:, None] + RECALL_EPSILON) & valid).sum())
    return counted / (len(ids) * k)


def set_blas_threads(num_threads):
    """Caps OpenBLAS, which FAISS's and numpy's matrix products run on, at num_threads.

    omp_set_num_threads does not reach it: Debian's OpenBLAS starts its own pthreads, so
    a "single-threaded" FAISS search would otherwise run its coarse GEMM on every core."""
    try:
        openblas = ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return  # numpy and FAISS then use some other BLAS, which this cannot reach
    openblas.openblas_set_num_threads(int(num_threads))


def import_faiss():
    """Imports FAISS and checks that it is the AVX2 build, exiting with advice if not.

    Debian's python3-faiss is built for baseline x86-64; timing it would understate FAISS."""
    try:
        import faiss
    except ImportError as error:
        fail(f"cannot import faiss ({error}): run with PYTHONPATH=/opt/faiss-avx2 "
             "(shared/tools/build-faiss-avx2.sh builds it)")
    options = faiss.get_compile_options()
    if "AVX2" not in options.split():
        fail(f"faiss from {faiss.__file__} is compiled with \"{options}\", without AVX2: use "
             "the AVX2 build (PYTHONPATH=/opt/faiss-avx2, shared/tools/build-faiss-avx2.sh)")
    return faiss


def parse_param_grid(text):
    """Parses the runner's grid syntax, "nprobe=1,2,4;k_factor=1,4", into its points.

    Each point is a list of (name, int value); the first parameter varies slowest. An empty
    grid is one point of no parameters."""
    points = [[]]
    seen = set()
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        name, equals, values = entry.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ValueError(f"grid entry \"{entry}\": expected name=v1,v2,...")
        if name in seen:
            raise ValueError(f"parameter \"{name}\" appears twice in the grid")
        seen.add(name)
        try:
            numbers = [int(v) for v in values.split(",")]
        except ValueError:
            raise ValueError(f"grid entry \"{entry}\": values must be integers") from None
        points = [point + [(name, v)] for point in points for v in numbers]
    return points


def param_label(point):
    """The runner's label of a grid point: "nprobe=4,k_factor=2"."""
    return ",".join(f"{name}={value}" for name, value in point)


def time_searches(search, num_queries, runs):
    """Runs search() (one batched search of every query) `runs` times.

    Returns the first run's result (later runs return the same and are only timed), the
    best and median queries per second, and the process's CPU seconds per wall second over
    the timed runs (about the thread count when the search had its cores to itself), as
    the runner reports them."""
    qps = []
    first = None
    cpu_seconds = wall_seconds = 0.0
    for run in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        result = search()
        seconds = max(time.perf_counter() - start, 1e-9)
        cpu_seconds += time.process_time() - cpu_start
        wall_seconds += seconds
        qps.append(num_queries / seconds)
        if run == 0:
            first = result
    return first, max(qps), statistics.median(qps), cpu_seconds / wall_seconds


def machine_info():
    """One line on where the numbers come from: CPU model, cores, load when measured."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{socket.gethostname()}: {model}, {os.cpu_count()} CPUs, load average {load}"


def run_context(dataset, k, runs):
    """The columns every row of one run shares."""
    return {
        "dataset": dataset.name,
        "k": k,
        "queries": len(dataset.test),
        "runs": runs,
        "hostname": socket.gethostname(),
        "nproc": os.cpu_count(),
        # RFC 3339 in local time with its offset, as the runner writes it.
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def make_row(context, spec, params, threads, train_s, add_s, bytes_per_vector, recall,
             qps_best, qps_median, cpu_per_wall):
    """One result row: the runner's columns, build_s being train_s + add_s."""
    row = dict(context)
    row.update(spec=spec, params=params, threads=threads, build_s=train_s + add_s,
               train_s=train_s, add_s=add_s, bytes_per_vector=bytes_per_vector, recall=recall,
               qps_best=qps_best, qps_median=qps_median, cpu_per_wall=cpu_per_wall)
    return row


def _format(column, value):
    """A cell as the runner writes it: text as is, numbers with %.6g, NaN as "nan"."""
    if column in _TEXT_COLUMNS or isinstance(value, int):
        return str(value)
    return f"{value:.6g}" if math.isfinite(value) else "nan"


def _json_value(column, value):
    if column in _TEXT_COLUMNS or isinstance(value, int):
        return value
    return float(_format(column, value)) if math.isfinite(value) else None  # JSON has no NaN


def write_results(path, rows):
    """Writes rows as CSV, or as a JSON array when path ends in .json, like the runner.

    Atomically (a temporary file renamed over path), so an interrupted run never leaves
    half a file where an earlier result was."""
    temp_path = path + ".tmp"
    with open(temp_path, "w", newline="") as f:
        if path.lower().endswith(".json"):
            json.dump([{c: _json_value(c, row[c]) for c in CSV_COLUMNS} for row in rows], f,
                      indent=1)
            f.write("\n")
        else:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for row in rows:
                writer.writerow([_format(c, row[c]) for c in CSV_COLUMNS])
    os.replace(temp_path, path)


def check_writable(path):
    """Fails now, not after an hour of building, when path's directory cannot be written."""
    temp_path = path + ".tmp"
    try:
        with open(temp_path, "w"):
            pass
        os.remove(temp_path)
    except OSError as error:
        fail(f"cannot write results to {path}: {error}")


def print_table(rows, k):
    """Prints the rows as aligned columns, as the runner prints its own."""
    header = ["spec", "params", "build s", "bytes/vector", f"recall@{k}", "QPS (best)",
              "QPS (median)"]
    table = [header] + [[r["spec"], r["params"] or "defaults", f"{r['build_s']:.2f}",
                         f"{r['bytes_per_vector']:.1f}", f"{r['recall']:.4f}",
                         f"{r['qps_best']:.1f}", f"{r['qps_median']:.1f}"] for r in rows]
    widths = [max(len(line[c]) for line in table) for c in range(len(header))]
    for line in table:
        cells = [cell.ljust(w) if c < 2 else cell.rjust(w)
                 for c, (cell, w) in enumerate(zip(line, widths))]
        print("  ".join(cells).rstrip())
