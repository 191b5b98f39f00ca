"""Search's calling conventions: one vector as one row, drop_missing, the parameters an
index takes (search_params) and the errors for the ones it does not."""

import numpy as np
import pytest

import vqsearch
from conftest import DIM, K, build


def test_a_single_vector_is_searched_as_one_row(base, queries):
    index = build("IVF32,Flat", base)
    distances, ids = index.search(queries[3], K, nprobe=4)
    assert distances.shape == (K,) and ids.shape == (K,)
    batch_distances, batch_ids = index.search(queries, K, nprobe=4)
    np.testing.assert_array_equal(ids, batch_ids[3])
    np.testing.assert_allclose(distances, batch_distances[3], rtol=1e-5)
    # A list works too, and a float64 vector is converted like a matrix would be.
    _, list_ids = index.search(list(map(float, queries[3])), K, nprobe=4)
    np.testing.assert_array_equal(list_ids, ids)


def test_a_vector_of_the_wrong_length_or_a_3d_array_is_refused(base):
    index = build("Flat", base)
    with pytest.raises(ValueError, match="dimension"):
        index.search(np.zeros(DIM + 1, dtype=np.float32), K)
    with pytest.raises(ValueError, match="2 dimension"):
        index.search(np.zeros((1, 1, DIM), dtype=np.float32), K)


def test_drop_missing_returns_only_real_results(base):
    index = build("Flat", base[:5])
    queries = base[:3] + 0.5
    padded_distances, padded_ids = index.search(queries, 8)
    assert (padded_ids[:, 5:] == -1).all() and np.isinf(padded_distances[:, 5:]).all()
    distances, ids = index.search(queries, 8, drop_missing=True)
    assert len(ids) == 3 and len(distances) == 3
    for row in range(3):
        np.testing.assert_array_equal(ids[row], padded_ids[row, :5])
        np.testing.assert_array_equal(distances[row], padded_distances[row, :5])
    # Rows may differ in length: an id filter lets two vectors through for every query.
    _, filtered = index.search(queries, 8, drop_missing=True, ids=[1, 3])
    assert all(sorted(row.tolist()) == [1, 3] for row in filtered)
    one_distances, one_ids = index.search(queries[0], 8, drop_missing=True)
    np.testing.assert_array_equal(one_ids, padded_ids[0, :5])
    assert one_distances.dtype == np.float32 and one_ids.dtype == np.int64


def test_search_params_lists_names_defaults_and_ranges(base):
    assert list(build("Flat", base).search_params()) == ["num_threads"]
    refine = build("IVF32,PQ8,Refine(Flat)", base).search_params()
    assert list(refine) == ["num_threads", "nprobe", "refine_factor"]
    assert refine["nprobe"]["default"] == 16 and refine["nprobe"]["min"] == 1
    assert refine["nprobe"]["max"] is None
    assert refine["refine_factor"]["min"] == 0
    assert all(info["description"] for info in refine.values())


def test_a_parameter_the_index_does_not_take_is_a_value_error(base, queries):
    flat_ivf = build("IVF32,Flat", base)
    with pytest.raises(ValueError, match=r"refine_factor does not apply .*takes num_threads, nprobe"):
        flat_ivf.search(queries, K, refine_factor=3)
    with pytest.raises(ValueError, match="nprobe does not apply"):
        build("Flat", base).search(queries, K, nprobe=16)
    with pytest.raises(ValueError, match="unknown search parameter"):
        flat_ivf.search(queries, K, nlist=3)
    with pytest.raises(ValueError, match="nprobe must be"):
        flat_ivf.search(queries, K, nprobe=0)
    flat_ivf.search(queries, K, nprobe=4, num_threads=2)
