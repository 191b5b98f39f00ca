"""vqsearch.Index against the C++ API and against exact search, for every spec."""

import pickle

import numpy as np
import pytest

import vqsearch
from conftest import DIM, K, METRICS, NLIST, NUM_BASE, SPECS, brute_force, build, cpp_search


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("spec", list(SPECS))
def test_python_equals_cpp(tmp_path, spec, metric, base, queries):
    params = SPECS[spec]
    distances, ids = build(spec, base, metric).search(queries, K, **params)
    cpp_distances, cpp_ids = cpp_search(tmp_path, spec, metric, base, queries, K, params)
    np.testing.assert_array_equal(ids, cpp_ids)
    np.testing.assert_array_equal(distances, cpp_distances)


@pytest.mark.parametrize("metric", METRICS)
def test_flat_equals_brute_force(metric, base, queries):
    distances, ids = build("Flat", base, metric).search(queries, K)
    exact_distances, exact_ids = brute_force(base, queries, K, metric)
    np.testing.assert_array_equal(ids, exact_ids)
    np.testing.assert_allclose(distances, exact_distances, rtol=1e-4, atol=1e-4)
    assert distances.dtype == np.float32 and ids.dtype == np.int64
    assert distances.shape == ids.shape == (len(queries), K)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.startswith("IVF")])
def test_probing_every_list_with_exact_codes_equals_flat(spec, base, queries):
    # With nprobe = nlist every vector is scored; exact codes (or re-ranking them all)
    # then give exactly the Flat results. Compressed codes without refinement are
    # approximate, so they are held to a floor far above chance (K / NUM_BASE = 0.003)
    # that any working codec clears (8-byte 4-bit PQ finds ~0.25 here); each codec's
    # own accuracy is tested in C++.
    flat_distances, flat_ids = build("Flat", base).search(queries, K)
    index = build(spec, base)
    if not (spec.endswith(",Flat") or spec.endswith(",Refine(Flat)")):
        _, ids = index.search(queries, K, nprobe=NLIST)
        hits = sum(len(set(a) & set(b)) for a, b in zip(ids, flat_ids))
        assert hits / flat_ids.size > 0.15
        return
    params = {"nprobe": NLIST}
    if "refine_factor" in index.search_params():  # IVF-Flat takes none
        params["refine_factor"] = NUM_BASE // K
    distances, ids = index.search(queries, K, **params)
    np.testing.assert_array_equal(ids, flat_ids)
    np.testing.assert_allclose(distances, flat_distances, rtol=1e-4, atol=1e-4)


def test_search_parameters_reach_cpp(base, queries):
    index = build("IVF32,Flat", base)
    _, one = index.search(queries, K, nprobe=1)
    _, all_lists = index.search(queries, K, nprobe=NLIST)
    _, exact = brute_force(base, queries, K)
    assert not np.array_equal(one, exact)
    np.testing.assert_array_equal(all_lists, exact)
    # numpy integers are integers too; threads do not change results.
    _, threaded = index.search(queries, K, nprobe=np.int64(NLIST), num_threads=2)
    np.testing.assert_array_equal(threaded, exact)


def test_properties(base):
    index = vqsearch.Index("IVF32,PQ8", DIM, metric="cosine")
    assert (index.spec, index.dim, index.metric) == ("IVF32,PQ8", DIM, "cosine")
    assert not index.is_trained and index.ntotal == 0 and len(index) == 0
    index.train(base)
    assert index.is_trained
    index.add(base)
    assert index.ntotal == len(index) == NUM_BASE
    assert index.memory_usage >= NUM_BASE * 8
    assert "IVF32,PQ8" in repr(index)
    assert vqsearch.Index("Flat", 4, "euclidean").metric == "l2"


def test_user_ids_and_remove(base, queries):
    user_ids = np.arange(NUM_BASE, dtype=np.int32) * 5 + 100  # int32 is converted to int64
    index = build("IVF32,Flat", base, ids=user_ids)
    _, ids = index.search(queries, K, nprobe=NLIST)
    _, exact = brute_force(base, queries, K)
    np.testing.assert_array_equal(ids, user_ids[exact])

    removed = index.remove([ids[0, 0], ids[1, 0], 7])  # 7 is no id
    assert removed == 2 - (ids[0, 0] == ids[1, 0])
    assert index.ntotal == NUM_BASE - removed
    _, after = index.search(queries, K, nprobe=NLIST)
    assert ids[0, 0] not in after[0] and ids[1, 0] not in after[1]


def test_padding_when_fewer_than_k(queries):
    index = vqsearch.Index("Flat", DIM)
    index.add(queries[:3])
    distances, ids = index.search(queries[:2], 5)
    np.testing.assert_array_equal(ids[:, 3:], -1)
    assert np.isinf(distances[:, 3:]).all()


@pytest.mark.parametrize("spec", list(SPECS))
def test_save_load_and_pickle_round_trip(tmp_path, spec, base, queries):
    index = build(spec, base)
    params = SPECS[spec]
    expected = index.search(queries, K, **params)
    index.save(tmp_path / "index.vqs")
    copies = [
        vqsearch.load(tmp_path / "index.vqs"),
        vqsearch.load(str(tmp_path / "index.vqs")),
        vqsearch.load(tmp_path / "index.vqs", mmap=True),
        pickle.loads(pickle.dumps(index)),
        vqsearch.deserialize(index.serialize()),
    ]
    for copy in copies:
        assert (copy.spec, copy.dim, copy.metric, copy.ntotal) == (spec, DIM, "l2", NUM_BASE)
        got = copy.search(queries, K, **params)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_mmap_load_adds_and_removes_as_a_normal_load(tmp_path, base, queries):
    index = build("IVF32,PQ8", base)
    index.save(tmp_path / "index.vqs")
    normal = vqsearch.load(tmp_path / "index.vqs")
    mapped = vqsearch.load(tmp_path / "index.vqs", mmap=True)
    for copy in (normal, mapped):
        copy.add(queries[:10])
        assert copy.remove(np.arange(0, 50, dtype=np.int64)) == 50
    expected = normal.search(queries, K, nprobe=4)
    got = mapped.search(queries, K, nprobe=4)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    (tmp_path / "bad.vqs").write_bytes(b"VQSINDEX" + bytes(100))
    with pytest.raises(OSError):
        vqsearch.load(tmp_path / "bad.vqs", mmap=True)


def test_progress_and_cancellation(base):
    seen = []
    index = vqsearch.Index("IVF32,Flat", DIM)
    index.train(base, progress=seen.append)
    assert seen and all(p.stage == "kmeans" for p in seen)
    assert [p.done for p in seen] == list(range(1, len(seen) + 1))

    added = []
    index.add(base, progress=added.append, verbose=True)
    assert added and added[-1].stage == "add" and added[-1].done == NUM_BASE

    fresh = vqsearch.Index("IVF32,Flat", DIM)
    with pytest.raises(RuntimeError, match="ancel"):
        fresh.train(base, progress=lambda p: p.done < 2)
    assert not fresh.is_trained

    def explode(progress):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        fresh.train(base, progress=explode)
    assert not fresh.is_trained
    with pytest.raises(ValueError, match="callable"):
        fresh.train(base, progress=42)
