"""The array rules: float32 C-contiguous input is used in place, other real arrays are
converted, everything else is refused; bad values and shapes raise ValueError."""

import numpy as np
import pytest

import vqsearch
from conftest import DIM, K, build
from vqsearch import _vqsearch


def copies_made(call):
    before = _vqsearch._input_copies()
    call()
    return _vqsearch._input_copies() - before


def test_float32_c_contiguous_input_is_not_copied(base, queries):
    index = vqsearch.Index("IVF32,Flat", DIM)
    assert copies_made(lambda: index.train(base)) == 0
    assert copies_made(lambda: index.add(base)) == 0
    assert copies_made(lambda: index.search(queries, K)) == 0
    assert copies_made(lambda: vqsearch.kmeans(base, 4, max_iterations=2)) == 0


@pytest.mark.parametrize("convert", [
    lambda q: q.astype(np.float64),
    lambda q: q.astype(np.float16),
    lambda q: np.asfortranarray(q),
    lambda q: np.repeat(q, 2, axis=1)[:, ::2],  # strided view
    lambda q: q.astype(">f4"),  # float32, but byte-swapped
    lambda q: q.tolist(),
], ids=["float64", "float16", "fortran", "strided", "big-endian", "list"])
def test_other_real_inputs_are_converted_with_the_same_results(convert, base, queries):
    index = build("Flat", base)
    expected = index.search(queries, K)
    converted = convert(queries)
    assert copies_made(lambda: index.search(converted, K)) == 1
    got = index.search(converted, K)
    # float16 rounds the queries, so only the exact conversions must match exactly.
    if np.asarray(converted).dtype != np.float16:
        np.testing.assert_array_equal(got[1], expected[1])


def test_integer_input_is_converted():
    index = vqsearch.Index("Flat", 3)
    index.add(np.array([[0, 0, 0], [5, 5, 5]], dtype=np.int32))
    _, ids = index.search(np.array([[4, 4, 4]], dtype=np.uint8), 1)
    assert ids[0, 0] == 1


@pytest.mark.parametrize("bad", [
    np.zeros((4, DIM), dtype=np.complex64),
    np.zeros((4, DIM), dtype=bool),
    np.array([["a"] * DIM] * 4),
    np.array([[object()] * DIM] * 4, dtype=object),
], ids=["complex", "bool", "str", "object"])
def test_non_real_dtypes_are_refused(bad, base):
    index = build("Flat", base)
    with pytest.raises(ValueError, match="dtype"):
        index.search(bad, K)


@pytest.mark.parametrize("shape", [(2, 2, DIM), ()])
def test_wrong_rank_is_refused(shape, base):
    index = build("Flat", base)
    with pytest.raises(ValueError, match="dimension"):
        index.search(np.zeros(shape, dtype=np.float32), K)


def test_add_and_train_take_matrices_only(base):
    # One vector is a query (test_search_api.py), not a set of vectors to store.
    index = build("Flat", base)
    with pytest.raises(ValueError, match="2 dimension"):
        index.add(np.zeros(DIM, dtype=np.float32))


def test_wrong_dimension(base):
    index = build("Flat", base)
    with pytest.raises(ValueError, match=str(DIM)):
        index.search(np.zeros((2, DIM + 1), dtype=np.float32), K)
    with pytest.raises(ValueError):
        index.add(np.zeros((2, DIM - 1), dtype=np.float32))
    with pytest.raises(ValueError):
        vqsearch.Index("Flat", 0)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_values(value, base, queries):
    index = build("Flat", base)
    bad = queries.copy()
    bad[3, 5] = value
    with pytest.raises(ValueError, match="(?i)nan|inf|finite"):
        index.search(bad, K)
    with pytest.raises(ValueError):
        index.add(bad)
    assert index.ntotal == len(base)


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(k, base, queries):
    with pytest.raises(ValueError, match="k"):
        build("Flat", base).search(queries, k)


def test_bad_search_parameters(base, queries):
    index = build("IVF32,Flat", base)
    with pytest.raises(ValueError, match="nprobes"):
        index.search(queries, K, nprobes=4)
    with pytest.raises(ValueError, match="nprobe"):
        index.search(queries, K, nprobe=0)
    for not_an_int in (2.5, True, "4", None):
        with pytest.raises(ValueError, match="integer"):
            index.search(queries, K, nprobe=not_an_int)
    with pytest.raises(ValueError, match="range"):
        index.search(queries, K, nprobe=2**40)


def test_bad_ids(base):
    index = vqsearch.Index("Flat", DIM)
    with pytest.raises(ValueError, match="integers"):
        index.add(base[:3], ids=[0.5, 1.5, 2.5])
    with pytest.raises(ValueError):
        index.add(base[:3], ids=[1, 2])  # one id short
    with pytest.raises(ValueError):
        index.add(base[:3], ids=[[1, 2, 3]])  # not 1-D
    with pytest.raises(ValueError):
        index.add(base[:3], ids=[-1, 2, 3])
    assert index.ntotal == 0
    with pytest.raises(ValueError, match="integers"):
        index.remove([1.0])


def test_results_are_owned_arrays(base, queries):
    distances, ids = build("Flat", base).search(queries, K)
    assert distances.flags.c_contiguous and ids.flags.c_contiguous
    assert distances.flags.writeable and ids.flags.writeable
    ids[:] = 0  # the arrays belong to the caller
