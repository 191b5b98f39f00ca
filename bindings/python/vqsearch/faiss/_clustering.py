"""Kmeans and knn: FAISS's clustering object and exact k-NN helper over vqsearch's own.

Kmeans runs exactly niter iterations (FAISS's stopping rule: no tolerance), from the
seed, sampling at most max_points_per_centroid x k points, and keeps the best of nredo
runs by objective; obj is the objective after each iteration of the kept run.
"""

import numpy as np

import vqsearch

from ._index_types import IndexFlatIP, IndexFlatL2
from ._metrics import METRIC_L2
from ._unsupported import unsupported

_OPTIONS = {"niter": 25, "verbose": False, "spherical": False, "seed": 1234,
            "max_points_per_centroid": 256, "min_points_per_centroid": 39, "nredo": 1,
            "update_index": True}
_UNMAPPED = ("gpu", "int_centroids", "frozen_centroids", "decode_block_size",
             "check_input_data_for_NaNs", "use_faster_subsampling")


class Kmeans:
    def __init__(self, d, k, **options):
        self.d = int(d)
        self.k = int(k)
        for name, value in options.items():
            if name in _UNMAPPED and value:
                raise unsupported(f"Kmeans option {name}")
            if name not in _OPTIONS and name not in _UNMAPPED:
                raise TypeError(f"Kmeans got an unexpected option {name!r}")
        for name, default in _OPTIONS.items():
            setattr(self, name, options.get(name, default))
        self.centroids = None
        self.obj = None
        self.index = None

    def train(self, x, weights=None, init_centroids=None):
        if weights is not None:
            raise unsupported("Kmeans.train(weights=...)")
        if init_centroids is not None:
            raise unsupported("Kmeans.train(init_centroids=...)")
        x = np.ascontiguousarray(x, dtype=np.float32)
        best = None
        for run in range(max(1, int(self.nredo))):
            result = vqsearch.kmeans(
                x, self.k, max_iterations=int(self.niter), tolerance=0.0,
                max_points_per_centroid=int(self.max_points_per_centroid),
                spherical=bool(self.spherical), seed=int(self.seed) + run, verbose=bool(self.verbose))
            if best is None or result.objective < best.objective:
                best = result
        self.centroids = best.centroids
        self.obj = np.array(best.objective_history)
        self.index = IndexFlatIP(self.d) if self.spherical else IndexFlatL2(self.d)
        self.index.add(self.centroids)
        return float(best.objective)

    def assign(self, x):
        """(D, I): each row's distance to its nearest centroid and that centroid, 1-D."""
        distances, labels = self.index.search(x, 1)
        return distances.ravel(), labels.ravel()


def knn(xq, xb, k, metric=METRIC_L2):
    """Exact (D, I) of the k nearest rows of xb for each row of xq."""
    xb = np.ascontiguousarray(xb, dtype=np.float32)
    index = IndexFlatL2(xb.shape[1]) if metric == METRIC_L2 else IndexFlatIP(xb.shape[1])
    index.add(xb)
    return index.search(xq, k)
