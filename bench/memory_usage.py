"""What each index type adds to the process, against what its memory_usage reports.

For every spec, a fresh child process loads the train set of an ann-benchmarks HDF5
file, notes its resident set size (VmRSS), then creates the index, trains it, adds the
train set and notes the RSS again; then searches the first 1000 test vectors (one
batched call, all threads) and notes it a third time; then builds and searches a second
index of the same spec beside the first. Prints a Markdown table: the index's
memory_usage, its bytes per vector, the RSS growth after the build and after the search
(what the first index costs a process, one-time costs included: OpenBLAS's and the
threads' buffers), their ratio to memory_usage, and the growth the second index adds
(what one more index costs) with its ratio.

  PYTHONPATH=build/python /usr/bin/python3 bench/memory_usage.py \\
      --dataset=data/fashion-mnist-784-euclidean.hdf5

A child process per spec keeps each measurement free of the others' allocations.
"""

import argparse
import json
import subprocess
import sys

SPECS = [
    ("Flat", {}),
    ("IVF256,Flat", {"nprobe": 8}),
    ("IVF256,PQ98", {"nprobe": 8}),
    ("IVF256,PQ98x4fs", {"nprobe": 8}),
    ("IVF256,SQ8", {"nprobe": 8}),
    ("IVF256,RQ16x4fs", {"nprobe": 8}),
    ("IVF256,PQ98x4fs,Refine(Flat)", {"nprobe": 8, "refine_factor": 3}),
    ("IVF256,PQ98x4fs,Refine(SQ8)", {"nprobe": 8, "refine_factor": 3}),
]

CHILD = r"""
import json, sys
import h5py, numpy as np
import vqsearch

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024

path, spec, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with h5py.File(path, "r") as f:
    train = np.ascontiguousarray(f["train"][:], dtype=np.float32)
    test = np.ascontiguousarray(f["test"][:1000], dtype=np.float32)
before = rss()
index = vqsearch.Index(spec, train.shape[1])
index.train(train)
index.add(train)
built = rss()
index.search(test, 10, **params)
searched = rss()
again = vqsearch.Index(spec, train.shape[1])
again.train(train)
again.add(train)
again.search(test, 10, **params)
print(json.dumps({"n": len(train), "memory_usage": index.memory_usage,
                  "built": built - before, "searched": searched - before,
                  "second": rss() - searched}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--specs", default="",
                        help="';'-separated subset of the specs to measure (default: all)")
    args = parser.parse_args()
    wanted = set(filter(None, args.specs.split(";")))
    mib = 1 << 20
    print("| index | memory_usage (MiB) | bytes/vector | RSS growth after build (MiB) "
          "| after search (MiB) | growth / memory_usage | second index (MiB) | second / memory_usage |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for spec, params in SPECS:
        if wanted and spec not in wanted:
            continue
        out = subprocess.run([sys.executable, "-c", CHILD, args.dataset, spec, json.dumps(params)],
                             capture_output=True, text=True, check=True)
        m = json.loads(out.stdout)
        print(f"| `{spec}` | {m['memory_usage'] / mib:.1f} | {m['memory_usage'] / m['n']:.0f} "
              f"| {m['built'] / mib:.1f} | {m['searched'] / mib:.1f} "
              f"| {m['searched'] / m['memory_usage']:.2f} | {m['second'] / mib:.1f} "
              f"| {m['second'] / m['memory_usage']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
