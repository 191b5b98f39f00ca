"""The dataset builders' and compare_all.sh's Python helpers, against direct computations."""

import csv
import hashlib
import math
import os
import subprocess
import sys

import numpy as np
import pytest

_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path[:0] = [os.path.join(_ROOT, "datasets"), os.path.join(_ROOT, "bench", "baselines")]

import checksum  # noqa: E402
import common  # noqa: E402
import compare_grid  # noqa: E402


def grid(num_train, dim, small=False):
    return dict(compare_grid.grids(num_train, dim, small, [4, 16]))


def test_grid_nlist_follows_sqrt_n_and_pq_sizes_divide_the_dimension():
    words = grid(90000, 100)
    # 4 sqrt(90000) = 1200 -> 1024, 16 sqrt(90000) = 4800 -> 4096.
    assert words["VQS_SPECS"].split(";")[:2] == ["IVF1024,PQ50x4fs,Refine(SQ8)",
                                                 "IVF1024,PQ50x4fs,Refine(Flat)"]
    assert "IVF4096,PQ25x4fs,Refine(Flat)" in words["VQS_SPECS"]
    assert words["VQS_PLAIN_SPECS"] == "IVF1024,SQ8;IVF4096,SQ8"
    assert "IVF1024,PQ50x4fsr,RFlat" in words["FAISS_SPECS"]
    assert words["VQS_PARAMS"] == ("nprobe=1,2,3,4,6,8,12,16,24,32,48,64,96,128,192,256;"
                                   "refine_factor=2,4,8,16")
    assert words["FAISS_PARAMS"] == words["VQS_PARAMS"].replace("refine_factor", "k_factor")
    assert words["HNSW_PARAMS"] == "ef=10,15,20,30,40,60,80,120,160,240,320,480,640"
    # 784 = 2 x 392, but fast scan takes at most 256 sub-quantizers: widths 4 and 8.
    assert "IVF1024,PQ196x4fs,Refine(SQ8)" in grid(60000, 784)["VQS_SPECS"]
    assert "PQ98x4fs" in grid(60000, 784)["VQS_SPECS"]
    assert "PQ392" not in grid(60000, 784)["VQS_SPECS"]
    million = grid(1000000, 128)
    assert million["VQS_PLAIN_SPECS"] == "IVF4096,SQ8;IVF16384,SQ8"
    assert million["VQS_PLAIN_PARAMS"].endswith(",384,512,768,1024")
    with pytest.raises(SystemExit):
        compare_grid.subquantizer_counts(101, 2)


def test_small_grid_is_one_spec_family_and_few_points():
    small = grid(90000, 100, small=True)
    assert small["VQS_SPECS"] == "IVF1024,PQ50x4fs,Refine(SQ8);IVF1024,PQ50x4fs,Refine(Flat)"
    assert small["VQS_PARAMS"] == "nprobe=4,16,64;refine_factor=4"
    assert small["HNSW_PARAMS"] == "ef=20,80"


def test_max_queries_takes_queries_spread_over_the_test_set(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "d.hdf5"
    test = np.arange(20, dtype=np.float32).reshape(10, 2)
    with h5py.File(path, "w") as f:
        f.attrs["distance"] = "euclidean"
        f.create_dataset("train", data=np.zeros((4, 2), dtype=np.float32))
        f.create_dataset("test", data=test)
        f.create_dataset("neighbors", data=np.arange(10, dtype=np.int32).reshape(10, 1))
        f.create_dataset("distances", data=np.arange(10, dtype=np.float32).reshape(10, 1))
    subset = common.load_dataset(str(path), max_queries=3)
    # Rows r * 10 // 3: 0, 3, 6, each with its own ground truth.
    assert subset.test.tolist() == test[[0, 3, 6]].tolist()
    assert subset.neighbors.ravel().tolist() == [0, 3, 6]
    assert subset.distances.ravel().tolist() == [0.0, 3.0, 6.0]
    assert len(common.load_dataset(str(path), max_queries=50).test) == 10
    assert len(common.load_dataset(str(path)).test) == 10


def test_checksum_hashes_the_raw_little_endian_bytes(tmp_path):
    h5py = pytest.importorskip("h5py")
    train = np.arange(12, dtype=np.float32).reshape(4, 3)
    path = tmp_path / "d.hdf5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train", data=train)
        f.create_dataset("test", data=train[:2])
    line = checksum.describe(str(path))
    expected = hashlib.sha256(train.astype("<f4").tobytes()).hexdigest()[:16]
    assert f"train {expected}" in line
    assert checksum.array_digest(train, "<f4") != checksum.array_digest(train + 1, "<f4")
    assert "neighbors" not in line


