#!/usr/bin/env bash
# The README's main command: installs the dependencies, builds vqsearch, builds the
# Fashion-MNIST dataset (ann-benchmarks HDF5 with exact ground truth) once, runs the
# recall/QPS sweep, prints the table and writes results/fashion-mnist.{csv,png}.
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
"$build_dir/bench/ann/vqsearch_runner" --dataset="$dataset" --specs="Flat" --k=10 --threads=1 \
  --runs=1 --out="$results_dir/fashion-mnist.csv"
/usr/bin/python3 "$root/bench/ann/plot.py" "$results_dir/fashion-mnist.csv" \
  "$results_dir/fashion-mnist.png" --title "vqsearch on Fashion-MNIST (recall@10 vs QPS, 1 thread)"
echo "main: table above; results in $results_dir/fashion-mnist.csv, plot in $results_dir/fashion-mnist.png"
