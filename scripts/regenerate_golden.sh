#!/usr/bin/env bash
# Rewrites the golden index files of the current format version (tests/golden/v<N>/)
# from fixed data, with the queries and results each gives; commit them with the change
# that needed them. Files of older versions are never rewritten. BUILD_DIR as in build.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake --build "$build_dir" --target golden_files_test
VQS_REGENERATE_GOLDEN=1 "$build_dir/tests/golden_files_test"
