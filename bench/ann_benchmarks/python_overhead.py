"""What a single-query search costs from Python above the same search from C++.

Builds each index of POINTS on an ann-benchmarks HDF5 train set, saves it, and times
one-row searches of the first N test vectors: from C++ (vqsearch_single_query_time on
the saved file) and from Python, both as a plain `index.search(v, k, ...)` and as the
ann-benchmarks module's query() calls it (drop_missing=True, num_threads=1). Each is
the best of several passes, timed with the thread's CPU clock so that a loaded machine
slows all alike. Prints a Markdown table in microseconds per query.

  PYTHONPATH=build/python /usr/bin/python3 bench/ann_benchmarks/python_overhead.py \\
      --dataset=data/fashion-mnist-784-euclidean.hdf5 --tool=build/bench/ann/vqsearch_single_query_time
"""

import argparse
import os
import subprocess
import tempfile
import time

import h5py
import numpy as np

import vqsearch

# (spec, search parameters, train rows indexed: None = all). Flat over 100 rows costs
# almost nothing to search, so its difference is the fixed cost of a call alone.
POINTS = [
    ("Flat", {}, 100),
    ("IVF256,Flat", {"nprobe": 8}, None),
    ("IVF256,PQ98x4fs,Refine(SQ8)", {"nprobe": 8, "refine_factor": 3}, None),
]


def python_us(loop, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        n = loop()
        best = min(best, (time.thread_time() - start) / n)
    return best * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--tool", required=True, help="vqsearch_single_query_time")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    with h5py.File(args.dataset, "r") as f:
        train = np.ascontiguousarray(f["train"][:], dtype=np.float32)
        test = np.ascontiguousarray(f["test"][:args.queries], dtype=np.float32)
    k = args.k
    print("| index (vectors) | parameters | C++ (µs/query) | Python search (µs) | ann-benchmarks query() (µs) | Python - C++ |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        queries_path = os.path.join(tmp, "queries.fvecs")
        vqsearch.write_fvecs(queries_path, test)
        for spec, params, rows in POINTS:
            base = train[:rows]
            index = vqsearch.Index(spec, base.shape[1])
            index.train(base)
            index.add(base)
            index_path = os.path.join(tmp, "index.vqs")
            index.save(index_path)
            flags = [f"--{name}={value}" for name, value in params.items()]
            cpp = float(subprocess.run(
                [args.tool, f"--index={index_path}", f"--queries={queries_path}", f"--k={k}",
                 f"--rounds={args.rounds}", *flags],
                check=True, capture_output=True, text=True).stdout)

            def plain():
                for v in test:
                    index.search(v, k, **params)
                return len(test)

            def ann_benchmarks():
                for v in test:
                    index.search(v, k, drop_missing=True, num_threads=1, **params)[1]
                return len(test)

            py = python_us(plain, args.rounds)
            ann = python_us(ann_benchmarks, args.rounds)
            shown = ", ".join(f"{name} {value}" for name, value in params.items())
            print(f"| {spec} ({len(base)}) | {shown or '-'} | {cpp:.1f} | {py:.1f} | {ann:.1f} | "
                  f"{py - cpp:+.1f} / {ann - cpp:+.1f} |", flush=True)


if __name__ == "__main__":
    main()
