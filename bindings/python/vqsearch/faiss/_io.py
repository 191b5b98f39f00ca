"""write_index / read_index and serialize_index / deserialize_index: vqsearch index files.

The files are vqsearch's format, not FAISS's: FAISS cannot read them nor vqsearch
FAISS's. nprobe and k_factor are not stored (they come back as 1, FAISS's defaults).
"""

import os

import numpy as np

import vqsearch

from ._index import wrap_loaded
from ._unsupported import unsupported


def _path(f, feature):
    if isinstance(f, (str, os.PathLike)):
        return f
    raise unsupported(f"{feature} on a {type(f).__name__}", "pass a file name")


def write_index(index, f):
    index.vqsearch_index.save(_path(f, "write_index"))


def read_index(f, io_flags=0):
    if io_flags:
        raise unsupported("read_index io_flags (memory-mapped or read-only loading)")
    return wrap_loaded(vqsearch.load(_path(f, "read_index")))


def serialize_index(index):
    """The index as a numpy uint8 array, as FAISS returns it."""
    return np.frombuffer(index.vqsearch_index.serialize(), dtype=np.uint8).copy()


def deserialize_index(data):
    return wrap_loaded(vqsearch.deserialize(np.ascontiguousarray(data, dtype=np.uint8).tobytes()))
