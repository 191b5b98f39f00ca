"""vqsearch.kmeans and vqsearch.assign against numpy."""

import numpy as np
import pytest

import vqsearch
from conftest import DIM


def nearest(x, centroids):
    d = ((x[:, None, :].astype(np.float64) - centroids[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1), d.min(axis=1)


def test_kmeans_result(base):
    result = vqsearch.kmeans(base, 20, max_iterations=12, tolerance=0, seed=3,
                             max_points_per_centroid=0)
    assert result.centroids.shape == (20, DIM) and result.centroids.dtype == np.float32
    assert result.assignments.shape == (len(base),) and result.assignments.dtype == np.int64
    labels, distances = nearest(base, result.centroids)
    np.testing.assert_array_equal(result.assignments, labels)
    # Twelve iterations at most: it stops early once the objective stops changing.
    assert 1 <= len(result.objective_history) <= 12
    assert result.objective == result.objective_history[-1]
    assert all(b <= a * (1 + 1e-9) for a, b in zip(result.objective_history, result.objective_history[1:]))
    # The last objective is of the assignment before the final centroid update, which
    # can only lower it.
    assert distances.sum() <= result.objective * (1 + 1e-5)
    assert result.empty_cluster_splits >= 0


def test_kmeans_is_deterministic_across_threads(base):
    one = vqsearch.kmeans(base, 16, seed=11, num_threads=1)
    two = vqsearch.kmeans(base, 16, seed=11, num_threads=2)
    np.testing.assert_array_equal(one.centroids, two.centroids)
    other = vqsearch.kmeans(base, 16, seed=12)
    assert not np.array_equal(one.centroids, other.centroids)


def test_kmeans_options(base):
    spherical = vqsearch.kmeans(base, 8, spherical=True, init="kmeans++")
    np.testing.assert_allclose(np.linalg.norm(spherical.centroids, axis=1), 1, rtol=1e-5)
    labels = vqsearch.assign(base, spherical.centroids, spherical=True)
    np.testing.assert_array_equal(labels, (base @ spherical.centroids.T).argmax(axis=1))
    np.testing.assert_array_equal(labels, spherical.assignments)
    seen = []
    vqsearch.kmeans(base, 8, max_iterations=3, tolerance=0, progress=seen.append)
    assert [p.done for p in seen] == [1, 2, 3] and not np.isnan(seen[-1].objective)


def test_kmeans_two_level_start(base):
    # From the two-level start, two iterations end below two from random rows.
    args = dict(max_iterations=2, tolerance=0, max_points_per_centroid=0)
    two_level = vqsearch.kmeans(base, 64, init="two-level", **args)
    random = vqsearch.kmeans(base, 64, init="random", **args)
    assert two_level.centroids.shape == (64, base.shape[1])
    assert two_level.objective < random.objective


def test_kmeans_errors(base):
    with pytest.raises(ValueError):
        vqsearch.kmeans(base, 0)
    with pytest.raises(ValueError):
        vqsearch.kmeans(base[:5], 6)
    with pytest.raises(ValueError, match="init"):
        vqsearch.kmeans(base, 4, init="smart")
    with pytest.raises(ValueError, match="num_threads"):
        vqsearch.kmeans(base, 4, num_threads=-1)
    with pytest.raises(RuntimeError, match="ancel"):
        vqsearch.kmeans(base, 4, progress=lambda p: False)
    with pytest.raises(ValueError):
        vqsearch.assign(base, np.zeros((3, DIM + 1), dtype=np.float32))
