"""Hostile files and inputs through Python: every fuzz finding in tests/regressions
raises an exception naming the problem (and never crashes the interpreter), as do
points whose distances overflow float in k-means, paths with NUL bytes, non-regular
files and repeated user ids."""

import pathlib

import numpy as np
import pytest

import vqsearch

REGRESSIONS = pathlib.Path(__file__).resolve().parent.parent / "regressions"

# file -> (section, rule) the message names.
INDEX_FILES = {
    "refine_base_other_spec.vqs": ("section refine.base", "the wrapper's spec expects"),
    "refine_position_filter.vqs": ("section refine.base", "holds position"),
    "ivf_negative_ids.vqs": ("section ivf.lists.ids", "is negative"),
    "flat_nan_vectors.vqs": ("section flat.vectors", "must be finite"),
    "pq_nan_centroids.vqs": ("section ivfpq.pq.centroids", "must be finite"),
    "pq4_nan_centroids.vqs": ("section ivfpq.pq.centroids", "must be finite"),
    "opq_nan_rotation.vqs": ("section pretransform.opq.matrix", "must be finite"),
    "ivf_untrained_with_lists.vqs": ("section index.spec", "saved untrained but holds"),
    "opq_base_other_spec.vqs": ("section pretransform.base", "the wrapper's spec expects"),
    "refine_short_ids.vqs": ("section refine.base", "holds position"),
    "refine_sq_short_ids.vqs": ("section refine.base", "holds position"),
    "flat_next_id_collision.vqs": ("section flat.ids", "is not below flat.next_sequential_id"),
}


def test_every_regression_file_is_covered():
    on_disk = {p.name for p in REGRESSIONS.glob("*.vqs")}
    assert on_disk == set(INDEX_FILES)


@pytest.mark.parametrize("name", sorted(INDEX_FILES))
def test_hostile_index_file_is_refused(name):
    section, rule = INDEX_FILES[name]
    path = REGRESSIONS / name
    with pytest.raises(OSError) as loaded:
        vqsearch.load(path)
    assert name in str(loaded.value)
    with pytest.raises(OSError) as deserialized:
        vqsearch.deserialize(path.read_bytes())
    for error in (loaded.value, deserialized.value):
        assert section in str(error) and rule in str(error)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("hdf5*")), ids=lambda p: p.name[:30])
def test_damaged_hdf5_file_is_an_error(path):
    with pytest.raises((OSError, ValueError)) as error:
        vqsearch.read_ann_hdf5(path)
    assert str(path) in str(error.value)


def test_kmeans_refuses_points_whose_distances_overflow():
    points = np.array([[2e19], [-2e19], [0.0], [1.0]], np.float32)
    with pytest.raises(ValueError, match="row 0 has squared norm .* would overflow float"):
        vqsearch.kmeans(points, 2)
    index = vqsearch.Index("IVF2,Flat", 1)
    with pytest.raises(ValueError, match="would overflow float"):
        index.train(points)


def test_paths_with_nul_bytes_are_refused(tmp_path):
    index = vqsearch.Index("Flat", 4)
    index.add(np.ones((2, 4), np.float32))
    target = tmp_path / "idx.vqs"
    with pytest.raises(ValueError, match="NUL byte"):
        index.save(str(target) + "\x00x")
    assert not target.exists()
    index.save(target)
    with pytest.raises(ValueError, match="NUL byte"):
        vqsearch.load(str(target) + "\x00b")
    with pytest.raises(ValueError, match="NUL byte"):
        vqsearch.read_ann_hdf5("a.h5\x00b")


def test_load_reads_only_regular_files(tmp_path):
    for path in ("/dev/zero", tmp_path):
        with pytest.raises(ValueError, match="is not a regular file"):
            vqsearch.load(path)


@pytest.mark.parametrize("spec", ["Flat", "IVF4,PQ4", "IVF4,PQ4,Refine(Flat)"])
def test_repeated_user_ids_are_refused(spec):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((300, 8)).astype(np.float32)
    index = vqsearch.Index(spec, 8)
    index.train(x)
    index.add(x[:100], ids=np.arange(5000, 5100))
    with pytest.raises(ValueError, match="id 5000 is given twice"):
        index.add(x[100:103], ids=[5000, 5000, 5001])
    with pytest.raises(ValueError, match="id 5007 .* is already in the index"):
        index.add(x[100:103], ids=[9000, 5007, 9001])
    assert index.ntotal == 100
    index.remove([5007])
    index.add(x[100:103], ids=[9000, 5007, 9001])
    params = {"nprobe": 4} if "nprobe" in index.search_params() else {}
    _, ids = index.search(x[101:102], 5, **params)
    assert ids[0, 0] == 5007 and list(ids[0]).count(5007) == 1
