"""Resident memory of a mapped load (vqsearch.load(path, mmap=True)) against a normal one.

Builds each spec on the train set of an ann-benchmarks HDF5 file (once: an existing
index file under --workdir is reused), saves it, then in a fresh child process per
(spec, mode) notes the resident set size (VmRSS) before the load, after it, and after
searching the first 1000 test vectors one query at a time (the pages those searches
touch join the resident set). Prints a Markdown table of the growth against the file
size.

  PYTHONPATH=build/python /usr/bin/python3 bench/mmap_rss.py \\
      --dataset=/work/main/data/debian-sift-128-euclidean.hdf5 --workdir=/tmp/mmap_rss
"""

import argparse
import json
import os
import subprocess
import sys

SPECS = [("IVF1024,Flat", 16), ("IVF1024,PQ32", 16), ("IVF1024,PQ32x4fs,Refine(SQ8)", 16)]

CHILD = r"""
import json, sys, time
import h5py, numpy as np
import vqsearch

def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024

path, dataset, mmap, nprobe = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
with h5py.File(dataset, "r") as f:
    queries = np.ascontiguousarray(f["test"][:1000], dtype=np.float32)
vqsearch.set_num_threads(1)
before = rss()
start = time.perf_counter()
index = vqsearch.load(path, mmap=mmap)
load_seconds = time.perf_counter() - start
after_load = rss()
params = {"nprobe": nprobe} if "IVF" in index.spec else {}
if "Refine" in index.spec:
    params["refine_factor"] = 2
start = time.perf_counter()
results = [index.search(queries[i:i + 1], 10, **params)[1] for i in range(len(queries))]
search_seconds = time.perf_counter() - start
after_search = rss()
print(json.dumps({"load": after_load - before, "search": after_search - before,
                  "load_seconds": load_seconds, "qps": len(queries) / search_seconds,
                  "ids": int(np.concatenate(results).sum())}))
"""


def build(spec, dataset, path):
    import h5py
    import numpy as np
    import vqsearch
    with h5py.File(dataset, "r") as f:
        train = np.ascontiguousarray(f["train"][:], dtype=np.float32)
    index = vqsearch.Index(spec, train.shape[1])
    index.train(train[:: max(1, len(train) // 200000)])
    index.add(train)
    index.save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--workdir", default="/tmp/mmap_rss")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    print("| index | file MB | normal load: RSS MB | mmap load: RSS MB | "
          "mmap, after 1000 searches: RSS MB | load s (normal / mmap) | QPS (normal / mmap) |")
    print("|---|---|---|---|---|---|---|")
    for spec, nprobe in SPECS:
        path = os.path.join(args.workdir, spec.replace(",", "_").replace("(", "_").replace(")", "") + ".vqs")
        if not os.path.exists(path):
            build(spec, args.dataset, path)
        runs = {}
        for mmap in (0, 1):
            out = subprocess.run([sys.executable, "-c", CHILD, path, args.dataset, str(mmap), str(nprobe)],
                                 check=True, capture_output=True, text=True).stdout
            runs[mmap] = json.loads(out)
        assert runs[0]["ids"] == runs[1]["ids"], "mapped and normal loads returned different ids"
        mb = 1 << 20
        size = os.path.getsize(path)
        print(f"| {spec} | {size / mb:.0f} | {runs[0]['load'] / mb:.1f} ({runs[0]['load'] / size:.0%}) "
              f"| {runs[1]['load'] / mb:.1f} ({runs[1]['load'] / size:.1%}) "
              f"| {runs[1]['search'] / mb:.1f} ({runs[1]['search'] / size:.0%}) "
              f"| {runs[0]['load_seconds']:.2f} / {runs[1]['load_seconds']:.2f} "
              f"| {runs[0]['qps']:.0f} / {runs[1]['qps']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
