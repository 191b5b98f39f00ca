#!/bin/bash
# Builds debian-sift-128-euclidean.hdf5: 1,000,000 train and 10,000 test SIFT
# descriptors (128-d, integer values 0..255 stored as float32, distance "euclidean", 100
# exact neighbours per query) of the ~100 distinct photographs and artworks in Debian's
# wallpaper packages; the queries come from images the train set never saw (see
# image_descriptors.py).
#
#   datasets/image_descriptors.sh BUILD_DIR OUT_DIR
#
# Installs the wallpaper packages and python3-opencv when they are missing (as root; they
# are needed only here). Deterministic: the same package versions give the same arrays
# (checksums in datasets/README.md). Idempotent; never leaves a half-written file.

set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build_dir=$1
out_dir=$2
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$script_dir/dataset_files.sh"
name=debian-sift-128-euclidean.hdf5
if [[ -f $out_dir/$name ]]; then
  echo "$out_dir/$name already exists; nothing to do"
  exit 0
fi

ensure_debian_packages gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers \
  ukui-wallpapers lomiri-wallpapers python3-opencv
require_ground_truth_tool "$build_dir"
new_partial "$out_dir" "$name"
/usr/bin/python3 "$script_dir/image_descriptors.py" "$partial"
finish_partial "$build_dir" "$partial" "$out_dir/$name"
