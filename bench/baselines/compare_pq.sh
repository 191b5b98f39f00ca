#!/usr/bin/env bash
# vqsearch's IVF-PQ (fast scan + refine) configurations against FAISS 1.7.3-AVX2's IVF-PQ
# and IVF-PQ fast-scan (+ RFlat) configurations, FAISS's IVF1024,SQ8 (the strongest
# compressed baseline) and hnswlib, one after the other on the same machine (never at
# once: they would share the cores), single-threaded searches of the whole query set as
# one batch. Writes vqsearch.csv, faiss.csv, faiss-sq8.csv and hnswlib.csv into the
# output folder and prints, for recall@10 0.90 and 0.95, each library's fastest point and
# the ratios of vqsearch's to FAISS's and to hnswlib's.
#
# Usage: bench/baselines/compare_pq.sh [OUT_DIR]   (default results/compare-pq)
# Environment: VQS_SPECS, FAISS_SPECS, PARAMS, FAISS_PARAMS override the grids below;
# FAISS_PYTHONPATH, where the AVX2 FAISS build is (default /opt/faiss-avx2);
# DATASET (default data/fashion-mnist-784-euclidean.hdf5); RUNS (default 3).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/results/compare-pq}
dataset=${DATASET:-$repo/data/fashion-mnist-784-euclidean.hdf5}
runs=${RUNS:-3}
vqs_specs=${VQS_SPECS:-"IVF256,PQ98x4fs,Refine(Flat);IVF256,PQ98x4fs,Refine(SQ8);IVF256,PQ56x4fs,Refine(SQ8);IVF1024,Flat"}
faiss_specs=${FAISS_SPECS:-"IVF256,PQ98x4fs,RFlat;IVF256,PQ56x4fs,RFlat;IVF1024,PQ56x4fs,RFlat;IVF256,PQ28,RFlat"}
params=${PARAMS:-"nprobe=2,4,8,16;refine_factor=2,3,5,10"}
faiss_params=${FAISS_PARAMS:-"nprobe=2,4,8,16;k_factor=2,3,5,10"}
mkdir -p "$out"

"$repo/build/bench/ann/vqsearch_runner" --dataset="$dataset" --specs="$vqs_specs" \
  --params="$params" --runs="$runs" --threads=1 --quiet --out="$out/vqsearch.csv"
PYTHONPATH=${FAISS_PYTHONPATH:-/opt/faiss-avx2} /usr/bin/python3 \
  "$repo/bench/baselines/faiss_ivf.py" --dataset="$dataset" --specs="$faiss_specs" \
  --params="$faiss_params" --runs="$runs" --out="$out/faiss.csv"
PYTHONPATH=${FAISS_PYTHONPATH:-/opt/faiss-avx2} /usr/bin/python3 \
  "$repo/bench/baselines/faiss_ivf.py" --dataset="$dataset" --specs="IVF1024,SQ8" \
  --params="nprobe=2,4,8,16,32" --runs="$runs" --out="$out/faiss-sq8.csv"
/usr/bin/python3 "$repo/bench/baselines/hnswlib_bench.py" --dataset="$dataset" \
  --runs="$runs" --out="$out/hnswlib.csv"

echo
echo "Against FAISS (best IVF-PQ / IVF-PQ fast scan configuration at each recall):"
/usr/bin/python3 "$repo/bench/ann/summarize.py" --baseline="$out/faiss.csv" \
  --recalls=0.9,0.95 "$out/vqsearch.csv"
echo "Against FAISS IVF1024,SQ8 (the compressed baseline; compare vqsearch's points of <= 1000 bytes/vector):"
/usr/bin/python3 "$repo/bench/ann/summarize.py" --baseline="$out/faiss-sq8.csv" \
  --recalls=0.9,0.95 --max_bytes=1000 "$out/vqsearch.csv"
echo "Against hnswlib (M=16, efConstruction=200), with no more bytes per vector than it:"
/usr/bin/python3 "$repo/bench/ann/summarize.py" --baseline="$out/hnswlib.csv" \
  --recalls=0.9,0.95 --max_bytes=baseline "$out/vqsearch.csv"
