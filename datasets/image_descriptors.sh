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

source "$(dirname "${BASH_SOURCE[0]}")/dataset_files.sh"
dataset_arguments "$@"
name=debian-sift-128-euclidean.hdf5
if [[ -f $out_dir/$name ]]; then
  echo "$out_dir/$name already exists; nothing to do"
  exit 0
fi

ensure_debian_packages gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers \
  ukui-wallpapers lomiri-wallpapers python3-opencv
require_ground_truth_tool "$build_dir"
new_partial "$out_dir" "$name"
# Describing the images is the slow part: each image's descriptors are kept in a hidden
# cache directory until the file is complete, so an interrupted build resumes.
cache=$out_dir/.sift-descriptors
/usr/bin/python3 "$script_dir/image_descriptors.py" --cache="$cache" "$partial"
finish_partial "$build_dir" "$partial" "$out_dir/$name"
rm -rf "$cache"
