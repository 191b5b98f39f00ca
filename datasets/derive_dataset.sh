# Sourced by the scripts that derive a benchmark from fashion-mnist-784-euclidean.hdf5
# (fashion_mnist_angular.sh, fashion_mnist_pca.sh): the steps they share, so that each
# script is only its transform.
#
#   derive_dataset BUILD_DIR OUT_DIR NAME < transform.py
#
# Builds the euclidean source file first when OUT_DIR lacks it, runs the Python
# transform read from standard input as `/usr/bin/python3 - SOURCE PARTIAL` (it writes
# `train`, `test` and the `distance` attribute into PARTIAL), adds 100 exact neighbours
# per test vector, and moves the result to OUT_DIR/NAME. Idempotent; never leaves a
# half-written file.

derive_dataset() {
  local build_dir=$1 out_dir=$2 name=$3
  local script_dir
  script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  local source=$out_dir/fashion-mnist-784-euclidean.hdf5
  local out=$out_dir/$name
  if [[ -f $out ]]; then
    echo "$out already exists; nothing to do"
    return 0
  fi
  bash "$script_dir/fashion_mnist.sh" "$build_dir" "$out_dir"

  mkdir -p "$out_dir"
  # Global, not local: the EXIT trap runs after this function has returned.
  derived_partial=$(mktemp "$out_dir/.$name.XXXXXX")
  # The ground-truth tool writes "$derived_partial.tmp" before renaming it back.
  trap 'rm -f "$derived_partial" "$derived_partial.tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  /usr/bin/python3 - "$source" "$derived_partial"  # Debian's, which has numpy and h5py
  "$build_dir/bench/ann/vqsearch_ground_truth" --dataset="$derived_partial" --k=100
  chmod 644 "$derived_partial"  # mktemp creates it private
  mv -f "$derived_partial" "$out"
  trap - EXIT INT TERM HUP
  echo "wrote $out"
}
