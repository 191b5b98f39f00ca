#!/usr/bin/python3
"""How much of the coarse probe an exact principal-component bound could skip, per dataset.

The coarse probe scores every query against all nlist centroids in d dimensions. With the
centroids' top d' principal directions P (rows orthonormal, centred on the centroids' mean
m), for any query q and centroid c

    ||q - c||^2 >= ||P(q - c)||^2 + (||q - m||_perp - ||c - m||_perp)^2,

where ||.||_perp is the norm of the part outside P's span (reverse triangle inequality on
that part). A probe that scores this bound for all lists in d' dimensions, then computes
exact distances in bound order until the next bound exceeds the nprobe-th exact distance,
returns the same lists. This script measures, on a query sample, how many exact
distances that takes and the resulting multiply-adds against the full product
(nlist * d' + evaluations * d, over nlist * d). It changes nothing in the library.

    coarse_bound_study.py --dataset=data/fashion-mnist-784-euclidean.hdf5 \\
        --nlist=1024 --nprobe=8,24 --dims=32,64,128

Centroids come from vqsearch's k-means (the IVF recipe: two-level start, 4 iterations),
so the vqsearch Python module must be importable (PYTHONPATH=<build>/python). Angular
datasets are normalized first, as a cosine index does.
"""

import argparse

import h5py
import numpy as np
import vqsearch


def parse_list(text):
    return [int(v) for v in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="ann-benchmarks HDF5 file")
    parser.add_argument("--nlist", type=int, default=1024)
    parser.add_argument("--nprobe", type=parse_list, default=[8, 24])
    parser.add_argument("--dims", type=parse_list, default=[32, 64, 128],
                        help="principal directions d' of the bound")
    parser.add_argument("--queries", type=int, default=500,
                        help="test queries, spread evenly over the test set")
    args = parser.parse_args()

    with h5py.File(args.dataset, "r") as f:
        train = f["train"][:].astype(np.float32)
        test = f["test"][:]
        angular = f.attrs.get("distance", "") in ("angular", b"angular")
    queries = test[np.arange(args.queries) * len(test) // args.queries].astype(np.float32)
    if angular:
        train /= np.linalg.norm(train, axis=1, keepdims=True) + 1e-30
        queries /= np.linalg.norm(queries, axis=1, keepdims=True) + 1e-30

    centroids = np.asarray(
        vqsearch.kmeans(train, args.nlist, init="two-level", max_iterations=4).centroids,
        dtype=np.float64)
    q = queries.astype(np.float64)
    mean = centroids.mean(axis=0)
    _, singular, directions = np.linalg.svd(centroids - mean, full_matrices=False)
    dim = centroids.shape[1]
    exact = ((q[:, None, :] - centroids[None]) ** 2).sum(-1)
    exact_sorted = np.sort(exact, axis=1)
    for dims in args.dims:
        basis = directions[:dims]
        c_in = (centroids - mean) @ basis.T
        q_in = (q - mean) @ basis.T
        c_out = np.sqrt(np.maximum(((centroids - mean) ** 2).sum(1) - (c_in ** 2).sum(1), 0))
        q_out = np.sqrt(np.maximum(((q - mean) ** 2).sum(1) - (q_in ** 2).sum(1), 0))
        bound = ((q_in[:, None, :] - c_in[None]) ** 2).sum(-1) + (q_out[:, None] - c_out[None]) ** 2
        energy = (singular[:dims] ** 2).sum() / (singular ** 2).sum()
        for nprobe in args.nprobe:
            # Lists whose bound is at most the nprobe-th exact distance must be scored
            # exactly; the others are skipped.
            evaluations = (bound <= exact_sorted[:, nprobe - 1][:, None]).sum(axis=1)
            ratio = (args.nlist * dims + evaluations.mean() * dim) / (args.nlist * dim)
            print(f"d={dim} d'={dims} energy={energy:.2f} nprobe={nprobe}: exact distances "
                  f"mean {evaluations.mean():.1f}, p90 {np.percentile(evaluations, 90):.0f} "
                  f"of {args.nlist}; multiply-adds x{ratio:.2f} of the full product")


if __name__ == "__main__":
    main()
