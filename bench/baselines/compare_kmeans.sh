#!/usr/bin/env bash
# vqsearch k-means against FAISS k-means on one train set, one after the other (never at
# once: they would share the cores), with the same k, iterations, seed, sample cap and
# thread count. Prints both JSON lines, then a table: total seconds, seconds per
# iteration, last objective, and the ratios vqsearch / FAISS.
#
# Usage: bench/baselines/compare_kmeans.sh [--dataset=FILE.hdf5] [--k=1024]
#            [--iterations=20] [--threads=1] [--seed=1234]
# Environment: VQSEARCH_KMEANS, the vqsearch_kmeans executable (default: this checkout's
# build/); FAISS_PYTHONPATH, where the AVX2 FAISS build is (default /opt/faiss-avx2).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dataset=$repo/data/fashion-mnist-784-euclidean.hdf5
k=1024
iterations=20
threads=1
seed=1234
for arg in "$@"; do
  case $arg in
    --dataset=*) dataset=${arg#*=} ;;
    --k=*) k=${arg#*=} ;;
    --iterations=*) iterations=${arg#*=} ;;
    --threads=*) threads=${arg#*=} ;;
    --seed=*) seed=${arg#*=} ;;
    *)
      echo "compare_kmeans.sh: unknown argument \"$arg\"; see the usage at the top of $0" >&2
      exit 2
      ;;
  esac
done

kmeans=${VQSEARCH_KMEANS:-$repo/build/bench/ann/vqsearch_kmeans}
if [[ ! -x $kmeans ]]; then
  echo "compare_kmeans.sh: $kmeans is not an executable: build the vqsearch_kmeans target" \
    "or set VQSEARCH_KMEANS to it" >&2
  exit 1
fi

flags=(--dataset="$dataset" --k="$k" --iterations="$iterations" --threads="$threads"
  --seed="$seed")
echo "$(hostname): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs"
echo "load average before vqsearch: $(cut -d' ' -f1-3 /proc/loadavg)"
vqsearch_line=$("$kmeans" "${flags[@]}" --quiet)
echo "$vqsearch_line"
echo "load average before FAISS:    $(cut -d' ' -f1-3 /proc/loadavg)"
faiss_line=$(PYTHONPATH=${FAISS_PYTHONPATH:-/opt/faiss-avx2} /usr/bin/python3 \
  "$repo/bench/baselines/faiss_kmeans.py" "${flags[@]}")
echo "$faiss_line"

/usr/bin/python3 - "$vqsearch_line" "$faiss_line" <<'EOF'
import json
import sys

vqsearch, faiss = (json.loads(line) for line in sys.argv[1:3])
print()
print(f"{'library':<10}{'threads':>8}{'k':>6}{'iters':>6}{'seconds':>10}{'s/iter':>9}"
      f"{'objective':>20}")
for run in (vqsearch, faiss):
    print(f"{run['library']:<10}{run['threads']:>8}{run['k']:>6}{run['iterations']:>6}"
          f"{run['seconds']:>10.2f}{run['seconds_per_iteration']:>9.3f}{run['objective']:>20.10g}")
def ratio(field):
    return vqsearch[field] / faiss[field] if faiss[field] > 0 else float("nan")


relative = (vqsearch["objective"] - faiss["objective"]) / faiss["objective"]
print(f"\nvqsearch / FAISS: total time {ratio('seconds'):.3f}, time per iteration "
      f"{ratio('seconds_per_iteration'):.3f}; "
      f"objective (vqsearch - FAISS) / FAISS = {relative:+.4%}")
print("(a lower objective is better; the two start from different random centroids, so part "
      "of its difference is the draw)")
EOF
