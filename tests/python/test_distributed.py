"""vqsearch.distributed on a LocalCluster of 3 worker processes started by these tests.

The reference is one vqsearch.Index built from the same trained parameters on all the
data: a sharded search must give its ids and distances (up to ties). Fault tests kill a
worker process with SIGKILL while it searches. The whole file is bounded by a watchdog.
"""

import faulthandler
import json
import os
import signal
import threading
import time

import numpy as np
import pytest

import vqsearch
from conftest import DIM, brute_force

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (Debian: python3-distributed)")
da = pytest.importorskip("dask.array", reason="Dask is not installed (Debian: python3-dask)")
if os.environ.get("VQS_UNDER_ASAN"):
    # Each worker process loads the preloaded ASan runtime and the instrumented module; in
    # the sanitizer job 3 of them did not all start within the cluster's 30 s.
    pytest.skip("Dask worker processes start too slowly under the ASan runtime",
                allow_module_level=True)
from vqsearch.distributed import SearchResult, ShardedIndex, ShardLostError, merge_topk  # noqa: E402

WORKERS = 3
WATCHDOG_SECONDS = 150
K = 10


@pytest.fixture(scope="module")
def client():
    # A hang (a search waiting on a worker forever) must fail the run, not stall CI.
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    cluster = distributed.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=50)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    centers = rng.normal(size=(40, DIM)) * 4
    x = centers[rng.integers(0, 40, 6000)] + rng.normal(size=(6000, DIM))
    q = centers[rng.integers(0, 40, 50)] + rng.normal(size=(50, DIM))
    return x.astype(np.float32), q.astype(np.float32)


def assert_same_answer(expected, got):
    """Same distances, and the same ids except among tied distances. expected holds more
    columns than got, so that an id tied with the k-th one is found there, or its tie
    group runs past the last column (4-bit fast scan ties by the dozen)."""
    (d_ref, i_ref), (d, i) = expected, got
    k = d.shape[-1]
    np.testing.assert_allclose(d, d_ref[..., :k], rtol=1e-5, atol=1e-5)
    d, i, d_ref, i_ref = (np.atleast_2d(a) for a in (d, i, d_ref, i_ref))
    for q, j in zip(*np.nonzero(i != i_ref[:, :k])):
        tie = np.isclose(d_ref[q], d[q, j], rtol=1e-5, atol=1e-5)
        assert i[q, j] in i_ref[q][tie] or tie[-1], \
            f"query {q} rank {j}: id {i[q, j]} instead of {i_ref[q, j]}, not a tie"
    for row in i:
        assert len(np.unique(row[row >= 0])) == np.count_nonzero(row >= 0), "an id twice in a row"


def single_index(sharded, x, ids=None):
    """One index from the sharded index's trained parameters, holding all of x."""
    index = sharded.trained_index()
    index.add(x, ids, num_threads=1)
    return index


def reference_search(index, q, k, **params):
    """The single index's answer with 2k columns, for assert_same_answer."""
    return index.search(q, 2 * k, num_threads=1, **params)


SAME_ANSWER = [
    ("Flat", "l2", {}),
    ("IVF32,Flat", "ip", {"nprobe": 4}),
    ("IVF32,PQ8", "l2", {"nprobe": 6}),
    ("IVF32,PQ8x4fs", "cosine", {"nprobe": 4}),
    ("IVF32,SQ8", "ip", {"nprobe": 4}),
]


@pytest.mark.parametrize("spec,metric,params", SAME_ANSWER)
def test_same_answer_as_one_index(client, data, spec, metric, params):
    x, q = data
    with ShardedIndex(spec, DIM, metric, client, num_shards=4) as sharded:
        if not sharded.is_trained:
            sharded.train(x[:1000], num_threads=1)
        sharded.add(x[:2500])
        sharded.add(x[2500:])
        assert sharded.ntotal == len(x)
        sizes = [sum(e - b for b, e in sharded.shard_ids(s)) for s in range(4)]
        assert max(sizes) - min(sizes) <= 1  # each add cut evenly over the shards
        reference = reference_search(single_index(sharded, x), q, K, **params)
        result = sharded.search(q, K, **params)
        assert isinstance(result, SearchResult) and not result.partial
        assert_same_answer(reference, result)
        # One vector in, 1-D results out, as vqsearch.Index.search gives.
        d1, i1 = sharded.search(q[3], K, **params)
        assert i1.shape == (K,) and np.array_equal(i1, result.ids[3])


