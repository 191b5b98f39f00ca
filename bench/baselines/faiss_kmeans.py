#!/usr/bin/python3
"""Times FAISS k-means on an ann-benchmarks train set and prints one JSON line.

The line has the fields vqsearch_kmeans (bench/ann/kmeans.cc) prints, so that
compare_kmeans.sh can set the two side by side:

    PYTHONPATH=/opt/faiss-avx2 /usr/bin/python3 bench/baselines/faiss_kmeans.py \\
        --dataset=data/fashion-mnist-784-euclidean.hdf5 --k=1024 --iterations=20

"objective" is FAISS's obj[-1]: the sum of squared L2 distances from each point to its
nearest centroid in the last iteration's assignment step, before that iteration moves the
centroids; vqsearch's objective_history holds the same quantity. FAISS accumulates it
in float32, so its last few digits are rounding.
"""

import argparse
import json
import statistics
import sys
import time

import common


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="ann-benchmarks HDF5 file")
    parser.add_argument("--k", type=int, default=1024, help="clusters")
    parser.add_argument("--iterations", type=int, default=20, help="Lloyd iterations, all run")
    parser.add_argument("--threads", type=int, default=1,
                        help="OpenMP and OpenBLAS threads (FAISS uses both)")
    parser.add_argument("--seed", type=int, default=1234, help="seed of sample and init")
    parser.add_argument("--max_points_per_centroid", type=int, default=256,
                        help="train on at most this many points per centroid")
    args = parser.parse_args()
    if min(args.k, args.iterations, args.threads, args.max_points_per_centroid) < 1:
        parser.error("--k, --iterations, --threads, --max_points_per_centroid must be >= 1")
    return args


def main():
    args = parse_args()
    faiss = common.import_faiss()
    dataset = common.load_dataset(args.dataset)
    if args.k > len(dataset.train):
        common.fail(f"--k={args.k} exceeds the {len(dataset.train)} train vectors")
    faiss.omp_set_num_threads(args.threads)
    # The assignment step is one GEMM in OpenBLAS, whose threads OpenMP's limit misses.
    common.set_blas_threads(args.threads)

    kmeans = faiss.Kmeans(dataset.dim, args.k, niter=args.iterations, seed=args.seed,
                          max_points_per_centroid=args.max_points_per_centroid, verbose=False)
    start = time.perf_counter()
    kmeans.train(dataset.train)
    seconds = time.perf_counter() - start

    # iteration_stats' "time" is cumulative from just before initialization; the median gap
    # between iterations leaves that out, as vqsearch_kmeans does with its progress reports.
    times = [stats["time"] for stats in kmeans.iteration_stats]
    gaps = [b - a for a, b in zip(times, times[1:])] or times
    print(json.dumps({
        "library": "faiss",
        "k": args.k,
        "iterations": len(kmeans.obj),
        "seconds": round(seconds, 4),
        "seconds_per_iteration": round(statistics.median(gaps), 4),
        "objective": float(kmeans.obj[-1]),
        "threads": args.threads,
        "points": min(len(dataset.train), args.max_points_per_centroid * args.k),
        "dim": dataset.dim,
        "init": "random",
        "empty_cluster_splits": int(sum(stats["nsplit"] for stats in kmeans.iteration_stats)),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
