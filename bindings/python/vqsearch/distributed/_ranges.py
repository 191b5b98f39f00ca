"""The set of ids a shard holds, as sorted disjoint half-open runs [begin, end).

Sequential ids (the common case) make one run per add, so the client can route removes
and refuse duplicate ids across shards without holding an id per vector.
"""

from typing import List, Tuple

import numpy as np


class IdRanges:
    """A set of int64 ids stored as sorted, disjoint, non-adjacent runs."""

    def __init__(self, begins=None, ends=None):
        self.begins = np.asarray([] if begins is None else begins, dtype=np.int64)
        self.ends = np.asarray([] if ends is None else ends, dtype=np.int64)

    @classmethod
    def from_ids(cls, ids) -> "IdRanges":
        ids = np.unique(np.asarray(ids, dtype=np.int64))
        if ids.size == 0:
            return cls()
        breaks = np.flatnonzero(np.diff(ids) != 1) + 1
        return cls(ids[np.concatenate(([0], breaks))], ids[np.concatenate((breaks, [ids.size]))-1] + 1)

    @classmethod
    def from_pairs(cls, pairs: List[Tuple[int, int]]) -> "IdRanges":
        """Runs from [begin, end) pairs (a manifest's), which must be sorted and disjoint."""
        array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if np.any(array[:, 0] >= array[:, 1]) or np.any(array[1:, 0] <= array[:-1, 1]):
            raise ValueError("id ranges must be non-empty, sorted and disjoint")
        return cls(array[:, 0], array[:, 1])

    def pairs(self) -> List[List[int]]:
        return [[int(b), int(e)] for b, e in zip(self.begins, self.ends)]

    def count(self) -> int:
        return int((self.ends - self.begins).sum())

    def contains(self, ids) -> np.ndarray:
        """A boolean mask: which of ids are in the set."""
        ids = np.asarray(ids, dtype=np.int64)
        run = np.searchsorted(self.begins, ids, side="right") - 1
        inside = run >= 0
        inside[inside] = ids[inside] < self.ends[run[inside]]
        return inside

    def union(self, other: "IdRanges") -> "IdRanges":
        begins = np.concatenate((self.begins, other.begins))
        ends = np.concatenate((self.ends, other.ends))
        if begins.size == 0:
            return IdRanges()
        order = np.argsort(begins, kind="stable")
        begins, ends = begins[order], np.maximum.accumulate(ends[order])
        # A run starts wherever it begins after every earlier run ended.
        starts = np.concatenate(([True], begins[1:] > ends[:-1]))
        last = np.concatenate((np.flatnonzero(starts)[1:] - 1, [begins.size - 1]))
        return IdRanges(begins[starts], ends[last])

    def difference(self, ids) -> "IdRanges":
        """The set without ids: each removed id inside a run splits it in two."""
        ids = np.unique(np.asarray(ids, dtype=np.int64))
        ids = ids[self.contains(ids)]
        begins = np.sort(np.concatenate((self.begins, ids + 1)))
        ends = np.sort(np.concatenate((self.ends, ids)))
        keep = begins < ends
        return IdRanges(begins[keep], ends[keep])
