"""vqsearch.distributed: one vqsearch index sharded over the workers of a Dask cluster.

    from distributed import Client, LocalCluster
    from vqsearch.distributed import ShardedIndex

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    index = ShardedIndex("IVF1024,PQ32x4fs,Refine(SQ8)", 128, "l2", client, num_shards=2)
    index.train(sample)          # once, on the client; every shard gets the trained index
    index.add(vectors)           # numpy, Dask array or a list of .fvecs / HDF5 paths
    distances, ids = index.search(queries, 10, nprobe=16)
    index.save("/shared/index")  # one file per shard + manifest.json
    index = ShardedIndex.load("/shared/index", client)

Needs Dask's distributed package (Debian: python3-distributed); vqsearch itself does not.
"""

from ._index import ShardedIndex
from ._merge import merge_topk
from ._result import SearchResult, ShardLostError

__all__ = ["SearchResult", "ShardLostError", "ShardedIndex", "merge_topk"]
