"""bench/ann_benchmarks/vqsearch/module.py as ann-benchmarks' runner drives it: fit,
set_query_arguments, query one vector at a time, batch_query + get_batch_results, and
get_memory_usage, checked against brute force. The module is imported from a stand-in
ann_benchmarks package whose BaseANN is ann-benchmarks' interface reduced to what the
module inherits, so the test needs no ann-benchmarks checkout."""

import importlib
import pathlib
import shutil
import sys

import numpy as np
import pytest

MODULE_DIR = pathlib.Path(__file__).parents[2] / "bench" / "ann_benchmarks" / "vqsearch"


@pytest.fixture()
def ann_module(tmp_path, monkeypatch):
    algorithms = tmp_path / "ann_benchmarks" / "algorithms"
    (algorithms / "base").mkdir(parents=True)
    for package in (tmp_path / "ann_benchmarks", algorithms, algorithms / "base"):
        (package / "__init__.py").write_text("")
    (algorithms / "base" / "module.py").write_text("class BaseANN:\n    pass\n")
    shutil.copytree(MODULE_DIR, algorithms / "vqsearch")
    (algorithms / "vqsearch" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("ann_benchmarks")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("ann_benchmarks.algorithms.vqsearch.module")


def exact_ids(train, test, k):
    scores = (test.astype(np.float64) ** 2).sum(1)[:, None] - 2.0 * test @ train.T.astype(np.float64) \
        + (train.astype(np.float64) ** 2).sum(1)[None, :]
    return np.argsort(scores, axis=1, kind="stable")[:, :k]


def test_module_answers_like_brute_force_in_both_modes(ann_module):
    rs = np.random.RandomState(3)
    centers = rs.rand(30, 32)  # clustered, as real embeddings are
    train = (centers[rs.randint(30, size=3000)] + 0.1 * rs.rand(3000, 32)).astype(np.float32)
    test = (centers[rs.randint(30, size=30)] + 0.1 * rs.rand(30, 32)).astype(np.float32)
    truth = exact_ids(train, test, 10)

    algo = ann_module.VqSearch("euclidean", "IVF16,PQ{m8}x4fs,Refine(Flat)")
    algo.fit(train)
    algo.set_query_arguments(16, 50)  # every list, 500 candidates re-ranked exactly
    assert str(algo) == "vqsearch(IVF16,PQ4x4fs,Refine(Flat), nprobe=16, refine_factor=50)"
    single = [algo.query(v, 10) for v in test]
    algo.batch_query(test, 10)
    batch = algo.get_batch_results()
    for found in (single, batch):
        recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
        assert recall >= 0.95
    assert all(np.array_equal(a, b) for a, b in zip(single, batch))
    assert algo.get_memory_usage() > 0 and algo.get_additional()["vqsearch_memory_usage_kb"] > 0


def test_module_drops_missing_results_and_ignores_parameters_a_spec_lacks(ann_module):
    train = np.random.RandomState(4).rand(5, 8).astype(np.float32)
    algo = ann_module.VqSearch("euclidean", "Flat")
    algo.fit(train)
    algo.set_query_arguments(8, 3)  # Flat takes neither nprobe nor refine_factor
    ids = algo.query(train[0], 10)
    assert sorted(ids) == list(range(5))  # 5 real results, no -1 padding


def test_module_refuses_unknown_metrics(ann_module):
    with pytest.raises(ValueError, match="hamming"):
        ann_module.VqSearch("hamming", "Flat")
