"""Dataset helpers: ann-benchmarks HDF5 files, recall@k and vecs files."""

import numpy as np
import pytest

import vqsearch
from conftest import K, NLIST, brute_force, build


def test_hdf5_round_trip_and_recall(tmp_path, base, queries):
    exact_distances, exact_ids = brute_force(base, queries, K)
    dataset = vqsearch.AnnDataset("euclidean", base, queries, exact_ids,
                                  np.sqrt(exact_distances))
    dataset.save(tmp_path / "data.hdf5")
    read = vqsearch.read_ann_hdf5(tmp_path / "data.hdf5")
    assert (read.distance, read.metric, read.dim, read.gt_k) == ("euclidean", "l2", base.shape[1], K)
    np.testing.assert_array_equal(read.train, base)
    np.testing.assert_array_equal(read.test, queries)
    np.testing.assert_array_equal(read.neighbors, exact_ids)
    assert read.train.dtype == np.float32 and read.neighbors.dtype == np.int32
    assert not read.train.flags.writeable

    assert vqsearch.recall(read, exact_ids, K) == 1.0
    index = build("IVF32,Flat", read.train)
    _, one_probe = index.search(read.test, K, nprobe=1)
    expected = np.mean([len(set(a) & set(b)) / K for a, b in zip(one_probe, exact_ids)])
    assert vqsearch.recall(read, one_probe, K) == pytest.approx(expected)
    assert vqsearch.recall(read, one_probe, K) < 1.0
    _, all_lists = index.search(read.test, K, nprobe=NLIST)
    assert vqsearch.recall(read, all_lists, K) == 1.0
    with pytest.raises(ValueError):
        vqsearch.recall(read, exact_ids, K + 1)


def test_dataset_arrays_outlive_the_dataset(tmp_path, base, queries):
    vqsearch.AnnDataset("angular", base, queries).save(tmp_path / "d.hdf5")
    train = vqsearch.read_ann_hdf5(tmp_path / "d.hdf5").train  # the dataset is dropped here
    np.testing.assert_array_equal(train, base)


def test_dataset_errors(base, queries):
    with pytest.raises(ValueError):
        vqsearch.AnnDataset("euclidean", base, queries[:, :5])
    with pytest.raises(ValueError, match="both"):
        vqsearch.AnnDataset("euclidean", base, queries, neighbors=np.zeros((len(queries), 2)))


def test_vecs_round_trip(tmp_path, base):
    vqsearch.write_fvecs(tmp_path / "a.fvecs", base)
    np.testing.assert_array_equal(vqsearch.read_fvecs(tmp_path / "a.fvecs"), base)
    np.testing.assert_array_equal(vqsearch.read_fvecs(tmp_path / "a.fvecs", max_rows=5), base[:5])
    small = np.arange(24).reshape(4, 6)
    vqsearch.write_ivecs(tmp_path / "a.ivecs", small)
    np.testing.assert_array_equal(vqsearch.read_ivecs(tmp_path / "a.ivecs"), small)
    vqsearch.write_bvecs(tmp_path / "a.bvecs", small)
    np.testing.assert_array_equal(vqsearch.read_bvecs(tmp_path / "a.bvecs"), small)
    with pytest.raises(FileNotFoundError):
        vqsearch.read_fvecs(tmp_path / "missing.fvecs")


def test_ann_distance(base):
    a, b = base[0], base[1]
    euclidean = np.sqrt(((a.astype(np.float64) - b) ** 2).sum())
    assert vqsearch.ann_distance("euclidean", a, b) == pytest.approx(euclidean, rel=1e-12)
    cosine = a.astype(np.float64) @ b / (np.linalg.norm(a.astype(np.float64)) * np.linalg.norm(b))
    assert vqsearch.ann_distance("angular", a, b) == pytest.approx(1 - cosine, rel=1e-9)
    with pytest.raises(ValueError, match="hamming"):
        vqsearch.ann_distance("hamming", a, b)
    with pytest.raises(ValueError):
        vqsearch.ann_distance("euclidean", a, b[:3])
