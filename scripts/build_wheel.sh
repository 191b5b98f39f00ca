#!/usr/bin/env bash
# Builds the vqsearch wheel offline, with Debian's pip, setuptools and wheel
# (python3-pip, python3-setuptools, python3-wheel; nothing from PyPI), for Debian's
# /usr/bin/python3. The wheel holds the Python package (vqsearch, vqsearch.faiss) and
# the extension with the C++ library linked in; it needs Debian's runtime libraries
# (OpenBLAS, Abseil, HDF5) on the machine that installs it.
#
#   bash scripts/build_wheel.sh [OUT_DIR]     (default: dist/)
#
# BUILD_DIR (default build/): the CMake build whose _vqsearch target it builds and packs
# (configured first, as scripts/build.sh does, when it does not exist yet).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
out_dir=$(realpath -m "${1:-$root/dist}")
python=/usr/bin/python3

if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
# pip builds in the project folder: a copy keeps the source tree free of its build files.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$root/bindings/python/setup.py" "$root/bindings/python/pyproject.toml" \
  "$root/bindings/python/vqsearch" "$stage/"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
mkdir -p "$out_dir"
VQSEARCH_SOURCE_DIR=$root VQSEARCH_BUILD_DIR=$build_dir \
  "$python" -m pip wheel --no-build-isolation --no-deps --no-index --quiet \
  --wheel-dir "$out_dir" "$stage"
ls "$out_dir"/vqsearch-*.whl