def test_refine_is_at_least_as_good_as_one_index(client, data):
    # Each shard re-ranks its own refine_factor x k candidates, a superset of the ones
    # one index re-ranks, so every rank is as close or closer, by exact distances.
    x, q = data
    with ShardedIndex("IVF32,PQ4,Refine(Flat)", DIM, "l2", client, num_shards=3) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(x)
        single_d, _ = single_index(sharded, x).search(q, K, nprobe=4, refine_factor=2, num_threads=1)
        d, i = sharded.search(q, K, nprobe=4, refine_factor=2)
    assert np.all(d <= single_d + 1e-4)
    exact = ((q[:, None, :].astype(np.float64) - x[i].astype(np.float64)) ** 2).sum(axis=2)
    np.testing.assert_allclose(d, exact, rtol=1e-4)
    assert np.all(np.diff(d, axis=1) >= 0)


def test_one_shard_is_bit_identical_with_refine(client, data):
    # 12 Dask blocks into one shard: they are added in order, so the shard's lists hold
    # the codes in one index's order, and even 4-bit ties at the refine cut break alike.
    x, q = data
    with ShardedIndex("IVF32,PQ8x4fs,Refine(SQ8)", DIM, "l2", client, num_shards=1) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(da.from_array(x, chunks=(500, DIM)))
        d, i = sharded.search(q, K, nprobe=8, refine_factor=3)
        single_d, single_i = single_index(sharded, x).search(q, K, nprobe=8, refine_factor=3,
                                                             num_threads=1)
    assert np.array_equal(i, single_i) and np.array_equal(d, single_d)


def test_flat_matches_brute_force(client, data):
    x, q = data
    with ShardedIndex("Flat", DIM, "cosine", client, num_shards=2) as sharded:
        sharded.add(x)
        d, i = sharded.search(q, K)
    assert_same_answer(brute_force(x, q, 2 * K, "cosine"), (d, i))


def test_dask_array_and_files_give_the_same_index(client, data, tmp_path):
    x, q = data
    parts = np.array_split(x, 3)
    fvecs = []
    for n, part in enumerate(parts[:2]):
        fvecs.append(str(tmp_path / f"part{n}.fvecs"))
        vqsearch.write_fvecs(fvecs[-1], part)
    h5 = str(tmp_path / "part2.hdf5")
    import h5py
    with h5py.File(h5, "w") as f:
        f["vectors"] = parts[2]
    with ShardedIndex("IVF32,SQ8", DIM, "l2", client, num_shards=3) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(da.from_array(x[:1000], chunks=(300, 16)))  # 4 blocks, split columns
        sharded.add(x[1000:2000])
        reference = reference_search(single_index(sharded, x[:2000]), q, K, nprobe=8)
        assert_same_answer(reference, sharded.search(q, K, nprobe=8))
    with ShardedIndex("IVF32,SQ8", DIM, "l2", client, num_shards=2) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(fvecs)
        sharded.add([h5], hdf5_dataset="vectors")
        # Files go whole to the emptiest shard: part0 to shard 0, part1 to 1, part2 to 0.
        assert sharded.shard_ids(0) == [[0, len(parts[0])], [len(x) - len(parts[2]), len(x)]]
        reference = reference_search(single_index(sharded, x), q, K, nprobe=8)
        assert_same_answer(reference, sharded.search(q, K, nprobe=8))
        with pytest.raises(ValueError, match="dataset 'missing'"):
            sharded.add([h5], hdf5_dataset="missing")


