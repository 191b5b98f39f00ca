#!/usr/bin/python3
"""Recall/QPS of an hnswlib HNSW graph, the graph-index baseline for vqsearch's IVF indexes.

Builds one graph (M, efConstruction) over the train set with --build_threads threads, then
for each ef searches the whole test set in one batched call on one thread, and writes one
row per ef in vqsearch_runner's columns, the spec column reading "hnswlib:M16,efC200".

    /usr/bin/python3 bench/baselines/hnswlib_bench.py \\
        --dataset=data/fashion-mnist-784-euclidean.hdf5 --params="ef=10,20,40,80,160,320"

Debian's python3-hnswlib is compiled for baseline x86-64 (its distance loops use SSE, no
AVX), so these numbers are that package's, not those of an hnswlib built for this CPU.
"""

import argparse
import os
import sys
import tempfile
import time

import hnswlib

import common


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="ann-benchmarks HDF5 file")
    parser.add_argument("--M", type=int, default=16, help="graph degree (2M on the bottom layer)")
    parser.add_argument("--ef_construction", type=int, default=200,
                        help="candidate list size while building")
    parser.add_argument("--params", default="ef=10,20,40,80,160,320",
                        help="search grid; ef is the only parameter (values below k become k)")
    parser.add_argument("--k", type=int, default=10, help="neighbours per query (recall@k)")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed batched searches per point; best and median QPS reported")
    parser.add_argument("--build_threads", type=int, default=2,
                        help="threads for adding the vectors (search always uses one)")
    parser.add_argument("--seed", type=int, default=100, help="seed of the graph's level draws")
    parser.add_argument("--max_queries", type=int, default=0,
                        help="search only the first N queries (0 = all)")
    parser.add_argument("--out", default="hnswlib.csv",
                        help="result file: CSV, or JSON when it ends in .json; empty = none")
    args = parser.parse_args()
    if min(args.M, args.ef_construction, args.k, args.runs, args.build_threads) < 1:
        parser.error("--M, --ef_construction, --k, --runs and --build_threads must be >= 1")
    if args.max_queries < 0:
        parser.error("--max_queries must be >= 0")
    try:
        args.grid = common.parse_param_grid(args.params)
    except ValueError as error:
        parser.error(f"--params: {error}")
    unknown = {name for point in args.grid for name, _ in point} - {"ef"}
    if unknown:
        parser.error(f"--params: hnswlib searches with ef only, not {', '.join(sorted(unknown))}")
    return args


def saved_size(index):
    """Bytes of the index's own file format: vectors, links and labels, as it would be kept."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "index.bin")
        index.save_index(path)
        return os.path.getsize(path)


def main():
    args = parse_args()
    if args.out:
        common.check_writable(args.out)
    dataset = common.load_dataset(args.dataset, args.max_queries)
    # hnswlib's "cosine" normalizes and ranks by inner product: the angular order.
    space = "l2" if dataset.distance == "euclidean" else "cosine"
    spec = f"hnswlib:M{args.M},efC{args.ef_construction}"
    context = common.run_context(dataset, args.k, args.runs)
    print(common.machine_info())
    print(f"hnswlib ({hnswlib.__file__}); {dataset.name}: {len(dataset.train)} train, "
          f"{len(dataset.test)} queries, dim {dataset.dim}, {dataset.distance}; k={args.k}, "
          f"search threads=1, build threads={args.build_threads}, best of {args.runs} runs")

    print(spec, file=sys.stderr)
    index = hnswlib.Index(space=space, dim=dataset.dim)
    index.init_index(max_elements=len(dataset.train), M=args.M,
                     ef_construction=args.ef_construction, random_seed=args.seed)
    index.set_num_threads(args.build_threads)
    start = time.perf_counter()
    index.add_items(dataset.train)
    add_s = time.perf_counter() - start
    bytes_per_vector = saved_size(index) / len(dataset.train)
    print(f"  built in {add_s:.2f} s, {bytes_per_vector:.1f} bytes/vector", file=sys.stderr)

    index.set_num_threads(1)
    test = dataset.test
    # hnswlib cannot return k results from a candidate list shorter than k.
    efs = [max(value, args.k) for point in args.grid for _, value in point] or [args.k]
    # The first searches pay one-time costs (first touch of the visited-list pool) that say
    # nothing about the graph; an untimed search of a few queries absorbs them.
    index.set_ef(efs[0])
    index.knn_query(test[:100], k=args.k, num_threads=1)

    rows = []
    for ef in dict.fromkeys(efs):  # ordered, without the repeats raising ef to k makes
        index.set_ef(ef)
        ids, qps_best, qps_median, cpu_per_wall = common.time_searches(
            lambda: index.knn_query(test, k=args.k, num_threads=1)[0], len(test), args.runs)
        recall = common.ann_recall(dataset, ids, args.k)
        print(f"  ef={ef}: recall@{args.k} {recall:.4f}, QPS best {qps_best:.1f}, "
              f"median {qps_median:.1f}, CPU/wall {cpu_per_wall:.2f}", file=sys.stderr)
        rows.append(common.make_row(context, spec, f"ef={ef}", 1, 0.0, add_s, bytes_per_vector,
                                    recall, qps_best, qps_median, cpu_per_wall))

    print()
    common.print_table(rows, args.k)
    if args.out:
        common.write_results(args.out, rows)
        print(f"wrote {len(rows)} points to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
