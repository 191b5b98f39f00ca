#!/usr/bin/python3
"""The spec and parameter grids compare_all.sh measures on one dataset, scaled to its shape.

Reads only the dataset's shape and distance, and prints shell assignments for
compare_all.sh to eval:

    VQS_SPECS, VQS_PARAMS            vqsearch specs with a refine stage and their grid
    VQS_PLAIN_SPECS, VQS_PLAIN_PARAMS  vqsearch specs without one (no refine_factor)
    FAISS_SPECS, FAISS_PARAMS        FAISS index_factory specs of both releases
    FAISS_LATEST_SPECS               specs only newer releases know (IVF-RaBitQ, 1.11+)
    HNSW_PARAMS                      hnswlib's ef grid

    compare_grid.py --dataset=data/debian-words-100-angular.hdf5 [--grid=small]

Lists: nlist is the power of two nearest to each --nlist_factors multiple of sqrt(N)
(FAISS's guideline is 4-16 sqrt(N)), so lists hold tens to hundreds of vectors on any N.
Codes: 4-bit PQ fast scan with sub-spaces of 2, 4 or 8 dimensions (the two finest that
divide d and give at most 256 sub-quantizers), re-ranked from SQ8 codes or from the float
vectors; IVF-SQ8 unrefined. FAISS gets the same shapes in its own spelling
(PQ<m>x4fsr,RFlat; Refine(SQ8)). The metric is the dataset's: vqsearch reads "angular" as
cosine, faiss_ivf.py normalizes the vectors, hnswlib_bench.py uses the cosine space.
--grid=small is one nlist, one code size and a few points, for a smoke test.
"""

import argparse
import math
import shlex
import sys

import h5py

# Sub-space widths (dimensions per 4-bit code) tried, finest first.
_SUBSPACE_WIDTHS = (2, 4, 8, 16)
_MAX_SUBQUANTIZERS = 256  # fast scan's limit, in vqsearch and FAISS alike


def nearest_power_of_two(x):
    return 2 ** max(0, round(math.log2(x)))


def subquantizer_counts(dim, how_many):
    """PQ sizes m (dim / width) for the finest sub-space widths that fit fast scan."""
    counts = [dim // w for w in _SUBSPACE_WIDTHS
              if dim % w == 0 and dim // w <= _MAX_SUBQUANTIZERS]
    if not counts:
        sys.exit(f"compare_grid.py: no sub-space width in {_SUBSPACE_WIDTHS} divides {dim}")
    return counts[:how_many]


def powers_of_two(low, high):
    values, v = [], low
    while v <= high:
        values.append(v)
        v *= 2
    return values


def geometric_steps(low, high):
    """Powers of two from low to high and the points 1.5x each (1, 2, 3, 4, 6, 8, 12, ...):
    a recall target between two powers of two is then crossed within a 1.5x step of the
    parameter instead of a 2x one, for every library alike."""
    values = set(powers_of_two(low, high))
    values |= {3 * v // 2 for v in values if v >= 2 and 3 * v // 2 <= high}
    return sorted(values)


def grids(num_train, dim, small, nlist_factors):
    """The assignments, as (name, value) pairs."""
    nlists = sorted({nearest_power_of_two(f * math.sqrt(num_train)) for f in nlist_factors})
    if small:
        nlists = nlists[:1]
    ms = subquantizer_counts(dim, 1 if small else 2)
    refined, plain, faiss, faiss_latest = [], [], [], []
    for n in nlists:
        for m in ms:
            refined += [f"IVF{n},PQ{m}x4fs,Refine(SQ8)", f"IVF{n},PQ{m}x4fs,Refine(Flat)"]
            faiss += [f"IVF{n},PQ{m}x4fs,Refine(SQ8)", f"IVF{n},PQ{m}x4fsr,RFlat"]
        plain.append(f"IVF{n},SQ8")
        faiss.append(f"IVF{n},SQ8")
        # 4-bit RaBitQ (plain and fast scan) needs no refine; 1-bit fast scan does.
        faiss_latest += [f"IVF{n},RaBitQ4", f"IVF{n},RaBitQfs4", f"IVF{n},RaBitQfs,RFlat"]
    # Probing a quarter of the lists is already slower than a graph at recall 0.99.
    nprobes = geometric_steps(1, max(1, min(nlists) // 4))
    if small:
        nprobes = [p for p in (4, 16, 64) if p <= max(nprobes)] or nprobes[:1]
    nprobe = ",".join(map(str, nprobes))
    factors = "4" if small else "2,4,8,16"
    return [
        ("VQS_SPECS", ";".join(refined)),
        ("VQS_PARAMS", f"nprobe={nprobe};refine_factor={factors}"),
        ("VQS_PLAIN_SPECS", ";".join(plain)),
        ("VQS_PLAIN_PARAMS", f"nprobe={nprobe}"),
        ("FAISS_SPECS", ";".join(faiss)),
        ("FAISS_LATEST_SPECS", ";".join(faiss_latest)),
        ("FAISS_PARAMS", f"nprobe={nprobe};k_factor={factors}"),
        ("HNSW_PARAMS", "ef=20,80" if small else
         "ef=" + ",".join(map(str, geometric_steps(10, 640)))),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="ann-benchmarks HDF5 file")
    parser.add_argument("--grid", choices=("full", "small"), default="full")
    parser.add_argument("--nlist_factors", default="4,16",
                        help="nlist = these multiples of sqrt(N), rounded to powers of two")
    args = parser.parse_args()
    try:
        factors = [float(f) for f in args.nlist_factors.split(",")]
    except ValueError:
        parser.error("--nlist_factors: expected numbers separated by commas")
    if not factors or min(factors) <= 0:
        parser.error("--nlist_factors: expected positive numbers")
    try:
        with h5py.File(args.dataset, "r") as f:
            num_train, dim = f["train"].shape
    except (OSError, KeyError) as error:
        sys.exit(f"compare_grid.py: cannot read the train set of {args.dataset}: {error}")
    for name, value in grids(num_train, dim, args.grid == "small", factors):
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
