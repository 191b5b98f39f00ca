#!/usr/bin/env bash
# vqsearch against the newest FAISS, FAISS 1.7.3-AVX2 and hnswlib on every benchmark
# dataset, one library after the other (never at once: they would share the cores), each
# search single-threaded over the whole query set in one batch. For each dataset: the
# grids of compare_grid.py (nlist scaled to sqrt(N), PQ sizes to d, the dataset's metric),
# one CSV per library in OUT_DIR/DATASET/, a Markdown table (table.md, from
# compare_table.py: each library's best QPS at recall@10 0.90 / 0.95 / 0.99, bytes per
# vector, vqsearch over the best other) to paste into bench/RESULTS.md, and a plot
# (DATASET.png); all tables together in OUT_DIR/tables.md. A library that is not
# installed is skipped with a note.
#
# Usage: bench/baselines/compare_all.sh [OUT_DIR]   (default results/compare-all)
# Environment:
#   DATASETS       names of files in data/ without .hdf5, space-separated (default: the
#                  five below); build them with the scripts in datasets/
#   GRID           full (default) or small (one nlist, one code size, a few points: a
#                  smoke test)
#   NLIST_FACTORS  multiples of sqrt(N) for nlist (default 4,16)
#   LIBRARIES      which to run, space-separated (default: vqsearch faiss-latest
#                  faiss-1.7.3 hnswlib)
#   RUNS           timed runs per point (default 3); MAX_QUERIES (default 0 = all; N:
#                  N queries spread evenly over the test set)
#   FAISS_LATEST, FAISS_AVX2  their PYTHONPATHs (default /opt/faiss-latest, /opt/faiss-avx2)
#   RUNNER         the vqsearch runner (default build/bench/ann/vqsearch_runner)
# A run overwrites the CSVs of the libraries it runs; the table and the plot use every CSV
# in OUT_DIR/DATASET/, so LIBRARIES="hnswlib" re-measures hnswlib alone beside the rest.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out_root=${1:-$repo/results/compare-all}
datasets=${DATASETS:-"fashion-mnist-784-euclidean debian-words-100-angular debian-words-384-angular debian-sift-128-euclidean fashion-mnist-784-angular"}
grid=${GRID:-full}
nlist_factors=${NLIST_FACTORS:-4,16}
libraries=${LIBRARIES:-"vqsearch faiss-latest faiss-1.7.3 hnswlib"}
runs=${RUNS:-3}
max_queries=${MAX_QUERIES:-0}
faiss_latest=${FAISS_LATEST:-/opt/faiss-latest}
faiss_avx2=${FAISS_AVX2:-/opt/faiss-avx2}
runner=${RUNNER:-$repo/build/bench/ann/vqsearch_runner}
python=/usr/bin/python3  # Debian's: numpy, h5py, matplotlib, python3-hnswlib
baselines=$repo/bench/baselines

wanted() { [[ " $libraries " == *" $1 "* ]]; }

faiss_importable() {
  PYTHONPATH=$1 "$python" -c "import faiss" 2>/dev/null
}

# Runs faiss_ivf.py with the FAISS at $1, writing $2; specs a release lacks are skipped.
run_faiss() {
  local path=$1 csv=$2 specs=$3
  if ! faiss_importable "$path"; then
    echo "compare_all: no FAISS importable from $path; $(basename "$csv") skipped" >&2
    return 0
  fi
  PYTHONPATH=$path "$python" "$baselines/faiss_ivf.py" --dataset="$dataset_file" \
    --specs="$specs" --params="$FAISS_PARAMS" --runs="$runs" --max_queries="$max_queries" \
    --skip_unknown_specs --out="$csv"
}

for dataset in $datasets; do
  dataset_file=$repo/data/$dataset.hdf5
  if [[ ! -f $dataset_file ]]; then
    echo "compare_all: $dataset_file is missing (build it with datasets/*.sh); skipped" >&2
    continue
  fi
  out=$out_root/$dataset
  mkdir -p "$out"
  eval "$("$python" "$baselines/compare_grid.py" --dataset="$dataset_file" --grid="$grid" \
    --nlist_factors="$nlist_factors")"
  echo "== $dataset ($grid grid) -> $out" >&2

  if wanted vqsearch; then
    "$runner" --dataset="$dataset_file" --specs="$VQS_SPECS" --params="$VQS_PARAMS" \
      --runs="$runs" --max_queries="$max_queries" --threads=1 --quiet --out="$out/vqsearch.csv"
    "$runner" --dataset="$dataset_file" --specs="$VQS_PLAIN_SPECS" \
      --params="$VQS_PLAIN_PARAMS" --runs="$runs" --max_queries="$max_queries" --threads=1 \
      --quiet --out="$out/vqsearch-plain.csv"
  fi
  if wanted faiss-latest; then
    run_faiss "$faiss_latest" "$out/faiss-latest.csv" "$FAISS_SPECS;$FAISS_LATEST_SPECS"
  fi
  if wanted faiss-1.7.3; then
    run_faiss "$faiss_avx2" "$out/faiss-1.7.3.csv" "$FAISS_SPECS"
  fi
  if wanted hnswlib; then
    "$python" "$baselines/hnswlib_bench.py" --dataset="$dataset_file" --params="$HNSW_PARAMS" \
      --runs="$runs" --max_queries="$max_queries" --out="$out/hnswlib.csv"
  fi

  latest_version=$(PYTHONPATH=$faiss_latest "$python" -c \
    "import faiss; print(faiss.__version__)" 2>/dev/null || echo latest)
  shape=$("$python" -c "import h5py, sys
with h5py.File(sys.argv[1], 'r') as f:
    print(f'{len(f[\"train\"])} x {f[\"train\"].shape[1]}, {len(f[\"test\"])} queries, '
          f'{f.attrs[\"distance\"]}')" "$dataset_file")
  [[ $max_queries -gt 0 ]] && shape+=", $max_queries of them searched, evenly spaced"
  "$python" "$baselines/compare_table.py" --title="$dataset ($shape)" \
    --library="vqsearch=$out/vqsearch.csv,$out/vqsearch-plain.csv" \
    --library="faiss $latest_version=$out/faiss-latest.csv" \
    --library="faiss 1.7.3-avx2=$out/faiss-1.7.3.csv" \
    --library="hnswlib=$out/hnswlib.csv" | tee "$out/table.md"
  plot_inputs=()
  for csv in vqsearch vqsearch-plain faiss-latest faiss-1.7.3 hnswlib; do
    [[ -f $out/$csv.csv ]] && plot_inputs+=("$out/$csv.csv")
  done
  "$python" "$repo/bench/ann/plot.py" "${plot_inputs[@]}" "$out/$dataset.png" \
    --title="$dataset: recall@10 vs QPS, 1 thread"
done

# Every dataset's table in one file, to paste into bench/RESULTS.md.
tables=()
for dataset in $datasets; do
  [[ -f $out_root/$dataset/table.md ]] && tables+=("$out_root/$dataset/table.md")
done
if [[ ${#tables[@]} -gt 0 ]]; then
  { echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $("$python" -c \
      'import sys; sys.path.insert(0, sys.argv[1]); import common; print(common.machine_info())' \
      "$baselines"), grid $grid"
    for table in "${tables[@]}"; do echo; cat "$table"; done; } > "$out_root/tables.md"
  echo "wrote $out_root/tables.md" >&2
fi
