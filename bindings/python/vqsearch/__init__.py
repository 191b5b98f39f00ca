"""vqsearch: nearest-neighbour search over embeddings by vector quantization.

The Python face of the vqsearch C++ library. Build an index from a FAISS-style spec
string, train it, add vectors, search::

    import numpy as np
    import vqsearch

    x = np.random.default_rng(0).random((10000, 64), dtype=np.float32)
    index = vqsearch.Index("IVF64,Flat", 64)
    index.train(x)
    index.add(x)
    distances, ids = index.search(x[:5], 10, nprobe=8)

Arrays: float32 C-contiguous inputs are used without a copy; other real dtypes and
layouts are converted to float32 (a copy); anything else raises ValueError. The GIL is
released while C++ works, so searches from several threads run in parallel.

Errors: ValueError for bad arguments, OSError (FileNotFoundError, ...) for missing or
damaged files, RuntimeError for calls in the wrong state.
"""

from typing import List, NamedTuple

import numpy as np

from . import _vqsearch
from ._vqsearch import __version__  # the CMake project version
from ._vqsearch import (AnnDataset, Index, Progress, active_isa, ann_distance, assign,
                        available_cpus, deserialize, get_num_threads, load, read_ann_hdf5,
                        read_bvecs, read_fvecs, read_ivecs, recall, set_num_threads,
                        write_bvecs, write_fvecs, write_ivecs)

__all__ = [
    "AnnDataset", "Index", "KMeansResult", "Progress", "active_isa", "ann_distance", "assign",
    "available_cpus", "deserialize", "get_num_threads", "kmeans", "load", "read_ann_hdf5",
    "read_bvecs", "read_fvecs", "read_ivecs", "recall", "set_num_threads", "write_bvecs",
    "write_fvecs", "write_ivecs",
]


class KMeansResult(NamedTuple):
    """What vqsearch.kmeans returns.

    centroids: float32 (k, dim). assignments: int64 (n,), the nearest centroid of every
    input row (all rows, not only the training sample). objective: the final objective
    (sum of squared distances on the training sample, or of 1 - cosine when spherical).
    objective_history: the objective after each iteration. empty_cluster_splits: how
    many times an empty cluster was repaired by splitting another.
    """

    centroids: np.ndarray
    assignments: np.ndarray
    objective: float
    objective_history: List[float]
    empty_cluster_splits: int


def kmeans(x, k, **options) -> KMeansResult:
    """Clusters the rows of x (n, dim) into k clusters with vqsearch's k-means.

    Keyword options (defaults in brackets): max_iterations [25]; tolerance [1e-4], stop
    when the objective improves by less than this fraction (0 runs every iteration);
    max_points_per_centroid [256], train on a deterministic sample of at most this many
    points per centroid (0 = all); init ["random"], "kmeans++" or "two-level" (sqrt(k)
    clusters, each split in proportion to its size: for large k); spherical [False],
    unit-length centroids and assignment by inner product; seed [1234]; num_threads [0 =
    the default of set_num_threads]; progress [None], a callable taking a vqsearch.Progress after each
    iteration, returning False to cancel; verbose [False], print progress to stderr.

    For a fixed seed the result is identical whatever num_threads is. x follows the array
    rules of vqsearch.Index. Raises ValueError for bad arguments (k < 1 or k > n, NaN).
    """
    centroids, assignments, history, splits = _vqsearch._kmeans(x, k, **options)
    return KMeansResult(centroids, assignments, history[-1] if history else 0.0, history,
                        splits)
