"""The inputs ShardedIndex.add takes, cut into pieces that are each added to one shard.

A piece is a numpy slice, one block of a Dask array (rows), or one data file read by the
worker that adds it: a TEXMEX .fvecs file, or an HDF5 file (.hdf5, .h5) whose dataset
(by default "train", the ann-benchmarks layout) holds the vectors. Files must be
readable at the same path from the client (which counts their rows) and the workers.
"""

import os
from typing import List, NamedTuple

import numpy as np

import vqsearch

HDF5_SUFFIXES = (".hdf5", ".h5")


class Piece(NamedTuple):
    rows: int
    data: object  # a numpy array, a dask.delayed block, or a (path, hdf5 dataset) pair
    kind: str  # "array", "block" or "file"


def _file_rows(path: str, dataset: str, dim: int) -> int:
    if path.endswith(".fvecs"):
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            header = np.fromfile(f, dtype=np.int32, count=1)
        if header.size == 0:
            return 0
        if header[0] != dim or size % (4 + 4 * dim):
            raise ValueError(f"{path}: not an fvecs file of dimension {dim}")
        return size // (4 + 4 * dim)
    if path.endswith(HDF5_SUFFIXES):
        import h5py  # imported when needed: only HDF5 inputs use it, and it loads slowly
        with h5py.File(path, "r") as f:
            if dataset not in f:
                raise ValueError(f"{path}: no dataset {dataset!r}")
            shape = f[dataset].shape
        if len(shape) != 2 or shape[1] != dim:
            raise ValueError(f"{path}: dataset {dataset!r} has shape {shape}, not (n, {dim})")
        return shape[0]
    raise ValueError(f"{path}: data files must end in .fvecs, .hdf5 or .h5")


def read_file(source) -> np.ndarray:
    """The vectors of one file piece, as float32 (n, dim)."""
    path, dataset = source
    if path.endswith(".fvecs"):
        return vqsearch.read_fvecs(path)
    import h5py
    with h5py.File(path, "r") as f:
        return np.ascontiguousarray(f[dataset][...], dtype=np.float32)


def pieces(data, dim: int, min_pieces: int, hdf5_dataset: str = "train",
           max_rows: int = 1 << 18) -> List[Piece]:
    """Cuts data (numpy array, Dask array, or list of file paths) into pieces. A numpy
    array is cut into at least min_pieces equal slices (one per shard) of at most
    max_rows rows each, so that no message is too large; Dask blocks and files are
    pieces as they are."""
    if isinstance(data, (list, tuple)) and all(isinstance(p, (str, os.PathLike)) for p in data):
        paths = [os.fspath(p) for p in data]
        return [Piece(_file_rows(p, hdf5_dataset, dim), (p, hdf5_dataset), "file") for p in paths]
    if type(data).__module__.startswith("dask"):
        if data.ndim != 2 or data.shape[1] != dim:
            raise ValueError(f"data has shape {data.shape}, expected (n, {dim})")
        if any(np.isnan(c) for c in data.chunks[0]):
            data = data.compute_chunk_sizes()
        blocks = data.rechunk({1: -1}).to_delayed().ravel()
        return [Piece(int(n), block, "block") for n, block in zip(data.chunks[0], blocks)]
    array = np.asarray(data)
    if array.ndim != 2 or array.shape[1] != dim:
        raise ValueError(f"data has shape {array.shape}, expected (n, {dim})")
    count = max(min_pieces, -(-len(array) // max_rows))
    bounds = np.linspace(0, len(array), count + 1).astype(np.int64)
    return [Piece(int(e - b), array[b:e], "array") for b, e in zip(bounds[:-1], bounds[1:]) if e > b]
