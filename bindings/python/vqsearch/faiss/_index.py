"""Index: a vqsearch.Index behind FAISS's index interface.

Results follow FAISS: search returns (D, I), float32 distances and int64 ids of shape
(n, k), squared L2 distances ascending or inner products descending, and missing
results are id -1 with distance FLT_MAX (L2) or -FLT_MAX (inner product). Ids given by
add() are ntotal, ntotal + 1, ... as FAISS numbers them. nprobe (IVF) and k_factor
(refinement) are attributes with FAISS's defaults (1 and 1), read at every search.
"""

import math

import numpy as np

import vqsearch

from ._metrics import METRIC_L2, faiss_metric, missing_distance, vqsearch_metric
from ._selectors import (IDSelectorRange, IndexRefineSearchParameters, SearchParameters,
                         SearchParametersIVF, as_selector)
from ._unsupported import unsupported

# vqsearch's largest k (range_search grows k up to it).
_MAX_K = 1 << 20


class Index:
    """What every index of vqsearch.faiss offers; subclasses only choose the spec."""

    def __init__(self, d=0, metric=None):
        raise unsupported("the abstract faiss.Index", "create a concrete index or use index_factory")

    def _create(self, spec, d, metric):
        self._attach(vqsearch.Index(spec, int(d), vqsearch_metric(metric)), metric)

    def _attach(self, vq_index, metric):
        self._vq = vq_index
        self.metric_type = metric
        self.verbose = False
        taken = vq_index.search_params()
        self._takes_nprobe = "nprobe" in taken
        self._takes_refine = "refine_factor" in taken
        if self._takes_nprobe:
            self.nprobe = 1
        if self._takes_refine:
            self.k_factor = 1.0

    @classmethod
    def _wrap(cls, vq_index, metric):
        index = cls.__new__(cls)
        index._attach(vq_index, metric)
        return index

    def __getattr__(self, name):
        # Only called for names not found: FAISS attributes this layer does not map.
        if name.startswith("_"):
            raise AttributeError(name)
        raise unsupported(f"{type(self).__name__}.{name}")

    def __repr__(self):
        return f"<vqsearch.faiss.{type(self).__name__} {self._vq.spec!r} d={self.d} ntotal={self.ntotal}>"

    @property
    def d(self):
        return self._vq.dim

    @property
    def ntotal(self):
        return self._vq.ntotal

    @property
    def is_trained(self):
        return self._vq.is_trained

    @property
    def vqsearch_index(self):
        """The vqsearch.Index doing the work."""
        return self._vq

    def train(self, x):
        self._vq.train(_matrix(x, self.d), verbose=self.verbose)

    def add(self, x):
        x = _matrix(x, self.d)
        if x.shape[0] == 0:
            return  # FAISS accepts an empty batch
        start = self.ntotal
        ids = np.arange(start, start + x.shape[0], dtype=np.int64)
        try:
            self._vq.add(x, ids, verbose=self.verbose)
        except ValueError as error:
            # An index written by vqsearch itself without ids numbers its vectors.
            if "without ids" not in str(error):
                raise
            self._vq.add(x, verbose=self.verbose)

    def add_with_ids(self, x, ids):
        x = _matrix(x, self.d)
        ids = np.ascontiguousarray(ids, dtype=np.int64).ravel()
        if ids.shape[0] != x.shape[0]:
            raise ValueError(f"add_with_ids: {x.shape[0]} vectors but {ids.shape[0]} ids")
        if x.shape[0] == 0:
            return
        self._vq.add(x, ids, verbose=self.verbose)

    def search(self, x, k, *, params=None, D=None, I=None):
        x = _matrix(x, self.d)
        k = int(k)
        keywords = self._search_keywords(params)
        if self.ntotal == 0 or x.shape[0] == 0:
            if k <= 0:
                raise ValueError(f"k must be positive, got {k}")
            distances = np.full((x.shape[0], k), missing_distance(self.metric_type), np.float32)
            ids = np.full((x.shape[0], k), -1, np.int64)
        else:
            distances, ids = self._vq.search(x, k, **keywords)
            missing = ids < 0
            if missing.any():
                distances[missing] = missing_distance(self.metric_type)
        return _into(distances, D), _into(ids, I)

    def range_search(self, x, thresh, *, params=None):
        """(lims, D, I): query i's results are D[lims[i]:lims[i + 1]], I[lims[i]:lims[i + 1]].

        A result is a vector closer than thresh (L2: distance < thresh; inner product:
        similarity > thresh), among those the search reaches (an IVF index's nprobe
        lists). Each query's results come closest first.
        """
        x = _matrix(x, self.d)
        keywords = self._search_keywords(params)
        n = x.shape[0]
        rows_d = [np.empty(0, np.float32)] * n
        rows_i = [np.empty(0, np.int64)] * n
        cap = min(self.ntotal, _MAX_K)
        pending = np.arange(n)
        k = min(64, cap)
        while pending.size and k > 0:
            distances, ids = self._vq.search(x[pending], k, **keywords)
            inside = (ids >= 0) & ((distances < thresh) if self.metric_type == METRIC_L2
                                   else (distances > thresh))
            # A row whose k-th result is still inside may have more beyond k.
            grow = inside[:, -1] if k < cap else np.zeros(pending.size, bool)
            for row in np.flatnonzero(~grow):
                rows_d[pending[row]] = distances[row][inside[row]]
                rows_i[pending[row]] = ids[row][inside[row]]
            pending = pending[grow]
            k = min(4 * k, cap)
        lims = np.zeros(n + 1, np.uint64)
        np.cumsum([len(r) for r in rows_i], out=lims[1:])
        return (lims, np.concatenate([np.empty(0, np.float32), *rows_d]),
                np.concatenate([np.empty(0, np.int64), *rows_i]))

    def remove_ids(self, sel):
        """Removes the vectors sel selects (an IDSelector or an array of ids); returns how many.

        The other vectors keep their ids (FAISS's IndexFlat renumbers them instead).
        """
        ids = as_selector(sel).ids_among(self._vq.stored_ids())
        return int(self._vq.remove(ids)) if len(ids) else 0

    def reset(self):
        """Removes every vector; training is kept and add() numbers from 0 again."""
        self.remove_ids(IDSelectorRange(0, np.iinfo(np.int64).max))

    def reconstruct(self, key):
        return self.reconstruct_batch([key])[0]

    def reconstruct_n(self, n0=0, ni=None):
        ni = self.ntotal - n0 if ni is None else ni
        return self.reconstruct_batch(np.arange(n0, n0 + ni))

    def reconstruct_batch(self, keys):
        try:
            return self._vq.reconstruct(np.ascontiguousarray(keys, dtype=np.int64).ravel())
        except NotImplementedError as error:
            raise unsupported(f"{type(self).__name__}.reconstruct", str(error)) from None

    def _search_keywords(self, params):
        """The vqsearch search keywords of this index's attributes and of `params`."""
        nprobe = getattr(self, "nprobe", None)
        k_factor = getattr(self, "k_factor", None)
        sel = None
        while params is not None:
            if not isinstance(params, SearchParameters):
                raise TypeError(f"params must be a SearchParameters, got {type(params).__name__}")
            sel = params.sel if params.sel is not None else sel
            if isinstance(params, IndexRefineSearchParameters):
                if not self._takes_refine:
                    raise ValueError(f"IndexRefineSearchParameters on {self._vq.spec!r}, which has no refinement")
                k_factor = params.k_factor
                params = params.base_index_params
                continue
            if isinstance(params, SearchParametersIVF):
                if not self._takes_nprobe:
                    raise ValueError(f"SearchParametersIVF on {self._vq.spec!r}, which is not an IVF index")
                nprobe = params.nprobe
            params = None
        keywords = {}
        if self._takes_nprobe:
            keywords["nprobe"] = int(nprobe)
        if self._takes_refine:
            keywords["refine_factor"] = max(1, math.ceil(k_factor))
        if sel is not None:
            keywords.update(sel.search_keywords())
        return keywords


def _matrix(x, d):
    """x as FAISS's wrapper makes it: a float32 C-contiguous (n, d) array (no copy if it is one)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim == 1 and x.shape[0] == d:
        x = x.reshape(1, d)
    if x.ndim != 2 or x.shape[1] != d:
        raise ValueError(f"expected vectors of shape (n, {d}), got {x.shape}")
    return x


def _into(result, out):
    """FAISS's search can fill arrays the caller passed (D=..., I=...)."""
    if out is None:
        return result
    out[...] = result
    return out


def wrap_loaded(vq_index):
    """The FAISS-named wrapper of an index vqsearch created, loaded or deserialized."""
    from ._factory import index_class
    metric = faiss_metric(vq_index.metric)
    return index_class(vq_index.spec, metric)._wrap(vq_index, metric)
