"""Index.tune: the chosen parameters reach the target on a separate held-out sample
(recall computed here against numpy brute force), and its errors."""

import numpy as np
import pytest
import vqsearch

# Recall of 300 x 10 neighbours drawn like the tuning sample differs from it by a few
# hundredths at most; the chosen point sits just above the target.
TOLERANCE = 0.03


def clustered(n, dim=32, seed=3):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(40, dim)) * 3
    return (centers[rng.integers(0, 40, n)] + rng.normal(size=(n, dim))).astype(np.float32)


def brute_force(base, queries, k):
    d = (queries ** 2).sum(1)[:, None] - 2 * queries @ base.T + (base ** 2).sum(1)[None, :]
    return np.argsort(d, axis=1)[:, :k]


def recall(ids, truth):
    return np.mean([len(set(a) & set(b)) / truth.shape[1] for a, b in zip(ids, truth)])


@pytest.fixture(scope="module")
def data():
    x = clustered(6600)
    base, tuning, validation = x[:6000], x[6000:6300], x[6300:]
    index = vqsearch.Index("IVF48,PQ8,Refine(Flat)", 32)
    index.train(base, num_threads=1)
    index.add(base, num_threads=1)
    return index, base, tuning, validation


def test_chosen_parameters_reach_the_target_on_a_separate_sample(data):
    index, base, tuning, validation = data
    result = index.tune(tuning, k=10, target_recall=0.9, database=base, runs=1)
    assert result["target_reached"]
    assert result["recall"] >= 0.9
    assert set(result["params"]) == {"nprobe", "refine_factor"}
    _, ids = index.search(validation, 10, **result["params"])
    assert recall(ids, brute_force(base, validation, 10)) >= 0.9 - TOLERANCE
    # The same choice from caller-given ground truth reports the same recall for it.
    truth = brute_force(base, tuning, 10)
    _, tuned_ids = index.search(tuning, 10, **result["params"])
    assert recall(tuned_ids, truth) == pytest.approx(result["recall"])
    recalls = [p["recall"] for p in result["pareto"]]
    assert recalls == sorted(recalls)
    assert result["params"] in [p["params"] for p in result["explored"]]


def test_ground_truth_instead_of_database(data):
    index, base, tuning, _ = data
    truth = brute_force(base, tuning, 10).astype(np.int32)
    result = index.tune(tuning, k=10, target_recall=0.8, ground_truth=truth, runs=1)
    assert result["target_reached"] and result["recall"] >= 0.8


def test_errors(data):
    index, base, tuning, _ = data
    for target in (0.0, 1.5, -1.0):
        with pytest.raises(ValueError, match="target recall"):
            index.tune(tuning, k=10, target_recall=target, database=base)
    with pytest.raises(ValueError, match="k must be"):
        index.tune(tuning, k=0, database=base)
    with pytest.raises(ValueError, match="exact neighbours"):
        index.tune(tuning, k=10)
    untrained = vqsearch.Index("IVF48,Flat", 32)
    with pytest.raises(RuntimeError, match="not trained"):
        untrained.tune(tuning, database=base)
    empty = vqsearch.Index("Flat", 32)
    with pytest.raises(RuntimeError, match="empty"):
        empty.tune(tuning, database=base)
