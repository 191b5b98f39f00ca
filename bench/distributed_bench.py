"""Build time and QPS of vqsearch.distributed.ShardedIndex on a LocalCluster of 1 and 2
worker processes (one thread each) against one index in this process, on a synthetic
clustered set or an ann-benchmarks file (L2), plus the per-batch cost of the merge and of
the Dask round trip.

    PYTHONPATH=build/python /usr/bin/python3 bench/distributed_bench.py [--n 2000000]
    PYTHONPATH=build/python /usr/bin/python3 bench/distributed_bench.py \
        --dataset data/debian-sift-128-euclidean.hdf5

Every configuration adds the same vectors to a copy of one trained index, so they hold
the same codes; the table reports how many result ids equal the single index's (with
Refine, each shard re-ranks its own refine_factor x k candidates, so sharded answers
differ, and recall against exact neighbours says whether they are worse). The
sharded build time includes sending the vectors from this process to the workers.
"""

import argparse
import time

import numpy as np

import vqsearch
from vqsearch.distributed import ShardedIndex, merge_topk


def synthetic(n, dim, seed):
    """Vectors near a 16-dimensional structure, as embeddings are: one of 1000 centres,
    plus a point of a random 16-dimensional subspace, plus a little isotropic noise.
    The centres and the subspace are the same for every seed (base and queries)."""
    shape = np.random.default_rng(0)
    centers = shape.normal(size=(1000, dim)).astype(np.float32) * 2
    basis = shape.normal(size=(16, dim)).astype(np.float32)
    rng = np.random.default_rng(seed)
    x = np.empty((n, dim), dtype=np.float32)
    for begin in range(0, n, 1 << 18):
        end = min(n, begin + (1 << 18))
        x[begin:end] = centers[rng.integers(0, 1000, end - begin)]
        x[begin:end] += rng.standard_normal((end - begin, 16), dtype=np.float32) @ basis
        x[begin:end] += 0.3 * rng.standard_normal((end - begin, dim), dtype=np.float32)
    return x


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def exact_neighbors(x, queries, k):
    """Exact L2 k-NN ids by blocks of a BLAS product (the recall reference)."""
    q_norms = (queries.astype(np.float64) ** 2).sum(axis=1)[:, None]
    best_d = np.empty((len(queries), 0))
    best_i = np.empty((len(queries), 0), dtype=np.int64)
    for begin in range(0, len(x), 1 << 17):
        block = x[begin:begin + (1 << 17)]
        d = q_norms - 2.0 * (queries @ block.T) + (block.astype(np.float64) ** 2).sum(axis=1)
        d = np.concatenate((best_d, d), axis=1)
        ids = np.concatenate(
            (best_i, np.tile(np.arange(begin, begin + len(block)), (len(queries), 1))), axis=1)
        keep = np.argpartition(d, k - 1, axis=1)[:, :k]
        best_d, best_i = np.take_along_axis(d, keep, axis=1), np.take_along_axis(ids, keep, axis=1)
    return best_i  # unordered within a row: recall counts a set


def recall(ids, truth):
    return float(np.mean([len(np.intersect1d(a, b)) for a, b in zip(ids, truth)])) / truth.shape[1]


