#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz for a while, from its seed corpus, its saved
# findings and its dictionary. Exits non-zero when the fuzzer finds a crash, a sanitizer
# report, a leak, a timeout or an over-large allocation; the input is then written to
# $BUILD_DIR/tests/fuzz/findings/<target>/ (save it under tests/fuzz/regressions/<target>/
# once it is understood, so that ctest replays it from then on).
# Usage: scripts/fuzz.sh <target> [seconds, default 60] [more libFuzzer flags ...]
#   targets: deserialize deserialize_sections spec ann_hdf5 vecs
#   BUILD_DIR: a build configured by scripts/test_sanitizers.sh (default build-sanitize/)
# New corpus inputs collect in $BUILD_DIR/tests/fuzz/work/<target>/, so a second run
# starts where the first stopped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build-sanitize}
target=${1:?usage: scripts/fuzz.sh <target> [seconds] [libFuzzer flags ...]}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))

fuzz_dir=$build_dir/tests/fuzz
case $target in
  deserialize | deserialize_sections) corpus=deserialize dict=$fuzz_dir/corpus/deserialize.dict ;;
  spec | ann_hdf5 | vecs) corpus=$target dict=$root/tests/fuzz/dicts/$target.dict ;;
  *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
binary=$fuzz_dir/fuzz_$target
if [ ! -x "$binary" ]; then
  echo "fuzz.sh: $binary is missing; build it with scripts/test_sanitizers.sh first" >&2
  exit 2
fi

work=$fuzz_dir/work/$target
findings=$fuzz_dir/findings/$target
mkdir -p "$work" "$findings"
inputs=("$work" "$fuzz_dir/corpus/$corpus")
if [ -d "$root/tests/fuzz/regressions/$target" ]; then inputs+=("$root/tests/fuzz/regressions/$target"); fi

# One allocation over 512 MB, or a run over 20 s, from a small input is a finding: the
# readers must bound what they allocate and do by the bytes they were given.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
echo "fuzz.sh: $target for ${seconds}s"
"$binary" -max_total_time="$seconds" -dict="$dict" -artifact_prefix="$findings/" \
  -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=20 -print_final_stats=1 "$@" "${inputs[@]}"
