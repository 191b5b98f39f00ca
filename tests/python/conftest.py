"""Shared data and helpers of the vqsearch Python tests.

SPECS lists the index specs every cross-check runs over; a new index type joins the
suite by adding its spec string (with the search parameters it takes) here.
"""

import os
import re
import subprocess

import numpy as np
import pytest

import vqsearch

DIM = 32
NUM_BASE = 3000
NUM_QUERIES = 40
K = 10
NLIST = 32

# spec -> search keyword parameters used when comparing against C++.
SPECS = {
    "Flat": {},
    "IVF32,Flat": {"nprobe": 4},
    "IVF32,PQ8": {"nprobe": 4},
    "IVF32,PQ16x8": {"nprobe": 8},
    "IVF32,PQ8,Refine(Flat)": {"nprobe": 4, "refine_factor": 3},
    "IVF32,Flat,Refine(Flat)": {"nprobe": 2},
    "IVF32,PQ8x4fs": {"nprobe": 4},
    "IVF32,PQ8x4fs,Refine(Flat)": {"nprobe": 4, "refine_factor": 3},
    "OPQ8,IVF32,PQ8x4fs": {"nprobe": 4},
    "SQ8": {},
    "IVF32,SQ8": {"nprobe": 4},
    "IVF32,SQ4": {"nprobe": 4},
    "IVF32,PQ8,Refine(SQ8)": {"nprobe": 4, "refine_factor": 3},
    "IVF32,RQ4x8": {"nprobe": 4},
    "IVF32,RQ6x4fs": {"nprobe": 4},
    "IVF32,RaBitQ4": {"nprobe": 4},
    "IVF32,RaBitQ1,Refine(Flat)": {"nprobe": 4, "refine_factor": 3},
    "IVF32,RaBitQ4fs": {"nprobe": 4},
    "RaBitQ2fs16": {},
}

METRICS = ["l2", "ip", "cosine"]


@pytest.fixture(scope="session")
def base():
    # Clustered data, so that IVF lists and PQ codebooks have structure to learn.
    rng = np.random.default_rng(7)
    centers = rng.normal(size=(50, DIM)).astype(np.float32) * 4
    points = centers[rng.integers(0, 50, NUM_BASE)] + rng.normal(size=(NUM_BASE, DIM))
    return np.ascontiguousarray(points, dtype=np.float32)


@pytest.fixture(scope="session")
def queries():
    rng = np.random.default_rng(8)
    return rng.normal(scale=3.0, size=(NUM_QUERIES, DIM)).astype(np.float32)


def brute_force(base, queries, k, metric="l2"):
    """Exact (distances, ids) in float64 numpy, ranked the way vqsearch ranks."""
    b = base.astype(np.float64)
    q = queries.astype(np.float64)
    if metric == "l2":
        scores = ((q[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)
        order = np.argsort(scores, axis=1, kind="stable")[:, :k]
    else:
        if metric == "cosine":
            b = b / np.linalg.norm(b, axis=1, keepdims=True)
            q = q / np.linalg.norm(q, axis=1, keepdims=True)
        scores = q @ b.T
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, axis=1), order


def build(spec, base, metric="l2", ids=None):
    index = vqsearch.Index(spec, base.shape[1], metric)
    index.train(base)
    index.add(base, ids)
    return index


def cpp_search(tmp_path, spec, metric, base, queries, k, params):
    """The same build and search through the C++ API (the cpp_search helper)."""
    base_path = tmp_path / "base.fvecs"
    query_path = tmp_path / "queries.fvecs"
    vqsearch.write_fvecs(base_path, base)
    vqsearch.write_fvecs(query_path, queries)
    prefix = tmp_path / "cpp"
    pairs = [f"{name}={value}" for name, value in params.items()]
    subprocess.run([os.environ["VQS_CPP_SEARCH"], spec, metric, str(base_path), str(query_path),
                    str(k), str(prefix)] + pairs, check=True)
    distances = vqsearch.read_fvecs(f"{prefix}.distances.fvecs")
    ids = vqsearch.read_ivecs(f"{prefix}.ids.ivecs").astype(np.int64)
    return distances, ids


def readme_python_example():
    """The README's "Python example" block and the lines its `# prints` comments promise."""
    readme = open(os.environ["VQS_README"], encoding="utf-8").read()
    example = re.search(r"## Python example\n\n```python\n(.*?)```", readme, re.S).group(1)
    return example, re.findall(r"# prints (.*)", example)
