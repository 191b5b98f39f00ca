"""What ShardedIndex.search returns, and the error a lost shard raises."""

from typing import Tuple

import numpy as np


class SearchResult(tuple):
    """(distances, ids) as vqsearch.Index.search returns them, so `d, i = search(...)`
    works, plus which shards did not answer: `missing_shards` is empty unless the search
    ran with allow_partial=True and shards were lost, and then `partial` is True."""

    def __new__(cls, distances, ids, missing_shards: Tuple[int, ...] = ()):
        result = super().__new__(cls, (distances, ids))
        result.missing_shards = tuple(missing_shards)
        return result

    @property
    def distances(self) -> np.ndarray:
        return self[0]

    @property
    def ids(self) -> np.ndarray:
        return self[1]

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)


class ShardLostError(RuntimeError):
    """Shards whose worker was lost (or no longer holds them) and that could not be
    reloaded from a saved copy. `shards` lists their numbers."""

    def __init__(self, message: str, shards: Tuple[int, ...]):
        super().__init__(message)
        self.shards = tuple(shards)
