#!/bin/bash
# Builds fashion-mnist-784-euclidean.hdf5, the ann-benchmarks Fashion-MNIST dataset
# (60000 train and 10000 test images of 784 pixels, float32 values 0..255, distance
# "euclidean", 100 exact neighbours per test image), from the Debian package
# dataset-fashion-mnist, so that no download is needed.
#
#   datasets/fashion_mnist.sh BUILD_DIR OUT_DIR
#
# BUILD_DIR is a vqsearch CMake build holding bench/ann/vqsearch_ground_truth. Running
# again is cheap: a finished file is left alone. The file appears under its final name
# only when complete, so an interrupted run leaves nothing half-written behind.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/dataset_files.sh"
dataset_arguments "$@"
python=/usr/bin/python3  # Debian's, which has numpy and h5py
source_dir=/usr/share/datasets/fashion-mnist
name=fashion-mnist-784-euclidean.hdf5
out=$out_dir/$name

has_ground_truth() {
  "$python" - "$1" 2>/dev/null <<'EOF'
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    sys.exit(0 if "neighbors" in f and "distances" in f else 1)
EOF
}

if [[ -f $out ]] && has_ground_truth "$out"; then
  echo "$out already exists with ground truth; nothing to do"
  exit 0
fi

for part in train t10k; do
  if [[ ! -f $source_dir/$part-images-idx3-ubyte.gz ]]; then
    echo "$source_dir/$part-images-idx3-ubyte.gz is missing:" \
      "install the Debian package dataset-fashion-mnist" >&2
    exit 1
  fi
done
require_ground_truth_tool "$build_dir"
new_partial "$out_dir" "$name"
"$python" "$script_dir/idx_to_hdf5.py" --distance=euclidean \
  "$source_dir/train-images-idx3-ubyte.gz" "$source_dir/t10k-images-idx3-ubyte.gz" "$partial"
finish_partial "$build_dir" "$partial" "$out"
