#!/usr/bin/python3
"""The speed of each result file at fixed recall targets, against a baseline file.

For every recall target, prints the highest QPS (the median of a point's timed runs, or
with --qps=best the best run) any point of each file reaches at or above that recall@k
(with its spec, parameters and bytes per vector), and its ratio to the baseline file's
highest QPS at the same target. The baseline is exact
search (Flat) in the README's main command and a competing library in bench/RESULTS.md.

    /usr/bin/python3 bench/ann/summarize.py --baseline=flat.csv [--recalls=0.9,0.95]
        [--max_bytes=N|baseline] a.csv b.csv

--max_bytes keeps only the points of the compared files that store at most N bytes per
vector ("baseline": no more than the baseline's point at that recall).
"""

import argparse
import math
import os
import sys

from plot import number, read_points


def best_at(rows, target, column, max_bytes=math.inf):
    """The row with the highest `column` QPS among rows with recall >= target and at most
    max_bytes bytes per vector, or None."""
    eligible = [r for r in rows if number(r["recall"]) >= target
                and not math.isnan(number(r.get(column)))
                and not number(r.get("bytes_per_vector")) > max_bytes]
    return max(eligible, key=lambda r: number(r[column]), default=None)


def describe(row):
    bytes_per_vector = number(row.get("bytes_per_vector"))
    size = "" if math.isnan(bytes_per_vector) else f", {bytes_per_vector:.0f} B/vector"
    params = f" {row['params']}" if row.get("params") else ""
    return f"{row['spec']}{params} (recall {number(row['recall']):.4f}{size})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="result file the ratios are against")
    parser.add_argument("--recalls", default="0.9,0.95,0.99", help="recall targets, comma-separated")
    parser.add_argument("--qps", choices=("median", "best"), default="median",
                        help="which QPS of each point: the median or the best of its runs")
    parser.add_argument("--max_bytes", default="",
                        help="bytes per vector the compared points may store: a number, or "
                             "'baseline' for the baseline point's")
    parser.add_argument("files", nargs="+", help="result files (runner CSV/JSON columns)")
    args = parser.parse_args()
    try:
        targets = [float(t) for t in args.recalls.split(",")]
        fixed_max_bytes = math.inf
        if args.max_bytes and args.max_bytes != "baseline":
            fixed_max_bytes = float(args.max_bytes)
        baseline = read_points(args.baseline)
        results = [(path, read_points(path)) for path in args.files]
    except (OSError, ValueError) as error:
        sys.exit(f"summarize: {error}")
    name = os.path.basename(args.baseline)
    column = f"qps_{args.qps}"
    print(f"(QPS: the {args.qps} of each point's runs)")
    for target in targets:
        base = best_at(baseline, target, column)
        base_qps = number(base[column]) if base else math.nan
        max_bytes = fixed_max_bytes
        if args.max_bytes == "baseline" and base:
            max_bytes = number(base.get("bytes_per_vector"))
        limit = "" if math.isinf(max_bytes) else f" (points of <= {max_bytes:.0f} B/vector)"
        print(f"recall@k >= {target}: {name}: " +
              (f"{base_qps:.0f} QPS, {describe(base)}" if base else "not reached") + limit)
        for path, rows in results:
            best = best_at(rows, target, column, max_bytes)
            if best is None:
                print(f"  {os.path.basename(path)}: not reached")
                continue
            qps = number(best[column])
            ratio = f"{qps / base_qps:.2f}x" if base else "n/a"
            print(f"  {os.path.basename(path)}: {qps:.0f} QPS ({ratio}), {describe(best)}")


if __name__ == "__main__":
    main()
