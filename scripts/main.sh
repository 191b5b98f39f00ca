#!/usr/bin/env bash
# The README's main command: installs the dependencies, builds vqsearch, builds the
# Fashion-MNIST dataset (ann-benchmarks HDF5 with exact ground truth) once, runs the
# recall/QPS sweep (exact Flat, then IVF1024,Flat over nprobe), prints the tables and
# writes results/fashion-mnist-{flat,ivf}.csv and results/fashion-mnist.png.
# Safe to run again: the dataset is built only when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
data_dir=${DATA_DIR:-$root/data}
results_dir=${RESULTS_DIR:-$root/results}

bash "$root/scripts/install_deps.sh"
BUILD_DIR=$build_dir bash "$root/scripts/build.sh"
bash "$root/datasets/fashion_mnist.sh" "$build_dir" "$data_dir"

mkdir -p "$results_dir"
dataset=$data_dir/fashion-mnist-784-euclidean.hdf5
runner=$build_dir/bench/ann/vqsearch_runner
# Exact search is the baseline every approximate point is compared with.
"$runner" --dataset="$dataset" --specs="Flat" --k=10 --threads=1 --runs=1 \
  --out="$results_dir/fashion-mnist-flat.csv"
"$runner" --dataset="$dataset" --specs="IVF1024,Flat" --params="nprobe=1,2,4,8,16,32,64" \
  --k=10 --threads=1 --runs=3 --out="$results_dir/fashion-mnist-ivf.csv"
/usr/bin/python3 "$root/bench/ann/plot.py" "$results_dir/fashion-mnist-flat.csv" \
  "$results_dir/fashion-mnist-ivf.csv" "$results_dir/fashion-mnist.png" \
  --title "vqsearch on Fashion-MNIST (recall@10 vs QPS, 1 thread)"
echo "main: tables above; results in $results_dir/fashion-mnist-{flat,ivf}.csv," \
  "plot in $results_dir/fashion-mnist.png"
