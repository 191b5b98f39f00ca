"""Speed and recall of searches restricted by an id filter.

Builds one index on an ann-benchmarks HDF5 train set (ids 0..n-1), then searches the
first test vectors without a filter and with filters of falling selectivity (an id
range, and id sets of every 2nd, 10th and 100th id). Prints a Markdown table: allowed
ids, QPS (median of 3 runs, one thread) and recall@10 against exact search over the
allowed vectors only.

  PYTHONPATH=build/python /usr/bin/python3 bench/ann/filtered_search.py \
      --dataset=data/fashion-mnist-784-euclidean.hdf5

Euclidean datasets only (the exact reference is L2).
"""

import argparse
import time

import h5py
import numpy as np
import vqsearch


def exact_neighbours(train, norms, queries, allowed, k):
    scores = norms[allowed][None, :] - 2 * queries @ train[allowed].T
    return allowed[np.argsort(scores, axis=1)[:, :k]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--spec", default="IVF256,PQ98x4fs,Refine(SQ8)")
    parser.add_argument("--nprobe", type=int, default=8)
    parser.add_argument("--refine_factor", type=int, default=3)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()

    with h5py.File(args.dataset, "r") as f:
        if f.attrs["distance"] != "euclidean":
            parser.error("the exact reference is L2: pass a euclidean dataset")
        train = np.asarray(f["train"], dtype=np.float32)
        queries = np.asarray(f["test"], dtype=np.float32)[: args.queries]
    index = vqsearch.Index(args.spec, train.shape[1], metric="l2")
    index.train(train)
    index.add(train)
    norms = (train.astype(np.float64) ** 2).sum(axis=1)
    every = np.arange(len(train))
    half = len(train) // 2
    cases = [
        ("none", {}, every),
        (f"id_range (0, {half})", {"id_range": (0, half)}, every[:half]),
        ("ids, every 2nd", {"ids": every[::2]}, every[::2]),
        ("ids, every 10th", {"ids": every[::10]}, every[::10]),
        ("ids, every 100th", {"ids": every[::100]}, every[::100]),
    ]
    print(f"{args.spec}, nprobe {args.nprobe}, refine_factor {args.refine_factor}, "
          f"{len(queries)} queries, one thread")
    print("| filter | allowed ids | QPS (median of 3) | recall@10 (vs exact over allowed) |")
    print("| --- | --- | --- | --- |")
    for name, keywords, allowed in cases:
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            _, ids = index.search(queries, 10, nprobe=args.nprobe,
                                  refine_factor=args.refine_factor, **keywords)
            seconds.append(time.perf_counter() - start)
        truth = exact_neighbours(train, norms, queries, allowed, 10)
        recall = np.mean([len(set(got) & set(want)) / 10 for got, want in zip(ids, truth)])
        print(f"| {name} | {len(allowed)} | {len(queries) / sorted(seconds)[1]:.0f} | "
              f"{recall:.4f} |")


if __name__ == "__main__":
    main()
