#!/bin/bash
# Builds debian-words-100-angular.hdf5 and debian-words-384-angular.hdf5: count-based
# word vectors (PPMI + truncated SVD, see word_vectors.py) of the ~100k words seen at
# least 5 times in ~18 million words of English text from Debian packages
# (dictionaries, kernel, Python and Perl manuals, fortunes); 10000 randomly held-out
# words are the queries; distance "angular", vectors stored unnormalized; 100 exact
# neighbours per query.
#
#   datasets/word_vectors.sh BUILD_DIR OUT_DIR
#
# The 100-d file holds the first 100 of the 384 SVD components. Installs the corpus
# packages and python3-scipy when they are missing (as root; they are needed only here).
# Deterministic: the same package versions give the same arrays (checksums in
# datasets/README.md). Idempotent; never leaves a half-written file.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/dataset_files.sh"
dataset_arguments "$@"
names=(debian-words-100-angular.hdf5 debian-words-384-angular.hdf5)
if [[ -f $out_dir/${names[0]} && -f $out_dir/${names[1]} ]]; then
  echo "$out_dir/${names[0]} and ${names[1]} already exist; nothing to do"
  exit 0
fi

ensure_debian_packages dict-gcide dict-wn dict-foldoc dict-jargon dict-devil linux-doc-6.1 \
  python3.11-doc perl-doc fortunes python3-scipy
require_ground_truth_tool "$build_dir"
partials=()
for name in "${names[@]}"; do
  new_partial "$out_dir" "$name"
  partials+=("$partial")
done
# OpenBLAS splits its work by thread count; a fixed count keeps the SVD's bytes the same
# on every machine.
OPENBLAS_NUM_THREADS=2 /usr/bin/python3 "$script_dir/word_vectors.py" --dims=100,384 \
  "${partials[@]}"
for i in "${!names[@]}"; do
  finish_partial "$build_dir" "${partials[$i]}" "$out_dir/${names[$i]}"
done
