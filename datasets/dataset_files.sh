# Sourced by the dataset scripts: the steps that make an ann-benchmarks file appear under
# its final name only when it is complete, with exact ground truth.
#
#   dataset_arguments "$@"                checks the scripts' usage, BUILD_DIR OUT_DIR, and
#                                         sets build_dir and out_dir
#   ensure_debian_packages PACKAGE...     installs those of the packages that are missing
#                                         (apt-get, as root or through sudo)
#   require_ground_truth_tool BUILD_DIR   exits with advice when the tool is not built
#   new_partial OUT_DIR NAME              sets $partial to a new hidden temporary file in
#                                         OUT_DIR, removed when the script exits unless
#                                         finish_partial has moved it
#   finish_partial BUILD_DIR PARTIAL OUT  adds 100 exact neighbours per test vector to
#                                         PARTIAL (which holds train, test, distance),
#                                         moves it to OUT, prints the arrays' checksums
#
# Bash skips the EXIT trap when a signal kills it; exiting on the signal runs it. (A
# signal sent to the script alone takes effect when the running step finishes.)

# This directory, where the scripts' Python halves are.
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dataset_partials=()
trap 'for p in "${dataset_partials[@]}"; do rm -f "$p" "$p.tmp"; done' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

dataset_arguments() {
  if [[ $# -ne 2 ]]; then
    echo "usage: $0 BUILD_DIR OUT_DIR" >&2
    exit 2
  fi
  build_dir=$1
  out_dir=$2
}

# The packages only dataset builds read (corpora, images, scipy, OpenCV) are installed
# here rather than by scripts/install_deps.sh: building and testing vqsearch needs none.
ensure_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "installing the Debian packages ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

require_ground_truth_tool() {
  local tool=$1/bench/ann/vqsearch_ground_truth
  if [[ ! -x $tool ]]; then
    echo "$tool is missing: build it with 'make -C $1 vqsearch_ground_truth'" >&2
    exit 1
  fi
}

new_partial() {
  mkdir -p "$1"
  partial=$(mktemp "$1/.$2.XXXXXX")
  # The ground-truth tool writes "$partial.tmp" before renaming it over "$partial".
  dataset_partials+=("$partial")
}

finish_partial() {
  local build_dir=$1 partial=$2 out=$3
  "$build_dir/bench/ann/vqsearch_ground_truth" --dataset="$partial" --k=100
  chmod 644 "$partial"  # mktemp creates it private
  mv -f "$partial" "$out"
  echo "wrote $out"
  /usr/bin/python3 "$script_dir/checksum.py" "$out"
}
