#!/usr/bin/env bash
# The README's test command: installs the dependencies, builds everything and runs every
# test. Exits non-zero when any step or any test fails. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

bash "$root/scripts/install_deps.sh"
BUILD_DIR=$build_dir bash "$root/scripts/build.sh"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
