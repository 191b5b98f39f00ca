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

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build_dir=$1
out_dir=$2
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3  # Debian's, which has numpy and h5py
source_dir=/usr/share/datasets/fashion-mnist
name=fashion-mnist-784-euclidean.hdf5
out=$out_dir/$name
ground_truth=$build_dir/bench/ann/vqsearch_ground_truth

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
if [[ ! -x $ground_truth ]]; then
  echo "$ground_truth is missing: build it with" \
    "'make -C $build_dir vqsearch_ground_truth'" >&2
  exit 1
fi

mkdir -p "$out_dir"
partial=$(mktemp "$out_dir/.$name.XXXXXX")
# The ground-truth tool writes "$partial.tmp" before renaming it over "$partial".
trap 'rm -f "$partial" "$partial.tmp"' EXIT
# Bash skips the EXIT trap when a signal kills it; exiting on the signal runs it. (A
# signal sent to this script alone takes effect when the running step finishes.)
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

"$python" "$script_dir/idx_to_hdf5.py" --distance=euclidean \
  "$source_dir/train-images-idx3-ubyte.gz" "$source_dir/t10k-images-idx3-ubyte.gz" "$partial"
"$ground_truth" --dataset="$partial" --k=100
chmod 644 "$partial"  # mktemp creates it private
mv -f "$partial" "$out"
trap - EXIT INT TERM HUP
echo "wrote $out"
