"""ShardedIndex: one vqsearch index cut into shards held by the workers of a Dask cluster.

The client trains one index on a sample and sends its serialized, trained and empty copy
to every shard, so every shard quantizes with the same centroids and codebooks; each
shard then holds some of the vectors under their global ids. A search sends the query
batch to every shard at once (one task each, one round trip) and merges their top-k on
the client. The client keeps, per shard, the worker holding it and the set of ids it
holds (as id runs), which routes removes and refuses duplicate ids across shards.
"""

import asyncio
import functools
import os
import uuid
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

import vqsearch

from . import _manifest, _worker
from ._merge import merge_topk
from ._ranges import IdRanges
from ._result import SearchResult, ShardLostError
from ._sources import pieces

# How often a call waiting for its shards checks that their workers are still alive.
_LIVENESS_POLL_SECONDS = 0.2


class _Job(NamedTuple):
    shard: int
    function: object
    args: tuple
    # Runs after the previous ordered job of its shard in the same call: adds keep their
    # order, so a shard stores its vectors in the order one index would.
    ordered: bool = False


def _distributed():
    import distributed  # imported when used: vqsearch itself does not need Dask
    return distributed


class ShardedIndex:
    """An index over num_shards shards, placed on the client's workers holding the fewest.

    ShardedIndex(spec, dim, metric, client, num_shards): spec, dim and metric as for
    vqsearch.Index; client a distributed.Client (default: the current one); num_shards
    (default: one per worker). Call train(sample) first unless the spec needs no
    training (Flat).
    """

    def __init__(self, spec: str, dim: int, metric: str = "l2", client=None,
                 num_shards: Optional[int] = None):
        self._start(vqsearch.Index(spec, dim, metric), client, num_shards)

    @classmethod
    def from_trained(cls, index: vqsearch.Index, client=None,
                     num_shards: Optional[int] = None) -> "ShardedIndex":
        """Shards starting from a trained, empty vqsearch.Index (trained elsewhere, or
        loaded from a file), copied to every shard."""
        if not index.is_trained or index.ntotal:
            raise ValueError("from_trained takes a trained index holding no vectors")
        self = cls.__new__(cls)
        self._start(vqsearch.deserialize(index.serialize()), client, num_shards)
        return self

    def _start(self, template: vqsearch.Index, client, num_shards: Optional[int]) -> None:
        self._client = client if client is not None else _distributed().get_client()
        self._init(template.spec, template.dim, template.metric,
                   num_shards if num_shards is not None else len(self._live_workers()))
        self._template = template
        if template.is_trained:
            self._create_shards()

    def _init(self, spec, dim, metric, num_shards):
        if num_shards < 1:
            raise ValueError(f"num_shards must be >= 1, got {num_shards}")
        self.spec, self.dim, self.metric = spec, dim, metric
        self._uid = uuid.uuid4().hex
        self._workers: List[Optional[str]] = [None] * num_shards
        self._ranges = [IdRanges() for _ in range(num_shards)]
        self._next_id = 0
        self._user_ids: Optional[bool] = None
        self._template = None
        # The folder the shards were last saved to or loaded from, while they still
        # match it; a lost shard is reloaded from there.
        self._folder: Optional[str] = None
        self._checksums: List[str] = []

    # ---- placement and fault handling -------------------------------------------------

    def _key(self, shard: int):
        return (self._uid, shard)

    def _live_workers(self) -> List[str]:
        return sorted(self._client.scheduler_info()["workers"])

    def _place(self, shards: Sequence[int]) -> None:
        """Puts shards on the live workers holding the fewest shards."""
        live = self._live_workers()
        if not live:
            raise RuntimeError("the Dask cluster has no workers")
        held = {w: 0 for w in live}
        for shard, worker in enumerate(self._workers):
            if worker in held and shard not in shards:
                held[worker] += 1
        for shard in shards:
            worker = min(live, key=lambda w: (held[w], w))
            self._workers[shard] = worker
            held[worker] += 1

    def _submit(self, job: _Job, after=None):
        worker = self._workers[job.shard]
        extra = {"after": after} if job.ordered else {}
        return self._client.submit(job.function, self._key(job.shard), *job.args, **extra,
                                   workers=[worker], allow_other_workers=False, pure=False)

    def _wait(self, jobs: Sequence[_Job]) -> Tuple[Dict[int, object], List[int]]:
        """Runs the jobs, each on its shard's worker. Returns the results by job number
        and the shards that were lost: their worker left the cluster, or the worker no
        longer holds them. Any other error of a job is raised."""
        distributed = _distributed()
        futures, last = [], {}
        for job in jobs:
            futures.append(self._submit(job, last.get(job.shard)))
            if job.ordered:
                last[job.shard] = futures[-1]
        lost = set()
        pending = list(range(len(jobs)))
        while pending:
            try:
                distributed.wait([futures[j] for j in pending], timeout=_LIVENESS_POLL_SECONDS)
            except (TimeoutError, asyncio.TimeoutError):
                live = set(self._live_workers())
                gone = [j for j in pending if self._workers[jobs[j].shard] not in live
                        and futures[j].status == "pending"]
                if gone:
                    lost.update(jobs[j].shard for j in gone)
                    self._client.cancel([futures[j] for j in gone])
            pending = [j for j in pending
                       if futures[j].status == "pending" and jobs[j].shard not in lost]
        results = {}
        for j, future in enumerate(futures):
            if jobs[j].shard in lost:
                continue
            if future.status == "finished":
                results[j] = future.result()
                continue
            error = future.exception() if future.status == "error" else None
            if error is None or isinstance(error, (_worker.ShardMissingError,
                                                   distributed.scheduler.KilledWorker)):
                lost.add(jobs[j].shard)
            else:
                raise error
        return results, sorted(lost)

    def _run(self, jobs: Sequence[_Job], what: str, allow_partial: bool = False):
        """_wait, then for lost shards: reload them from the saved folder onto live
        workers and run their jobs again when the shards are unchanged since the save;
        else return them as missing (allow_partial) or raise ShardLostError."""
        results, lost = self._wait(jobs)
        if lost and self._folder is not None:
            self._reload(lost)
            retry = [j for j, job in enumerate(jobs) if job.shard in lost]
            again, lost = self._wait([jobs[j] for j in retry])
            results.update({retry[j]: value for j, value in again.items()})
        if lost and not allow_partial:
            raise ShardLostError(self._lost_message(lost, what), lost)
        return results, lost

    def _lost_message(self, lost, what) -> str:
        names = ", ".join(f"shard {s} ({self._ranges[s].count()} vectors, on {self._workers[s]})"
                          for s in lost)
        if self._folder is not None:
            why = f"they were lost again after reloading from {self._folder}"
        elif self._checksums:
            why = "they changed since they were saved, so there is no copy to reload"
        else:
            why = "the index was never saved, so there is no copy to reload"
        hint = " Pass allow_partial=True to accept the other shards' results." if what == "search" else ""
        return f"{what} failed: lost {names}; {why}.{hint}"

    def _reload(self, shards: Sequence[int]) -> None:
        self._place(shards)
        paths = [os.path.join(self._folder, _manifest.shard_file(s)) for s in shards]
        results, lost = self._wait([_Job(s, _worker.load, (path, self._checksums[s]))
                                    for s, path in zip(shards, paths)])
        if lost:
            raise ShardLostError(self._lost_message(lost, "reloading lost shards"), lost)
        self._check_loaded([results[j] for j in range(len(shards))], shards)

    def _check_loaded(self, answers, shards) -> None:
        for (ntotal, spec, dim, metric), shard in zip(answers, shards):
            if (spec, dim, metric) != (self.spec, self.dim, self.metric) or \
                    ntotal != self._ranges[shard].count():
                raise OSError(f"shard {shard}: the file holds {spec!r} (dim {dim}, {metric}) with "
                              f"{ntotal} vectors, the manifest {self.spec!r} (dim {self.dim}, "
                              f"{self.metric}) with {self._ranges[shard].count()}")

    def _changed(self) -> None:
        self._folder = None

    # ---- building ---------------------------------------------------------------------

    def _create_shards(self) -> None:
        shards = list(range(self.num_shards))
        self._place(shards)
        trained = self._client.scatter(self._template.serialize(), broadcast=True, hash=False)
        self._run([_Job(s, _worker.create, (trained,)) for s in shards], "creating shards")

    def trained_index(self) -> vqsearch.Index:
        """A copy of the trained empty index every shard started from (not kept by
        load): the reference a single-process index is built from."""
        if self._template is None or not self.is_trained:
            raise RuntimeError("no trained index: train first (a loaded index does not keep it)")
        return vqsearch.deserialize(self._template.serialize())

    @property
    def is_trained(self) -> bool:
        return self._workers[0] is not None

    def train(self, x, **options) -> None:
        """Trains the index on the client on a sample x (numpy, or a Dask array it
        computes) and sends the trained empty index to every shard. options as for
        vqsearch.Index.train."""
        if self._template is None or self._template.is_trained:
            raise RuntimeError("the index is already trained")
        if type(x).__module__.startswith("dask"):
            x = x.compute()
        self._template.train(x, **options)
        self._create_shards()

    def add(self, data, ids=None, *, hdf5_dataset: str = "train", num_threads: int = 1) -> None:
        """Adds vectors: a numpy array (n, dim), a Dask array (its blocks of rows are
        computed on the cluster), or a list of .fvecs / HDF5 file paths (each read by the
        worker adding it; HDF5 vectors in hdf5_dataset). ids: None (global ids continue
        from the last add, 0, 1, ...) or n distinct integers >= 0, not already stored;
        given on every add or on none. Each piece of data goes to the shard holding the
        fewest vectors. num_threads: threads of each shard's add (default 1: one Dask
        worker thread, one core; 0 = every CPU of the worker)."""
        if not self.is_trained:
            raise RuntimeError("train the index before adding vectors")
        parts = pieces(data, self.dim, self.num_shards, hdf5_dataset)
        total = sum(p.rows for p in parts)
        ids = self._new_ids(ids, total)
        counts = [r.count() for r in self._ranges]
        blocks = iter(self._client.compute([p.data for p in parts if p.kind == "block"]))
        jobs, starts, first = [], [], 0
        for part in parts:
            shard = min(range(self.num_shards), key=lambda s: (counts[s], s))
            counts[shard] += part.rows
            # Ids (and a numpy piece) go straight to the shard's worker, not through the
            # scheduler; a Dask block is computed on the cluster and moved there.
            worker = [self._workers[shard]]
            if part.kind == "array":
                x, piece_ids = self._client.scatter(
                    [np.ascontiguousarray(part.data, dtype=np.float32), ids[first:first + part.rows]],
                    workers=worker, hash=False)
            else:
                x = part.data if part.kind == "file" else next(blocks)
                piece_ids = self._client.scatter(ids[first:first + part.rows], workers=worker,
                                                 hash=False)
            function = _worker.add_file if part.kind == "file" else _worker.add
            jobs.append(_Job(shard, function, (x, piece_ids, num_threads), ordered=True))
            starts.append(first)
            first += part.rows
        self._changed()
        results, lost = self._wait(jobs)
        for j in results:
            shard, begin = jobs[j].shard, starts[j]
            self._ranges[shard] = self._ranges[shard].union(
                IdRanges.from_ids(ids[begin:begin + parts[j].rows]))
        if ids.size and not self._user_ids:
            self._next_id = int(ids[-1]) + 1
        if lost:
            raise ShardLostError(self._lost_message(lost, "add") +
                                 " The other shards added their vectors.", lost)

    def _new_ids(self, ids, total) -> np.ndarray:
        user = ids is not None
        if self._user_ids is not None and total and user != self._user_ids:
            raise ValueError("give ids on every add or on none")
        if not user:
            if total:
                self._user_ids = False
            return np.arange(self._next_id, self._next_id + total, dtype=np.int64)
        ids = np.asarray(ids)
        if ids.ndim != 1 or len(ids) != total or (ids.size and ids.dtype.kind not in "iu"):
            raise ValueError(f"ids must be {total} integers, got shape {ids.shape} of {ids.dtype}")
        ids = ids.astype(np.int64)
        if ids.size and ids.min() < 0:
            raise ValueError(f"ids must be >= 0, got {ids.min()}")
        unique, counts = np.unique(ids, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(f"id {unique[counts > 1][0]} is given twice")
        for ranges in self._ranges:
            stored = ranges.contains(ids)
            if stored.any():
                raise ValueError(f"id {ids[stored][0]} is already stored")
        if total:
            self._user_ids = True
        return ids

    def remove(self, ids) -> int:
        """Removes the stored vectors whose id is in ids; returns how many were removed.
        Unknown ids are ignored."""
        ids = np.unique(np.asarray(ids, dtype=np.int64).ravel())
        jobs = []
        for shard, ranges in enumerate(self._ranges):
            mine = ids[ranges.contains(ids)]
            if mine.size:
                jobs.append(_Job(shard, _worker.remove, (mine,)))
        if not jobs:
            return 0
        results, _ = self._run(jobs, "remove")
        self._changed()
        for job in jobs:
            self._ranges[job.shard] = self._ranges[job.shard].difference(job.args[0])
        return int(sum(results.values()))

    # ---- searching --------------------------------------------------------------------

    def search(self, queries, k: int, *, allow_partial: bool = False, drop_missing: bool = False,
               **params) -> SearchResult:
        """The global k nearest neighbours of each query, as vqsearch.Index.search returns
        them: (distances, ids) of shape (nq, k), closest first (l2 ascending, ip and
        cosine descending), padded with id -1, as a SearchResult. params (nprobe,
        refine_factor, num_threads, ids, id_range) apply on every shard; num_threads
        defaults to 1 (one Dask worker thread, one core; 0 = every CPU of the worker).

        A shard whose worker is lost is reloaded from the folder the index was saved to
        (if it has not changed since) and searched again; otherwise ShardLostError names
        it, or with allow_partial=True the result holds the other shards' answer and
        lists the lost ones in missing_shards."""
        q = np.ascontiguousarray(queries, dtype=np.float32)
        one = q.ndim == 1
        if one:
            q = q[None, :]
        if q.ndim != 2 or q.shape[1] != self.dim:
            raise ValueError(f"queries have shape {np.shape(queries)}, expected (nq, {self.dim})")
        if not isinstance(k, (int, np.integer)) or k <= 0:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        if not self.is_trained:
            raise RuntimeError("train the index before searching")
        params.setdefault("num_threads", 1)
        jobs = [_Job(s, _worker.search, (q, int(k), params)) for s in range(self.num_shards)]
        results, lost = self._run(jobs, "search", allow_partial)
        if not results:
            raise ShardLostError(self._lost_message(lost, "search"), lost)
        distances, ids = merge_topk([results[j] for j in sorted(results)], int(k), self.metric)
        if drop_missing:
            sizes = (ids >= 0).sum(axis=1)
            distances = [row[:n] for row, n in zip(distances, sizes)]
            ids = [row[:n] for row, n in zip(ids, sizes)]
        if one:
            distances, ids = distances[0], ids[0]
        return SearchResult(distances, ids, lost)

    # ---- properties -------------------------------------------------------------------

    @property
    def num_shards(self) -> int:
        return len(self._workers)

    @property
    def ntotal(self) -> int:
        return sum(r.count() for r in self._ranges)

    def __len__(self) -> int:
        return self.ntotal

    @property
    def shard_workers(self) -> List[Optional[str]]:
        """The address of the worker holding each shard."""
        return list(self._workers)

    def shard_ids(self, shard: int) -> List[List[int]]:
        """The ids shard holds, as [begin, end) runs."""
        return self._ranges[shard].pairs()

    def __repr__(self) -> str:
        return (f"vqsearch.distributed.ShardedIndex(\"{self.spec}\", dim={self.dim}, "
                f"metric=\"{self.metric}\", num_shards={self.num_shards}, ntotal={self.ntotal})")

    # ---- persistence ------------------------------------------------------------------

    def save(self, folder) -> None:
        """Writes one file per shard (by the worker holding it, so folder must be a path
        every worker and the client see) and then manifest.json."""
        if not self.is_trained:
            raise RuntimeError("train the index before saving it")
        folder = os.path.abspath(os.fspath(folder))
        os.makedirs(folder, exist_ok=True)
        shards = range(self.num_shards)
        jobs = [_Job(s, _worker.save, (os.path.join(folder, _manifest.shard_file(s)),))
                for s in shards]
        results, _ = self._run(jobs, "save")
        records = [_manifest.ShardRecord(_manifest.shard_file(s), results[s][0], results[s][1],
                                         self._ranges[s].count(), self._ranges[s]) for s in shards]
        _manifest.write(folder, _manifest.Manifest(self.spec, self.dim, self.metric,
                                                   self._next_id, self._user_ids, records))
        self._folder, self._checksums = folder, [r.sha256 for r in records]

    @classmethod
    def load(cls, folder, client=None) -> "ShardedIndex":
        """Reads a saved sharded index onto the client's workers, checking every shard
        file against the manifest's checksum, spec, dimension, metric and count."""
        folder = os.path.abspath(os.fspath(folder))
        manifest = _manifest.read(folder)
        self = cls.__new__(cls)
        self._client = client if client is not None else _distributed().get_client()
        self._init(manifest.spec, manifest.dim, manifest.metric, len(manifest.shards))
        self._ranges = [r.ranges for r in manifest.shards]
        if functools.reduce(IdRanges.union, self._ranges).count() != self.ntotal:
            raise OSError(f"{folder}: shards share ids")
        self._next_id, self._user_ids = manifest.next_id, manifest.user_ids
        self._folder, self._checksums = folder, [r.sha256 for r in manifest.shards]
        self._reload(list(range(self.num_shards)))
        return self

    # ---- cleanup ----------------------------------------------------------------------

    def close(self) -> None:
        """Drops the shards from the workers' memory."""
        if self.is_trained:
            live = set(self._live_workers())
            futures = [self._submit(_Job(s, _worker.drop, ())) for s in range(self.num_shards)
                       if self._workers[s] in live]
            _distributed().wait(futures)
            self._workers = [None] * self.num_shards

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
