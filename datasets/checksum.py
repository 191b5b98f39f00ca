#!/usr/bin/python3
"""Prints the SHA-256 of each array of ann-benchmarks HDF5 files, so that rebuilds can be
compared with the checksums in datasets/README.md.

    checksum.py FILE.hdf5 ...

One line per file: its name, the shape of `train` and `test`, and the first 16 hex digits
of the SHA-256 of the raw little-endian bytes of `train`, `test` and, when present,
`neighbors` (row-major, as stored). The HDF5 container itself is not hashed: its bytes
hold creation times and layout choices that say nothing about the data.
"""

import hashlib
import os
import sys

import h5py
import numpy as np

_ARRAYS = (("train", "<f4"), ("test", "<f4"), ("neighbors", "<i4"))


def array_digest(array, dtype):
    """First 16 hex digits of the SHA-256 of the array as C-ordered `dtype` bytes."""
    return hashlib.sha256(np.ascontiguousarray(array, dtype=dtype).tobytes()).hexdigest()[:16]


def describe(path):
    with h5py.File(path, "r") as f:
        parts = [f"{os.path.basename(path)}: train {f['train'].shape}, test {f['test'].shape}"]
        parts += [f"{name} {array_digest(f[name][:], dtype)}"
                  for name, dtype in _ARRAYS if name in f]
    return ", ".join(parts)


def main():
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} FILE.hdf5 ...")
    for path in sys.argv[1:]:
        try:
            print(describe(path))
        except (OSError, KeyError) as error:
            sys.exit(f"checksum.py: {path}: {error}")


if __name__ == "__main__":
    main()
