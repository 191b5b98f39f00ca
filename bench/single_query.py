"""A query alone against its share of a batch, from Python, at the README's points.

Builds each index on an ann-benchmarks HDF5 train set, then alternates, several times,
one batched search of the first N test vectors with a Python loop searching the same
vectors one row per call (one thread), timing both with the thread's CPU clock so that
a loaded machine slows both alike. Prints a Markdown table: microseconds per query in
the batch, alone, and the difference.

  PYTHONPATH=build/python /usr/bin/python3 bench/single_query.py \\
      --dataset=data/fashion-mnist-784-euclidean.hdf5
"""

import argparse
import time

import h5py
import numpy as np
import vqsearch

POINTS = [
    ("IVF256,Flat", {"nprobe": 8}),
    ("IVF256,PQ98x4fs,Refine(SQ8)", {"nprobe": 8, "refine_factor": 3}),
    ("IVF256,PQ98x4fs,Refine(SQ8)", {"nprobe": 8, "refine_factor": 5}),
    ("IVF1024,PQ56x4fs,Refine(Flat)", {"nprobe": 16, "refine_factor": 3}),
    ("IVF1024,SQ8", {"nprobe": 16}),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with h5py.File(args.dataset, "r") as f:
        train = np.ascontiguousarray(f["train"][:], dtype=np.float32)
        test = np.ascontiguousarray(f["test"][:args.queries], dtype=np.float32)
    print("| index | parameters | batch (µs/query) | alone (µs/query) | alone - batch |")
    print("|---|---|---:|---:|---:|")
    built = {}
    for spec, params in POINTS:
        if spec not in built:
            index = vqsearch.Index(spec, train.shape[1])
            index.train(train)
            index.add(train)
            built[spec] = index
        index = built[spec]
        batch = alone = 0.0
        for _ in range(args.rounds):
            start = time.thread_time()
            index.search(test, 10, num_threads=1, **params)
            batch += time.thread_time() - start
            start = time.thread_time()
            for row in test:
                index.search(row, 10, num_threads=1, **params)
            alone += time.thread_time() - start
        per_query = 1e6 / (args.rounds * len(test))
        shown = ", ".join(f"{name} {value}" for name, value in params.items())
        print(f"| `{spec}` | {shown} | {batch * per_query:.1f} | {alone * per_query:.1f} "
              f"| {(alone - batch) * per_query:+.1f} |", flush=True)


if __name__ == "__main__":
    main()
