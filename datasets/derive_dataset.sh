# Sourced by the scripts that derive a benchmark from fashion-mnist-784-euclidean.hdf5
# (fashion_mnist_angular.sh, fashion_mnist_pca.sh): the steps they share, so that each
# script is only its transform.
#
#   derive_dataset BUILD_DIR OUT_DIR NAME < transform.py
#
# Builds the euclidean source file first when OUT_DIR lacks it, runs the Python
# transform read from standard input as `/usr/bin/python3 - SOURCE PARTIAL` (it writes
# `train`, `test` and the `distance` attribute into PARTIAL), adds 100 exact neighbours
# per test vector, and moves the result to OUT_DIR/NAME (see dataset_files.sh).
# Idempotent; never leaves a half-written file.

source "$(dirname "${BASH_SOURCE[0]}")/dataset_files.sh"

derive_dataset() {
  local build_dir=$1 out_dir=$2 name=$3
  local out=$out_dir/$name
  if [[ -f $out ]]; then
    echo "$out already exists; nothing to do"
    return 0
  fi
  bash "$script_dir/fashion_mnist.sh" "$build_dir" "$out_dir"
  new_partial "$out_dir" "$name"
  /usr/bin/python3 - "$out_dir/fashion-mnist-784-euclidean.hdf5" "$partial"
  finish_partial "$build_dir" "$partial" "$out"
}
