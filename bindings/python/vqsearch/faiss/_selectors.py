"""FAISS's id selectors and search parameters, as the vqsearch search keywords they become.

A selector restricts a search (SearchParameters(sel=...)) or names the vectors
remove_ids removes. IDSelectorRange is an id range; IDSelectorBatch and IDSelectorArray
are id sets (FAISS's two only differ in how they test membership).
"""

import numpy as np

from ._unsupported import unsupported


class IDSelector:
    """Base of the selectors; FAISS's other selectors (Not, And, Or, Bitmap) do not map."""

    def search_keywords(self):
        raise unsupported(type(self).__name__)

    def ids_among(self, stored_ids):
        raise unsupported(type(self).__name__)


class IDSelectorRange(IDSelector):
    """Ids in [imin, imax)."""

    def __init__(self, imin, imax, assume_sorted=False):
        self.imin = int(imin)
        self.imax = int(imax)
        self.assume_sorted = assume_sorted

    def search_keywords(self):
        begin = max(self.imin, 0)
        return {"id_range": (begin, max(begin, self.imax))}

    def ids_among(self, stored_ids):
        return stored_ids[(stored_ids >= self.imin) & (stored_ids < self.imax)]


class IDSelectorBatch(IDSelector):
    """The ids of an array: IDSelectorBatch(ids) or, as FAISS's C++ signature, (n, ids)."""

    def __init__(self, *args):
        if len(args) == 1:
            ids = args[0]
        elif len(args) == 2:
            ids = np.asarray(args[1])[:int(args[0])]
        else:
            raise TypeError("IDSelectorBatch(ids) or IDSelectorBatch(n, ids)")
        self.ids = np.ascontiguousarray(ids, dtype=np.int64).ravel()

    def search_keywords(self):
        return {"ids": self.ids}

    def ids_among(self, stored_ids):
        return self.ids


class IDSelectorArray(IDSelectorBatch):
    """The same id set as IDSelectorBatch."""


def as_selector(sel):
    """remove_ids takes a selector or, as FAISS's Python wrapper does, an array of ids."""
    if isinstance(sel, IDSelector):
        return sel
    if isinstance(sel, (np.ndarray, list, tuple)):
        return IDSelectorBatch(sel)
    raise TypeError(f"expected an IDSelector or an array of ids, got {type(sel).__name__}")


class SearchParameters:
    """Per-call search parameters; sel restricts the search to the ids it selects."""

    def __init__(self, sel=None):
        self.sel = sel


class SearchParametersIVF(SearchParameters):
    """nprobe replaces the index's nprobe for this call (FAISS's default here is 1, too)."""

    def __init__(self, nprobe=1, sel=None, max_codes=0, quantizer_params=None):
        super().__init__(sel)
        self.nprobe = nprobe
        if max_codes:
            raise unsupported("SearchParametersIVF.max_codes", "bound the work with nprobe")
        if quantizer_params is not None:
            raise unsupported("SearchParametersIVF.quantizer_params")
        self.max_codes = 0


class IndexRefineSearchParameters(SearchParameters):
    """k_factor x k candidates of the base index are re-ranked; base_index_params go down."""

    def __init__(self, k_factor=1.0, base_index_params=None, sel=None):
        super().__init__(sel)
        self.k_factor = k_factor
        self.base_index_params = base_index_params