def test_user_ids_filters_and_remove(client, data):
    x, q = data
    ids = np.random.default_rng(3).permutation(10 * len(x))[:len(x)] * 7 + 5
    with ShardedIndex("IVF32,Flat", DIM, "l2", client, num_shards=3) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(x[:4000], ids[:4000])
        with pytest.raises(ValueError, match="give ids on every add"):
            sharded.add(x[4000:])
        with pytest.raises(ValueError, match=f"id {ids[10]} is already stored"):
            sharded.add(x[4000:4001], ids[10:11])
        sharded.add(x[4000:], ids[4000:])
        single = single_index(sharded, x, ids)
        assert_same_answer(reference_search(single, q, K, nprobe=8), sharded.search(q, K, nprobe=8))
        allowed = ids[::3]
        assert_same_answer(reference_search(single, q, K, nprobe=8, ids=allowed),
                           sharded.search(q, K, nprobe=8, ids=allowed))
        # Remove the nearest neighbours of the queries (from every shard) and unknown ids.
        _, nearest = sharded.search(q, 3, nprobe=8)
        doomed = np.concatenate((np.unique(nearest), [1, 2, 3]))
        expected = single.remove(doomed)
        assert sharded.remove(doomed) == expected == len(np.unique(nearest))
        assert sharded.ntotal == single.ntotal
        result = sharded.search(q, K, nprobe=8)
        assert not np.isin(result.ids, doomed).any()
        assert_same_answer(reference_search(single, q, K, nprobe=8), result)
        # A removed id may be added again.
        sharded.add(x[:1], doomed[:1])
        assert sharded.ntotal == single.ntotal + 1


def test_padding_and_errors(client, data):
    x, q = data
    with ShardedIndex("Flat", DIM, "ip", client, num_shards=3) as sharded:
        sharded.add(x[:4])  # shards of 1, 1 and 2 vectors
        with pytest.raises(ValueError, match="give ids on every add"):
            sharded.add(x[4:6], [100, 101])
        d, i = sharded.search(q, 6)
        assert np.all(i[:, 4:] == -1) and np.all(d[:, 4:] == -np.inf)
        assert np.array_equal(np.sort(i[:, :4], axis=1), np.tile(np.arange(4), (len(q), 1)))
        d_rows, i_rows = sharded.search(q, 6, drop_missing=True)
        assert all(len(row) == 4 for row in i_rows)
        with pytest.raises(ValueError, match="nprobe"):
            sharded.search(q, K, nprobe=4)  # Flat takes no nprobe: the shard's error
        with pytest.raises(ValueError, match="expected"):
            sharded.search(q[:, :5], K)
        with pytest.raises(ValueError, match="k must be"):
            sharded.search(q, 0)
    with ShardedIndex("IVF32,Flat", DIM, "l2", client, num_shards=5) as sharded:
        with pytest.raises(RuntimeError, match="train"):
            sharded.add(x)
        sharded.train(x[:1000], num_threads=1)
        sharded.add(x[:3])  # two shards stay empty and answer with padding only
        assert_same_answer(reference_search(single_index(sharded, x[:3]), q, 5, nprobe=32),
                           sharded.search(q, 5, nprobe=32))


def test_merge_topk_orders_by_metric():
    d_a, i_a = np.array([[1.0, 4.0, np.inf]]), np.array([[10, 11, -1]])
    d_b, i_b = np.array([[2.0, 3.0, 5.0]]), np.array([[20, 21, 22]])
    d, i = merge_topk([(d_a, i_a), (d_b, i_b)], 4, "l2")
    assert i.tolist() == [[10, 20, 21, 11]] and d.tolist() == [[1, 2, 3, 4]]
    d, i = merge_topk([(-d_b, i_b), (np.array([[-1.0, -np.inf, -np.inf]]), np.array([[7, -1, -1]]))],
                      5, "ip")
    assert i.tolist() == [[7, 20, 21, 22, -1]]


