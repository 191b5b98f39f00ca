"""Index.search with an id filter (ids= or id_range=): equal to the C++ API's filtered
search for every spec, exact on Flat, and bad filters raise ValueError."""

import numpy as np
import pytest

from conftest import K, NUM_BASE, SPECS, brute_force, build, cpp_search

# Ids given at add time differ from storage positions, so a filter applied to positions
# would fail these tests.
USER_IDS = np.arange(NUM_BASE, dtype=np.int64) * 2 + 100
BEGIN, END = int(USER_IDS[800]), int(USER_IDS[2100])


@pytest.fixture(scope="module")
def flat(base):
    return build("Flat", base, ids=USER_IDS)


@pytest.mark.parametrize("spec", list(SPECS))
def test_python_filter_equals_cpp(tmp_path, spec, base, queries):
    params = SPECS[spec]
    distances, ids = build(spec, base).search(queries, K, id_range=(800, 2100), **params)
    cpp_distances, cpp_ids = cpp_search(tmp_path, spec, "l2", base, queries, K,
                                        dict(params, id_range="800:2100"))
    np.testing.assert_array_equal(ids, cpp_ids)
    np.testing.assert_array_equal(distances, cpp_distances)
    assert ((ids >= 800) & (ids < 2100)).all()


def test_flat_filter_equals_brute_force_over_the_allowed_vectors(flat, base, queries):
    allowed = np.arange(0, NUM_BASE, 3)
    distances, ids = flat.search(queries, K, ids=USER_IDS[allowed])
    exact_distances, exact_positions = brute_force(base[allowed], queries, K)
    np.testing.assert_array_equal(ids, USER_IDS[allowed][exact_positions])
    np.testing.assert_allclose(distances, exact_distances, rtol=1e-4, atol=1e-4)


def test_range_and_set_of_the_same_ids_agree(flat, queries):
    by_range = flat.search(queries, K, id_range=(BEGIN, END))
    by_set = flat.search(queries, K, ids=USER_IDS[800:2100].astype(np.int32))
    by_list = flat.search(queries, K, ids=USER_IDS[800:2100].tolist())
    for other in (by_set, by_list):
        np.testing.assert_array_equal(by_range[1], other[1])
        np.testing.assert_array_equal(by_range[0], other[0])


def test_a_filter_that_allows_nothing_pads_every_row(flat, queries):
    distances, ids = flat.search(queries, K, ids=np.array([], dtype=np.int64))
    assert (ids == -1).all() and np.isposinf(distances).all()
    distances, ids = flat.search(queries, K, id_range=(5, 5))
    assert (ids == -1).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"ids": np.zeros((2, 2), dtype=np.int64)}, "ids"),
    ({"ids": np.array([1.5, 2.0])}, "integers"),
    ({"id_range": (10, 5)}, "begin <= end"),
    ({"id_range": (1, 2, 3)}, "id_range"),
    ({"id_range": 7}, "id_range"),
    ({"ids": [1, 2], "id_range": (0, 5)}, "not both"),
])
def test_bad_filters_raise_value_error(flat, queries, kwargs, message):
    with pytest.raises(ValueError, match=message):
        flat.search(queries, K, **kwargs)
