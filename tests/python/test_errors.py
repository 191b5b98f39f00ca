"""C++ errors become ValueError, OSError or RuntimeError carrying the C++ message."""

import numpy as np
import pytest

import vqsearch
from conftest import DIM, K, build


def test_bad_spec_and_metric():
    with pytest.raises(ValueError, match="IVFx"):
        vqsearch.Index("IVFx,Flat", DIM)
    with pytest.raises(ValueError, match="manhattan"):
        vqsearch.Index("Flat", DIM, metric="manhattan")


def test_calls_in_the_wrong_state(base, queries):
    index = vqsearch.Index("IVF32,Flat", DIM)
    with pytest.raises(RuntimeError, match="trained"):
        index.search(queries, K)
    with pytest.raises(RuntimeError, match="trained"):
        index.add(base)
    index.train(base)
    with pytest.raises(RuntimeError, match="empty"):
        index.search(queries, K)
    index.add(base)
    with pytest.raises(RuntimeError, match="train"):
        index.train(base)


def test_missing_and_damaged_files(tmp_path, base):
    with pytest.raises(FileNotFoundError, match="missing.vqs"):
        vqsearch.load(tmp_path / "missing.vqs")
    (tmp_path / "junk.vqs").write_bytes(b"not an index at all")
    with pytest.raises(OSError):
        vqsearch.load(tmp_path / "junk.vqs")

    index = build("IVF32,PQ8", base)
    data = bytearray(index.serialize())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "corrupt.vqs").write_bytes(bytes(data))
    with pytest.raises(OSError, match="(?i)checksum|corrupt"):
        vqsearch.load(tmp_path / "corrupt.vqs")
    with pytest.raises(OSError):
        vqsearch.deserialize(bytes(data[: len(data) // 3]))
    with pytest.raises(OSError):
        index.save(tmp_path / "no_such_dir" / "index.vqs")
    with pytest.raises(FileNotFoundError):
        vqsearch.read_ann_hdf5(tmp_path / "missing.hdf5")