def test_save_load_and_damaged_folders(client, data, tmp_path):
    x, q = data
    with ShardedIndex("IVF32,PQ4x4fs", DIM, "l2", client, num_shards=3) as sharded:
        sharded.train(x[:1000], num_threads=1)
        sharded.add(x)
        sharded.remove(np.arange(0, 600, 2))
        expected = sharded.search(q, K, nprobe=8)
        sharded.save(tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["spec"] == "IVF32,PQ4x4fs" and manifest["dim"] == DIM and manifest["metric"] == "l2"
    assert sum(s["ntotal"] for s in manifest["shards"]) == len(x) - 300
    assert sorted(os.listdir(tmp_path / "index")) == [
        "manifest.json", "shard-00000.vqs", "shard-00001.vqs", "shard-00002.vqs"]
    with ShardedIndex.load(tmp_path / "index", client) as loaded:
        assert loaded.ntotal == len(x) - 300
        assert_same_answer(expected, loaded.search(q, K, nprobe=8))
        loaded.add(x[:10])  # sequential ids go on from the saved next id
        stored = np.concatenate([np.arange(b, e) for s in range(3) for b, e in loaded.shard_ids(s)])
        assert np.array_equal(np.sort(stored), np.concatenate(
            (np.arange(1, 600, 2), np.arange(600, len(x) + 10))))

    shard_file = tmp_path / "index" / "shard-00001.vqs"
    original = shard_file.read_bytes()
    shard_file.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(OSError, match="shard-00001.vqs: checksum"):
        ShardedIndex.load(tmp_path / "index", client)
    shard_file.write_bytes(original)
    manifest["shards"][1]["ntotal"] += 1
    (tmp_path / "index" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OSError, match="shard 1: id_ranges hold"):
        ShardedIndex.load(tmp_path / "index", client)
    manifest["shards"][1]["ntotal"] -= 1
    manifest["shards"][1]["file"] = "../elsewhere.vqs"
    (tmp_path / "index" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OSError, match="not a plain name"):
        ShardedIndex.load(tmp_path / "index", client)


# ---- faults: a worker process killed while it searches ---------------------------------

def kill_during_search(client, sharded, shard, queries, **search_args):
    """Searches in a thread and SIGKILLs the worker process of shard once its search task
    is running there; returns what the search returned or raised."""
    worker = sharded.shard_workers[shard]
    pid = client.run(os.getpid, workers=[worker])[worker]
    outcome = {}

    def search():
        try:
            outcome["result"] = sharded.search(queries, K, **search_args)
        except Exception as e:  # noqa: BLE001 (the test inspects whatever it raised)
            outcome["error"] = e

    thread = threading.Thread(target=search)
    thread.start()
    deadline = time.monotonic() + 30
    while not any(key.startswith("search") for key in client.processing([worker])[worker]):
        assert time.monotonic() < deadline and thread.is_alive(), "the search never started"
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive()
    return outcome


@pytest.fixture
def slow_index(client):
    # Flat shards and a large query batch: the killed shard's search lasts long enough
    # (hundreds of milliseconds) to be killed in the middle of it.
    rng = np.random.default_rng(5)
    x = rng.normal(size=(30000, DIM)).astype(np.float32)
    q = rng.normal(size=(6000, DIM)).astype(np.float32)
    client.wait_for_workers(WORKERS, timeout=30)  # the nanny restarted any killed worker
    sharded = ShardedIndex("Flat", DIM, "l2", client, num_shards=3)
    sharded.add(x)
    yield sharded, x, q
    sharded.close()


def test_lost_worker_unsaved_is_an_error_naming_the_shard(client, slow_index):
    sharded, x, q = slow_index
    outcome = kill_during_search(client, sharded, 1, q)
    error = outcome.get("error")
    assert isinstance(error, ShardLostError), outcome
    assert error.shards == (1,) and "lost shard 1 (10000 vectors" in str(error)
    assert "never saved" in str(error) and "allow_partial=True" in str(error)
    # allow_partial: the live shards' answer, marked partial; it is exactly the search
    # of one index restricted to the ids of shards 0 and 2.
    result = sharded.search(q[:20], K, allow_partial=True)
    assert result.partial and result.missing_shards == (1,)
    live_ids = np.concatenate([np.arange(b, e) for s in (0, 2) for b, e in sharded.shard_ids(s)])
    reference = reference_search(single_index(sharded, x), q[:20], K, ids=live_ids)
    assert_same_answer(reference, result)
    with pytest.raises(ShardLostError, match="shard 1"):
        sharded.search(q[:20], K)


def test_lost_worker_saved_is_reloaded_and_retried(client, slow_index, tmp_path):
    sharded, x, q = slow_index
    sharded.save(tmp_path / "index")
    before = sharded.shard_workers
    outcome = kill_during_search(client, sharded, 2, q, num_threads=1)
    assert "result" in outcome, outcome
    result = outcome["result"]
    assert not result.partial
    assert sharded.shard_workers[2] != before[2] and sharded.shard_workers[:2] == before[:2]
    expected = reference_search(single_index(sharded, x), q[:500], K)
    assert_same_answer(expected, (result.distances[:500], result.ids[:500]))
    # Once changed after the save, a lost shard can no longer be reloaded.
    sharded.remove([0])
    outcome = kill_during_search(client, sharded, 0, q)
    assert isinstance(outcome.get("error"), ShardLostError)
    assert "changed since they were saved" in str(outcome["error"])
