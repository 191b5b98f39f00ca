#!/usr/bin/python3
"""Plots recall/QPS results of vqsearch_runner: recall@k against queries per second.

Each index spec is one line, the Pareto frontier over every point of every input file
(the configurations worth choosing between) is drawn on top. Several result files, for
instance vqsearch's and a baseline library's written in the same columns, are overlaid;
their series are then labelled with the file name.

    /usr/bin/python3 bench/ann/plot.py results.csv [baseline.csv ...] out.png [--title T]
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="runner output files (.csv or .json)")
    parser.add_argument("png", help="image to write")
    parser.add_argument("--title", help="plot title (default: dataset, k and threads)")
    args = parser.parse_args()

    series = {}  # label -> [(recall, qps)]
    all_rows = []
    for path in args.results:
        try:
            rows = read_points(path)
        except (OSError, ValueError) as error:
            parser.error(str(error))
        stem = os.path.splitext(os.path.basename(path))[0]
        for row in rows:
            recall, qps = number(row["recall"]), number(row["qps_best"])
            # A log axis cannot show zero QPS; non-numbers are failed measurements.
            if not (math.isfinite(recall) and math.isfinite(qps) and qps > 0):
                continue
            label = row["spec"] if len(args.results) == 1 else f"{stem}: {row['spec']}"
            series.setdefault(label, []).append((recall, qps))
            all_rows.append(row)
    if not series:
        parser.error("no plottable point (finite recall and positive QPS) in the input")

    ks = sorted({str(r.get("k", "")) for r in all_rows} - {""})
    fig, ax = plt.subplots(figsize=(9, 6), dpi=120)
    for label, points in series.items():
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=4,
                linewidth=1.2, label=label)
    frontier = pareto_frontier([p for points in series.values() for p in points])
    ax.plot([p[0] for p in frontier], [p[1] for p in frontier], color="black", linestyle="--",
            linewidth=1.0, marker="o", markersize=9, markerfacecolor="none",
            markeredgewidth=1.2, label="Pareto frontier", zorder=3)

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
