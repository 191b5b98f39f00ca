"""What runs on the Dask workers: each worker process keeps its shards in a registry.

A shard is a vqsearch.Index held by one worker process under a key (the sharded index's
id and the shard number). Tasks are pinned to the worker holding their shard; a worker
that lost its shard (a restarted process) raises ShardMissingError instead of answering
from an empty index, so a lost shard is never silently skipped.
"""

import hashlib
import os
import threading

import numpy as np

import vqsearch

from ._sources import read_file

_shards = {}
_lock = threading.Lock()


class ShardMissingError(RuntimeError):
    """The worker does not hold the shard a task asked for."""


def _shard(key):
    with _lock:
        index = _shards.get(key)
    if index is None:
        raise ShardMissingError(f"shard {key[1]} is not held by worker process {os.getpid()}")
    return index


def create(key, trained):
    """Makes the shard from the trained empty index's bytes."""
    index = vqsearch.deserialize(trained)
    with _lock:
        _shards[key] = index
    return index.ntotal


def drop(key):
    with _lock:
        _shards.pop(key, None)


def sha256_of(data) -> str:
    return hashlib.sha256(data).hexdigest()


def load(key, path, sha256):
    """Loads the shard from a saved file after checking its checksum; returns
    (ntotal, spec, dim, metric) for the client to check against the manifest."""
    with open(path, "rb") as f:
        data = f.read()
    if sha256_of(data) != sha256:
        raise OSError(f"{path}: checksum does not match the manifest (damaged or replaced file)")
    index = vqsearch.deserialize(data)
    with _lock:
        _shards[key] = index
    return index.ntotal, index.spec, index.dim, index.metric


def save(key, path):
    """Saves the shard (atomically, by vqsearch) and returns the file's checksum and size."""
    index = _shard(key)
    index.save(path)
    with open(path, "rb") as f:
        data = f.read()
    return sha256_of(data), len(data)


def add(key, x, ids, num_threads=0, after=None):
    """after: the previous add of the shard (Dask runs this one once it is done)."""
    del after
    index = _shard(key)
    index.add(x, ids, num_threads=num_threads)
    return len(ids)


def add_file(key, source, ids, num_threads=0, after=None):
    """Reads one data file (see _sources.read_file) on the worker and adds its rows;
    after as for add."""
    del after
    x = read_file(source)
    if len(x) != len(ids):
        raise ValueError(f"{source[0]} holds {len(x)} vectors, {len(ids)} were counted")
    return add(key, x, ids, num_threads)


def remove(key, ids):
    return _shard(key).remove(ids)


def search(key, queries, k, params):
    """The shard's top-k, padded as vqsearch pads; an empty shard returns only padding
    (vqsearch refuses to search an empty index)."""
    index = _shard(key)
    if index.ntotal == 0:
        fill = np.inf if index.metric == "l2" else -np.inf
        return (np.full((len(queries), k), fill, dtype=np.float32),
                np.full((len(queries), k), -1, dtype=np.int64))
    return index.search(queries, k, **params)


def memory_usage(key):
    return _shard(key).memory_usage