def write_results(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["spec", "params", "recall", "qps_best",
                                               "qps_median", "bytes_per_vector"])
        writer.writeheader()
        writer.writerows(rows)


def point(spec, recall, qps, size):
    return {"spec": spec, "params": "", "recall": recall, "qps_best": qps,
            "qps_median": qps, "bytes_per_vector": size}


def test_table_takes_each_librarys_fastest_point_at_each_recall(tmp_path):
    ours, faiss, hnsw = tmp_path / "ours.csv", tmp_path / "faiss.csv", tmp_path / "hnsw.csv"
    write_results(ours, [point("a", 0.91, 900, 100), point("b", 0.96, 400, 600),
                         point("c", 0.995, 50, 100)])
    write_results(faiss, [point("f", 0.92, 300, 100), point("g", 0.94, 100, 100)])
    write_results(hnsw, [point("h", 0.97, 200, 500), point("h2", 0.999, 100, 500)])
    table = subprocess.run(
        [sys.executable, os.path.join(_ROOT, "bench", "baselines", "compare_table.py"),
         "--title=t", f"--library=ours={ours}", f"--library=faiss={faiss}",
         f"--library=hnswlib={hnsw}", f"--library=absent={tmp_path / 'missing.csv'}"],
        check=True, capture_output=True, text=True).stdout
    lines = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
             for line in table.splitlines() if line.startswith("| ")}
    assert lines["ours"][0].startswith("900 (`a`")
    assert lines["ours"][1].startswith("400 (`b`")
    assert lines["faiss"][1] == "not reached"
    assert lines["faiss"][2] == "not reached"
    # Best other: 300 (faiss) at 0.90, 200 and 100 (hnswlib) at 0.95 and 0.99.
    assert lines["ours / best other"] == ["3.00x", "2.00x", "0.50x"]
    # Within hnswlib's 500 bytes, b (600 bytes) is out: at 0.95 c (50 QPS) is ours.
    assert lines["ours within hnswlib's bytes / best other"] == ["3.00x", "0.25x", "0.50x"]
    assert "absent: no results" in table


def test_word_vector_steps_match_dense_computations():
    pytest.importorskip("scipy")
    import word_vectors

    ids = np.array([0, 1, 2, 0, 1, 3, 2, 1], dtype=np.int32)
    counts = word_vectors.cooccurrences(ids, 4, 2).toarray()
    expected = np.zeros((4, 4))
    for i in range(len(ids)):
        for j in range(i + 1, min(i + 3, len(ids))):
            expected[ids[i], ids[j]] += 1 / (j - i)
            expected[ids[j], ids[i]] += 1 / (j - i)
    np.testing.assert_allclose(counts, expected, rtol=1e-6)

    import scipy.sparse
    pmi = word_vectors.ppmi(scipy.sparse.csr_matrix(expected)).toarray()
    context = expected.sum(axis=0) ** 0.75
    with np.errstate(divide="ignore"):
        dense = np.log(expected / expected.sum(axis=1, keepdims=True) / (context / context.sum()))
    np.testing.assert_allclose(pmi, np.maximum(dense, 0), rtol=1e-5, atol=1e-6)

    rng = np.random.default_rng(3)
    low_rank = rng.standard_normal((60, 5)) @ rng.standard_normal((5, 40))
    left, values = word_vectors.randomized_svd(scipy.sparse.csr_matrix(low_rank), 5, seed=1)
    exact_left, exact_values, _ = np.linalg.svd(low_rank)
    np.testing.assert_allclose(values, exact_values[:5], rtol=1e-4)
    # Singular vectors are defined up to sign.
    np.testing.assert_allclose(np.abs(left.T @ exact_left[:, :5]), np.eye(5), atol=1e-3)
    assert math.isclose(np.linalg.norm(left[:, 0]), 1.0, rel_tol=1e-5)
