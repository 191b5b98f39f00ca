#!/usr/bin/env bash
# Runs ann-benchmarks' own runner (run.py --local: in this process, no Docker) on
# Fashion-MNIST for vqsearch, FAISS (IVF-Flat) and hnswlib, in single-query and batch
# modes, then ann-benchmarks' plot.py for each mode.
#
#   ANN_BENCHMARKS_DIR=/path/to/ann-benchmarks bash bench/ann_benchmarks/run.sh
#
# ANN_BENCHMARKS_DIR: a source tree of erikbern/ann-benchmarks (e.g. `git archive` of a
# clone), outside this repository; run.py writes its data/ and results/ there. The
# vqsearch module (bench/ann_benchmarks/vqsearch/) is copied into its algorithms folder.
# BUILD_DIR (default build/): a vqsearch build with the Python package. FAISS_PATH
# (default /opt/faiss-latest): where `import faiss` finds FAISS; without it FAISS is
# skipped. ALGORITHMS (default "vqsearch faiss-ivf hnswlib"), RUNS (default 1), OUT_DIR
# (default results/ann-benchmarks/) for the plots. The Python packages ann-benchmarks
# imports come from Debian (scripts/install_deps.sh); nothing is fetched from PyPI.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ann=${ANN_BENCHMARKS_DIR:?set ANN_BENCHMARKS_DIR to an ann-benchmarks source tree}
ann=$(cd "$ann" && pwd)
build_dir=${BUILD_DIR:-$root/build}
faiss_path=${FAISS_PATH:-/opt/faiss-latest}
algorithms=${ALGORITHMS:-vqsearch faiss-ivf hnswlib}
runs=${RUNS:-1}
out_dir=${OUT_DIR:-$root/results/ann-benchmarks}
data_dir=${DATA_DIR:-$root/data}
dataset=fashion-mnist-784-euclidean
python=/usr/bin/python3

[[ -f $ann/run.py && -d $ann/ann_benchmarks/algorithms ]] ||
  { echo "$ann is not an ann-benchmarks tree (no run.py)" >&2; exit 1; }
[[ -d $build_dir/python/vqsearch ]] ||
  { echo "no vqsearch Python package in $build_dir/python: build first" >&2; exit 1; }

"$python" -c "import colors, docker, yaml, psutil, sklearn, jinja2, h5py, matplotlib, hnswlib" ||
  { echo "ann-benchmarks' Python packages are missing: sudo bash scripts/install_deps.sh" >&2; exit 1; }

# The dataset, built from Debian's dataset-fashion-mnist (ann-benchmarks would download it).
bash "$root/datasets/fashion_mnist.sh" "$build_dir" "$data_dir"
mkdir -p "$ann/data" "$out_dir"
ln -sf "$data_dir/$dataset.hdf5" "$ann/data/$dataset.hdf5"

# The vqsearch module goes where ann-benchmarks imports modules from; the definitions
# folder holds its config and the small FAISS and hnswlib grids.
rm -rf "$ann/ann_benchmarks/algorithms/vqsearch"
cp -r "$root/bench/ann_benchmarks/vqsearch" "$ann/ann_benchmarks/algorithms/vqsearch"
definitions=$ann/vqsearch-definitions
rm -rf "$definitions"
mkdir -p "$definitions/vqsearch" "$definitions/faiss" "$definitions/hnswlib"
cp "$root/bench/ann_benchmarks/vqsearch/config.yml" "$definitions/vqsearch/config.yml"
cp "$root/bench/ann_benchmarks/baselines/faiss.yml" "$definitions/faiss/config.yml"
cp "$root/bench/ann_benchmarks/baselines/hnswlib.yml" "$definitions/hnswlib/config.yml"

export PYTHONPATH=$build_dir/python${faiss_path:+:$faiss_path}
cd "$ann"
for mode in single batch; do
  flag=()
  [[ $mode == batch ]] && flag=(--batch)
  for algorithm in $algorithms; do
    if [[ $algorithm == faiss* ]] && ! "$python" -c "import faiss" 2>/dev/null; then
      echo "skipping $algorithm: no faiss module under FAISS_PATH=$faiss_path"
      continue
    fi
    echo "== $algorithm, $mode mode"
    results=results/$dataset/10/$algorithm${flag:+-batch}
    rm -rf "$results"
    # run.py's worker process can find its task queue still empty and exit at once (its
    # queue is filled by a background thread): then nothing was written, and it runs again.
    for attempt in 1 2 3; do
      "$python" run.py --local --force --dataset "$dataset" --definitions "$definitions" \
        --algorithm "$algorithm" --runs "$runs" "${flag[@]}"
      compgen -G "$results/*.hdf5" >/dev/null && break
      echo "run.py wrote no results for $algorithm (attempt $attempt)"
    done
  done
  "$python" plot.py --dataset "$dataset" "${flag[@]}" --output "$out_dir/$dataset-$mode.png"
  echo "plot: $out_dir/$dataset-$mode.png"
done