def search_all(index, queries, batch, k, params):
    """Searches queries in batches; returns (seconds, ids)."""
    start = time.perf_counter()
    ids = [index.search(queries[b:b + batch], k, **params)[1] for b in range(0, len(queries), batch)]
    return time.perf_counter() - start, np.concatenate(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--spec", default="IVF1024,PQ32x4fs,Refine(SQ8)")
    parser.add_argument("--train", type=int, default=100_000, help="training sample size")
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--recall_queries", type=int, default=500)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--nprobe", type=int, default=16)
    parser.add_argument("--refine_factor", type=int, default=10)
    parser.add_argument("--dataset", default="",
                        help="ann-benchmarks HDF5 file (euclidean): its train set and the first "
                        "--queries test vectors replace the synthetic data (--n, --dim ignored)")
    args = parser.parse_args()
    from distributed import Client, LocalCluster  # noqa: PLC0415 (after argparse's --help)

    if args.dataset:
        import h5py  # noqa: PLC0415 (only for --dataset)
        with h5py.File(args.dataset, "r") as f:
            if f.attrs["distance"] != "euclidean":
                parser.error(f"{args.dataset} is not euclidean (the merge and recall are L2)")
            x = np.ascontiguousarray(f["train"], dtype=np.float32)
            queries = np.ascontiguousarray(f["test"][:args.queries], dtype=np.float32)
        args.n, args.dim, args.queries = len(x), x.shape[1], len(queries)
    else:
        x = synthetic(args.n, args.dim, seed=1)
        queries = synthetic(args.queries, args.dim, seed=2)
    params = {"nprobe": args.nprobe, "refine_factor": args.refine_factor}
    template = vqsearch.Index(args.spec, args.dim)
    train_s, _ = timed(template.train, x[:args.train], num_threads=1)
    print(f"n={args.n} dim={args.dim} spec={args.spec} k={args.k} nprobe={args.nprobe} "
          f"refine_factor={args.refine_factor} batch={args.batch}; trained on {args.train} in "
          f"{train_s:.1f} s (1 thread)", flush=True)

    truth = exact_neighbors(x, queries[:args.recall_queries], args.k)
    rows = []
    single = vqsearch.deserialize(template.serialize())
    build_s, _ = timed(single.add, x, num_threads=1)
    reference = None
    for threads in (1, 2):
        search_s, ids = search_all(single, queries, args.batch, args.k,
                                   dict(params, num_threads=threads))
        reference = ids if reference is None else reference
        rows.append((f"one process, {threads} thread{'s' * (threads > 1)}",
                     build_s if threads == 1 else None, search_s, None,
                     float((ids == reference).mean()), recall(ids[:len(truth)], truth)))
        print(rows[-1], flush=True)
    memory = single.memory_usage
    del single

    merge_ms = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            sharded = ShardedIndex.from_trained(template, client, num_shards=workers)
            build_s, _ = timed(sharded.add, x)
            cpu_before = client.run(time.process_time)
            search_s, ids = search_all(sharded, queries, args.batch, args.k, params)
            cpu = [client.run(time.process_time)[w] - cpu_before[w] for w in cpu_before]
            rows.append((f"ShardedIndex, {workers} worker{'s' * (workers > 1)} x 1 thread",
                         build_s, search_s, cpu, float((ids == reference).mean()),
                         recall(ids[:len(truth)], truth)))
            print(rows[-1], flush=True)
            # Per batch: the merge alone, and the round trip of a one-query search (the
            # fixed cost of scattering a batch and gathering the answers).
            shard_answers = [sharded.search(queries[:args.batch], args.k, **params)] * workers
            merge_s, _ = timed(lambda: [merge_topk(shard_answers, args.k, "l2") for _ in range(20)])
            trip_s, _ = timed(lambda: [sharded.search(queries[:1], args.k, **params) for _ in range(20)])
            merge_ms[workers] = (merge_s / 20 * 1e3, trip_s / 20 * 1e3)
            sharded.close()

    print(f"\nsingle index memory_usage: {memory / 2**20:.0f} MiB\n")
    print(f"| configuration | build (add) s | search s | QPS | worker CPU s during the search "
          f"| ids equal to 1 thread | recall@{args.k} ({len(truth)} queries) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, build_s, search_s, cpu, same, rec in rows:
        build = f"{build_s:.1f}" if build_s is not None else "(same index)"
        cpu = " + ".join(f"{c:.2f}" for c in cpu) if cpu else "-"
        print(f"| {name} | {build} | {search_s:.2f} | {args.queries / search_s:.0f} | {cpu} "
              f"| {same:.4f} | {rec:.4f} |")
    print(f"\n| workers | merge of {args.batch} x {args.k} per shard, ms/batch | "
          "one-query search round trip, ms |")
    print("| --- | --- | --- |")
    for workers, (merge, trip) in merge_ms.items():
        print(f"| {workers} | {merge:.2f} | {trip:.1f} |")


if __name__ == "__main__":
    main()
