"""Merges the per-shard top-k lists of a query batch into the global top-k."""

from typing import Sequence, Tuple

import numpy as np


def merge_topk(results: Sequence[Tuple[np.ndarray, np.ndarray]], k: int,
               metric: str) -> Tuple[np.ndarray, np.ndarray]:
    """results: one (distances, ids) pair of shape (nq, k) per shard, each row sorted and
    padded the vqsearch way (id -1, distance +inf under l2, -inf under ip and cosine).

    Returns the k best of each row across shards: ascending distances under l2,
    descending similarities under ip and cosine. Padding sorts last by its distance, so
    rows stay padded when all shards together hold fewer than k results.
    """
    distances = np.concatenate([d for d, _ in results], axis=1)
    ids = np.concatenate([i for _, i in results], axis=1)
    key = distances if metric == "l2" else -distances
    if distances.shape[1] > k:
        best = np.argpartition(key, k - 1, axis=1)[:, :k]
        key = np.take_along_axis(key, best, axis=1)
        distances = np.take_along_axis(distances, best, axis=1)
        ids = np.take_along_axis(ids, best, axis=1)
    order = np.argsort(key, axis=1, kind="stable")
    return np.take_along_axis(distances, order, axis=1), np.take_along_axis(ids, order, axis=1)
