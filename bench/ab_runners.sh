#!/usr/bin/env bash
# Before/after speed of two builds on the same sweeps: runs the vqsearch_runner of each
# build on every line of a plan, one search thread, alternating the order (before, after;
# then after, before) round by round so that a drift in machine load falls on both.
# Writes OUT_DIR/r<round>-<before|after>-<case>.csv; bench/ab_table.py turns them into a
# table of recall and median QPS with the after/before ratio.
#
#   bench/ab_runners.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR PLAN OUT_DIR
#
# PLAN: one sweep a line, tab-separated: case name, dataset file, spec, runner --params;
# lines starting with # are skipped. ROUNDS (default 4), MAX_QUERIES (2000) and RUNS (3)
# set the repetitions. Run it in its own scheduler group with a raised priority, e.g.
#   setsid bash -c 'echo -15 > /proc/self/autogroup; exec bench/ab_runners.sh ...'
set -euo pipefail
if [[ $# -ne 4 ]]; then
  echo "usage: $0 BEFORE_BUILD_DIR AFTER_BUILD_DIR PLAN OUT_DIR" >&2
  exit 2
fi
declare -A runner=([before]=$1/bench/ann/vqsearch_runner [after]=$2/bench/ann/vqsearch_runner)
plan=$3
out_dir=$4
for label in before after; do
  [[ -x ${runner[$label]} ]] || { echo "$0: no runner at ${runner[$label]}" >&2; exit 1; }
done
mkdir -p "$out_dir"

for ((round = 1; round <= ${ROUNDS:-4}; round++)); do
  order=(before after)
  ((round % 2 == 0)) && order=(after before)
  while IFS=$'\t' read -r name dataset spec params; do
    [[ -z $name || $name == \#* ]] && continue
    for label in "${order[@]}"; do
      echo "round $round: $label $name ($spec; $params)"
      "${runner[$label]}" --dataset="$dataset" --specs="$spec" --params="$params" --k=10 \
        --threads=1 --max_queries="${MAX_QUERIES:-2000}" --runs="${RUNS:-3}" --quiet \
        --out="$out_dir/r$round-$label-$name.csv"
    done
  done < "$plan"
done
