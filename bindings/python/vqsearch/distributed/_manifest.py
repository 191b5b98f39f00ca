"""The manifest of a saved sharded index: manifest.json beside one file per shard.

It records the spec, dimension and metric, the next sequential id, and for every shard
its file, the file's SHA-256 and size, its vector count and its id ranges. It is written
last and atomically (a temporary file renamed over the old one), so a folder holds the
old manifest or the new one; shard files that no longer match it fail their checksum on
load, never load silently.
"""

import json
import os
from typing import List, NamedTuple, Optional

from ._ranges import IdRanges

NAME = "manifest.json"
FORMAT = "vqsearch.distributed/1"


class ShardRecord(NamedTuple):
    file: str
    sha256: str
    size: int
    ntotal: int
    ranges: IdRanges


class Manifest(NamedTuple):
    spec: str
    dim: int
    metric: str
    next_id: int
    user_ids: Optional[bool]  # None until the first add: whether adds give ids
    shards: List[ShardRecord]


def shard_file(shard: int) -> str:
    return f"shard-{shard:05d}.vqs"


def write(folder: str, manifest: Manifest) -> None:
    doc = {
        "format": FORMAT, "spec": manifest.spec, "dim": manifest.dim, "metric": manifest.metric,
        "next_id": manifest.next_id, "user_ids": manifest.user_ids,
        "num_shards": len(manifest.shards),
        "shards": [{"file": s.file, "sha256": s.sha256, "bytes": s.size, "ntotal": s.ntotal,
                    "id_ranges": s.ranges.pairs()} for s in manifest.shards],
    }
    path = os.path.join(folder, NAME)
    temporary = f"{path}.tmp.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def _field(doc, name, kind, where):
    if not isinstance(doc, dict) or not isinstance(doc.get(name), kind) or isinstance(doc.get(name), bool):
        raise OSError(f"{where}: missing or malformed field {name!r}")
    return doc[name]


def read(folder: str) -> Manifest:
    """Reads and checks the manifest; a damaged one raises OSError naming the problem."""
    path = os.path.join(folder, NAME)
    with open(path, encoding="utf-8") as f:
        try:
            doc = json.load(f)
        except ValueError as e:
            raise OSError(f"{path}: not JSON ({e})") from e
    if _field(doc, "format", str, path) != FORMAT:
        raise OSError(f"{path}: format {doc['format']!r}, expected {FORMAT!r}")
    shards = []
    for n, entry in enumerate(_field(doc, "shards", list, path)):
        where = f"{path}: shard {n}"
        file = _field(entry, "file", str, where)
        if os.path.basename(file) != file or file in ("", ".", ".."):
            raise OSError(f"{where}: file {file!r} is not a plain name inside the folder")
        try:
            ranges = IdRanges.from_pairs(_field(entry, "id_ranges", list, where))
        except (ValueError, TypeError) as e:
            raise OSError(f"{where}: bad id_ranges ({e})") from e
        ntotal = _field(entry, "ntotal", int, where)
        if ranges.count() != ntotal:
            raise OSError(f"{where}: id_ranges hold {ranges.count()} ids, ntotal is {ntotal}")
        shards.append(ShardRecord(file, _field(entry, "sha256", str, where),
                                  _field(entry, "bytes", int, where), ntotal, ranges))
    if _field(doc, "num_shards", int, path) != len(shards) or not shards:
        raise OSError(f"{path}: num_shards does not match the {len(shards)} shard entries")
    user_ids = doc.get("user_ids")
    if user_ids not in (None, True, False):
        raise OSError(f"{path}: malformed field 'user_ids'")
    return Manifest(_field(doc, "spec", str, path), _field(doc, "dim", int, path),
                    _field(doc, "metric", str, path), _field(doc, "next_id", int, path), user_ids,
                    shards)
