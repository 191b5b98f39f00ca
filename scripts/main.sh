#!/usr/bin/env bash
# The README's main command: installs the dependencies, builds vqsearch, builds the
# Fashion-MNIST dataset (ann-benchmarks HDF5 with exact ground truth) once, runs the
# recall/QPS sweep (exact Flat, then IVF-PQ 4-bit fast scan re-ranked by the float
# vectors, over nprobe and refine_factor), prints the tables (with the Pareto frontier)
# and the speed-up over exact search at fixed recall, and writes
# results/fashion-mnist-{flat,fastscan}.csv and results/fashion-mnist.png.
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
# 256 lists, 98 sub-spaces of 8 dimensions at 4 bits (49 bytes a vector) scanned by
# fast scan; refine_factor x 10 candidates re-ranked by their SQ8 codes (one byte a
# dimension, exact for Fashion-MNIST's 8-bit pixels: 866 bytes a vector in all).
"$runner" --dataset="$dataset" --specs="IVF256,PQ98x4fs,Refine(SQ8)" \
  --params="nprobe=2,4,8,16;refine_factor=2,3,5,10" \
  --k=10 --threads=1 --runs=3 --out="$results_dir/fashion-mnist-fastscan.csv"
echo
echo "Speed-up over exact search (Flat, the baseline) at fixed recall@10, one thread:"
/usr/bin/python3 "$root/bench/ann/summarize.py" --baseline="$results_dir/fashion-mnist-flat.csv" \
  --recalls=0.9,0.95,0.99 "$results_dir/fashion-mnist-fastscan.csv"
/usr/bin/python3 "$root/bench/ann/plot.py" "$results_dir/fashion-mnist-flat.csv" \
  "$results_dir/fashion-mnist-fastscan.csv" "$results_dir/fashion-mnist.png" \
  --title "vqsearch on Fashion-MNIST (recall@10 vs QPS, 1 thread)"
echo "main: tables above; results in $results_dir/fashion-mnist-{flat,fastscan}.csv"
echo "plot: $results_dir/fashion-mnist.png (each spec's Pareto frontier, recall@10 vs log QPS)"
