#!/usr/bin/env bash
# CI's sanitizer job: builds vqsearch with clang under ASan + UBSan (every report fatal)
# in its own build directory, without the benchmarks, runs the whole ctest suite there
# (C++, C, the fuzz regression inputs, and pytest with the ASan runtime preloaded), then
# runs every fuzz target for FUZZ_SECONDS (default 45). Exits non-zero on any failure.
# Usage: bash scripts/test_sanitizers.sh   (SANITIZE_BUILD_DIR, FUZZ_SECONDS to override)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${SANITIZE_BUILD_DIR:-$root/build-sanitize}
fuzz_seconds=${FUZZ_SECONDS:-45}

bash "$root/scripts/install_deps.sh"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
# RelWithDebInfo: optimized enough that the suite stays fast, with line numbers in reports.
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" \
  -DVQSEARCH_SANITIZE=address,undefined -DVQSEARCH_BUILD_FUZZERS=ON \
  -DVQSEARCH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build_dir" -j"$(nproc)"

# allocator_may_return_null: libhdf5 asks for the sizes a hostile file declares (up to
# 2^53 bytes in tests/regressions) and handles the NULL that glibc returns; ASan would
# abort on the request instead of returning NULL as the real allocator does.
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1
# Left out: the tests of the build itself (the include layering, the installed package,
# the second Python build without HDF5), which scripts/test.sh runs; here they would only
# rebuild the tree without the sanitizers, or link a consumer against an ASan library.
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" \
  -E '^(layering_check|install_consumer_test|python_without_hdf5_test)$'

for target in deserialize deserialize_sections spec ann_hdf5 vecs; do
  BUILD_DIR=$build_dir bash "$root/scripts/fuzz.sh" "$target" "$fuzz_seconds"
done
