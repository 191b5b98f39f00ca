#!/usr/bin/python3
"""The before/after table of bench/ab_runners.sh's result files, for bench/RESULTS.md.

Matches each point (case, spec, params) of the "before" files with the same point of the
"after" files, takes the median over rounds of each point's median QPS, and prints one
Markdown row per point (recall before and after, QPS before and after, their ratio),
then the median and range of the ratios. A recall that differs between the builds is
marked, since a refactor that keeps results identical must keep it exactly. With
--qps=best each round contributes its best timed run instead of its median (less moved
by a neighbour's burst on a shared machine).

    /usr/bin/python3 bench/ab_table.py [--qps=median|best] OUT_DIR
"""

import argparse
import collections
import glob
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "ann"))
from plot import number, read_points  # noqa: E402

FILE_NAME = re.compile(r"r(\d+)-(before|after)-(.+)\.csv$")


def collect(out_dir, column):
    """{(case, spec, params): {label: {"recall": set, "qps": [per-round medians]}}}"""
    points = collections.OrderedDict()
    paths = sorted(glob.glob(os.path.join(out_dir, "r*-*.csv")))
    if not paths:
        raise SystemExit(f"{out_dir}: no r<round>-<label>-<case>.csv files")
    for path in paths:
        match = FILE_NAME.search(os.path.basename(path))
        if not match:
            continue
        _, label, case = match.groups()
        for row in read_points(path):
            key = (case, row["spec"], row.get("params", ""))
            entry = points.setdefault(key, {}).setdefault(label, {"recall": set(), "qps": []})
            entry["recall"].add(number(row["recall"]))
            entry["qps"].append(number(row[column]))
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qps", choices=("median", "best"), default="median")
    parser.add_argument("out_dir")
    args = parser.parse_args()
    points = collect(args.out_dir, "qps_" + args.qps)
    print("| case | spec | params | recall@10 before | after | QPS before | after | after/before |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios = []
    for (case, spec, params), labels in points.items():
        if "before" not in labels or "after" not in labels:
            continue
        before, after = labels["before"], labels["after"]
        qps_before, qps_after = statistics.median(before["qps"]), statistics.median(after["qps"])
        ratio = qps_after / qps_before
        ratios.append(ratio)
        recall_before = "/".join(f"{r:.4f}" for r in sorted(before["recall"]))
        recall_after = "/".join(f"{r:.4f}" for r in sorted(after["recall"]))
        if before["recall"] != after["recall"]:
            recall_after += " (differs)"
        print(f"| {case} | `{spec}` | {params} | {recall_before} | {recall_after} | "
              f"{qps_before:.0f} | {qps_after:.0f} | {ratio:.3f} |")
    if ratios:
        print(f"\nafter/before QPS over {len(ratios)} points: median {statistics.median(ratios):.3f}, "
              f"range {min(ratios):.3f}-{max(ratios):.3f}")


if __name__ == "__main__":
    main()
