#!/usr/bin/python3
"""One Markdown table of libraries' fastest points at fixed recalls, for bench/RESULTS.md.

Each --library LABEL=FILE[,FILE...] is one row: at every recall target, the highest QPS
any point of its result files reaches at or above that recall@k, with the spec,
parameters and bytes per vector of that point. The first library is the one compared:
two more rows give its QPS over the best other library's at each target, over all its
points and over only those storing no more bytes per vector than the hnswlib row's
point at that target (when an hnswlib row is given). Libraries whose files are missing
are left out with a note, so a run without one baseline still gives a table.

    compare_table.py --title="words-100 (90k x 100, angular)" \\
        --library=vqsearch=vqs.csv,vqs-plain.csv --library="faiss 1.7.3=faiss.csv" \\
        --library=hnswlib=hnswlib.csv
"""

import argparse
import math
import os
import sys

# summarize.py and plot.py live in bench/ann; this script reads result files as they do.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ann"))
from plot import number, read_points  # noqa: E402
from summarize import best_at  # noqa: E402


def cell(row, column):
    """A table cell: QPS, then spec, parameters and bytes per vector of the point."""
    if row is None:
        return "not reached"
    params = f" {row['params']}" if row.get("params") else ""
    return (f"{number(row[column]):.0f} (`{row['spec']}`{params}, recall "
            f"{number(row['recall']):.3f}, {number(row.get('bytes_per_vector')):.0f} B)")


def ratio(ours, theirs, column):
    if ours is None or theirs is None:
        return "n/a"
    return f"{number(ours[column]) / number(theirs[column]):.2f}x"


def parse_library(text):
    label, equals, files = text.partition("=")
    if not equals or not label or not files:
        raise argparse.ArgumentTypeError(f"\"{text}\": expected LABEL=FILE[,FILE...]")
    return label, files.split(",")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True, help="the table's heading")
    parser.add_argument("--library", type=parse_library, action="append", required=True,
                        help="LABEL=FILE[,FILE...]; the first is the library compared")
    parser.add_argument("--recalls", default="0.9,0.95,0.99", help="recall targets")
    parser.add_argument("--qps", choices=("median", "best"), default="best",
                        help="which QPS of each point: the best (as ann-benchmarks) or median")
    args = parser.parse_args()
    try:
        targets = [float(t) for t in args.recalls.split(",")]
    except ValueError:
        parser.error("--recalls: expected numbers separated by commas")
    column = f"qps_{args.qps}"

    libraries, notes = [], []
    for label, files in args.library:
        present = [f for f in files if os.path.exists(f)]
        if not present:
            notes.append(f"{label}: no results ({', '.join(files)} missing)")
            continue
        try:
            rows = [row for f in present for row in read_points(f)]
        except (OSError, ValueError) as error:
            sys.exit(f"compare_table.py: {error}")
        libraries.append((label, rows))
    if not libraries:
        sys.exit("compare_table.py: no library has results")

    best = {label: [best_at(rows, t, column) for t in targets] for label, rows in libraries}
    ours_label, ours_rows = libraries[0]
    peers = [label for label, _ in libraries[1:]]

    print(f"#### {args.title}\n")
    print("| library | " + " | ".join(f"QPS at recall@10 >= {t}" for t in targets) + " |")
    print("|---" * (len(targets) + 1) + "|")
    for label, _ in libraries:
        print(f"| {label} | " + " | ".join(cell(r, column) for r in best[label]) + " |")
    if peers:
        best_peer = [max((best[p][i] for p in peers if best[p][i] is not None),
                         key=lambda r: number(r[column]), default=None)
                     for i in range(len(targets))]
        print(f"| {ours_label} / best other | " +
              " | ".join(ratio(best[ours_label][i], best_peer[i], column)
                         for i in range(len(targets))) + " |")
        if "hnswlib" in best:
            within = [best_at(ours_rows, t, column,
                              number(h.get("bytes_per_vector")) if h else math.inf)
                      for t, h in zip(targets, best["hnswlib"])]
            print(f"| {ours_label} within hnswlib's bytes / best other | " +
                  " | ".join(ratio(within[i], best_peer[i], column)
                             for i in range(len(targets))) + " |")
    shown = [number(r["cpu_per_wall"]) for rows in best.values() for r in rows
             if r is not None and r.get("cpu_per_wall") not in (None, "")]
    share = (f" Process CPU seconds per wall second while the points shown searched: "
             f"{min(shown):.2f}-{max(shown):.2f} (1.00: a whole core)." if shown else "")
    print(f"\nQPS: the {args.qps} of each point's timed runs; one search thread, all queries "
          f"in one call.{share}")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
