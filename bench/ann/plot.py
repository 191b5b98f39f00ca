#!/usr/bin/python3
"""Plots recall/QPS results of vqsearch_runner: recall@k against queries per second.

Each index spec is drawn as its Pareto frontier (the points of that spec no other point
of it beats on both recall and QPS, joined by increasing recall), over all its measured
points in a lighter shade; recall is on x, QPS on a log y axis. Several result files are
overlaid (their series are labelled with the file name), and --baseline files (the CSVs
bench/baselines/*.py write for FAISS and hnswlib, in the runner's columns) are drawn
dashed beside them.

    /usr/bin/python3 bench/ann/plot.py results.csv [more.csv ...] out.png \
        [--baseline faiss.csv ...] [--title T]
"""

import argparse
import csv
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")  # Renders to files only; no display is needed or wanted.
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)

REQUIRED_COLUMNS = ("spec", "recall", "qps_best")


def read_points(path):
    """Returns the rows of a runner CSV or JSON file as dicts of strings and numbers."""
    with open(path, newline="") as f:
        if path.lower().endswith(".json"):
            rows = json.load(f)
            if not isinstance(rows, list):
                raise ValueError(f"{path}: expected a JSON array of result objects")
        else:
            rows = list(csv.DictReader(f))
    for row in rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in row]
        if missing:
            raise ValueError(f"{path}: result lacks column(s) {', '.join(missing)}")
    return rows


def number(value):
    """The value as a float; NaN for blanks and nulls, so such points are skipped."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def pareto_frontier(points):
    """The (recall, qps) points no other point beats on both, by increasing recall."""
    frontier = []
    for recall, qps in sorted(points, key=lambda p: (-p[0], -p[1])):
        if not frontier or qps > frontier[-1][1]:
            frontier.append((recall, qps))
    return frontier[::-1]


def default_title(rows):
    datasets = sorted({str(r.get("dataset", "")) for r in rows} - {""})
    ks = sorted({str(r.get("k", "")) for r in rows} - {""})
    threads = sorted({str(r.get("threads", "")) for r in rows} - {""})
    parts = [", ".join(datasets) or "recall vs QPS"]
    if ks:
        parts.append("k=" + ",".join(ks))
    if threads:
        parts.append("threads=" + ",".join(threads))
    return "   ".join(parts)


def read_series(path, label_prefix):
    """{label: [(recall, qps)]} of one file's plottable points, and its rows."""
    series, rows = {}, []
    for row in read_points(path):
        recall, qps = number(row["recall"]), number(row["qps_best"])
        # A log axis cannot show zero QPS; non-numbers are failed measurements.
        if not (math.isfinite(recall) and math.isfinite(qps) and qps > 0):
            continue
        series.setdefault(label_prefix + row["spec"], []).append((recall, qps))
        rows.append(row)
    return series, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="runner output files (.csv or .json)")
    parser.add_argument("png", help="image to write")
    parser.add_argument("--baseline", action="append", default=[],
                        help="a baseline library's result CSV to overlay (repeatable)")
    parser.add_argument("--title", help="plot title (default: dataset, k and threads)")
    args = parser.parse_args()

    drawn = []  # (label, points, is_baseline)
    all_rows = []
    several = len(args.results) + len(args.baseline) > 1
    for path, is_baseline in [(p, False) for p in args.results] + [(p, True) for p in args.baseline]:
        stem = os.path.splitext(os.path.basename(path))[0]
        try:
            series, rows = read_series(path, f"{stem}: " if several else "")
        except (OSError, ValueError) as error:
            parser.error(str(error))
        drawn.extend((label, points, is_baseline) for label, points in series.items())
        all_rows.extend(rows)
    if not drawn:
        parser.error("no plottable point (finite recall and positive QPS) in the input")

    ks = sorted({str(r.get("k", "")) for r in all_rows} - {""})
    fig, ax = plt.subplots(figsize=(9, 6), dpi=120)
    for label, points, is_baseline in drawn:
        frontier = pareto_frontier(points)
        (line,) = ax.plot([p[0] for p in frontier], [p[1] for p in frontier], marker="o",
                          markersize=4, linewidth=1.2, linestyle="--" if is_baseline else "-",
                          label=label)
        ax.scatter([p[0] for p in points], [p[1] for p in points], s=8, alpha=0.25,
                   color=line.get_color(), zorder=1)

    ax.set_yscale("log")
    left, right = ax.get_xlim()
    ax.set_xlim(left, min(right, 1.01))  # Recall never exceeds 1; do not pad past it.
    ax.set_xlabel(f"recall@{ks[0]}" if len(ks) == 1 else "recall@k")
    ax.set_ylabel("queries per second (best run, log scale)")
    ax.set_title(args.title or default_title(all_rows))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    try:
        fig.savefig(args.png)
    except OSError as error:
        parser.error(f"cannot write {args.png}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
