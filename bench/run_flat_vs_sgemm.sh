#!/usr/bin/env bash
# How close Flat search comes to this machine's BLAS ceiling: runs flat_bench once and
# prints, for each query count, single-core OpenBLAS sgemm GFLOP/s, Flat search GFLOP/s
# on the same shapes, and their ratio (the figure bench/RESULTS.md reports).
#
# Usage: bench/run_flat_vs_sgemm.sh [path/to/flat_bench] [extra --benchmark_* flags]
# Without a path it runs flat_bench from this checkout's build/ directory.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -gt 0 && $1 != -* ]]; then
  bench=$1
  shift
else
  bench=$repo/build/bench/micro/flat_bench
fi
if [[ ! -x $bench ]]; then
  echo "run_flat_vs_sgemm.sh: $bench is not an executable: build the flat_bench target" \
    "or pass its path as the first argument" >&2
  exit 1
fi

json=$(mktemp --suffix=.json)
trap 'rm -f "$json"' EXIT
# The JSON goes to a file so the console keeps the readable table while it runs.
"$bench" --benchmark_out="$json" --benchmark_out_format=json "$@"

/usr/bin/python3 - "$json" <<'EOF'
import json
import sys

try:
    with open(sys.argv[1]) as f:
        report = json.load(f)
except ValueError as error:
    sys.exit(f"run_flat_vs_sgemm.sh: flat_bench wrote no readable JSON: {error}")

# name is "BM_Sgemm/1000/iterations:3/real_time": the family, then the query count.
# With --benchmark_repetitions the fastest repetition is kept, as for QPS elsewhere.
rates = {}
for run in report["benchmarks"]:
    if run.get("run_type") != "iteration" or run.get("error_occurred"):
        continue
    family, num_queries = run["name"].split("/")[:2]
    key = (family, int(num_queries))
    if key not in rates or run["GFLOP/s"] > rates[key]["GFLOP/s"]:
        rates[key] = run

context = report["context"]
print()
print(f"{context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs at "
      f"{context.get('mhz_per_cpu', '?')} MHz; OpenBLAS {context.get('openblas_config', '?')}, "
      f"{context.get('openblas_threads', '?')} thread(s)")
query_counts = sorted({nq for _, nq in rates})
compared = 0
for nq in query_counts:
    sgemm = rates.get(("BM_Sgemm", nq))
    flat = rates.get(("BM_FlatSearch", nq))
    if sgemm is None or flat is None:
        missing = "BM_Sgemm" if sgemm is None else "BM_FlatSearch"
        print(f"nq={nq}: no successful {missing} run to compare with")
        continue
    ratio = flat["GFLOP/s"] / sgemm["GFLOP/s"]
    print(f"nq={nq}: sgemm {sgemm['GFLOP/s']:.1f} GFLOP/s, Flat {flat['GFLOP/s']:.1f} GFLOP/s "
          f"({flat['queries/s']:.0f} queries/s), Flat / sgemm = {ratio:.3f}")
    compared += 1
if compared == 0:
    sys.exit("run_flat_vs_sgemm.sh: no query count has both a BM_Sgemm and a BM_FlatSearch result")
EOF
