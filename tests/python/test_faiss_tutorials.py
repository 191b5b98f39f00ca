"""FAISS tutorial scripts (faiss_scripts/) run on vqsearch.faiss, checked against exact search.

Each script is written as FAISS's tutorials write it, with `import vqsearch.faiss as
faiss` as its only change. The test runs it and checks what it computed against a
double-precision brute force; with FAISS at /opt/faiss-latest (not in CI) the same
scripts, with only that line turned back into `import faiss`, run on FAISS too and the
answers are compared.
"""

import os
import pathlib
import runpy
import subprocess
import sys

import numpy as np
import pytest

SCRIPTS = pathlib.Path(__file__).parent / "faiss_scripts"
FAISS_PATH = os.environ.get("VQS_FAISS_PATH", "/opt/faiss-latest")
IMPORT_LINE = "import vqsearch.faiss as faiss"


def run_script(name):
    return runpy.run_path(str(SCRIPTS / f"{name}.py"), run_name="__main__")


def exact(xb, xq, k, metric="l2"):
    """Double-precision (D, I) closest first: squared L2 ascending or inner product descending."""
    xb64, xq64 = xb.astype(np.float64), xq.astype(np.float64)
    if metric == "l2":
        scores = (xq64 ** 2).sum(1)[:, None] - 2 * xq64 @ xb64.T + (xb64 ** 2).sum(1)[None, :]
        order = np.argsort(scores, axis=1, kind="stable")[:, :k]
    else:
        scores = xq64 @ xb64.T
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, 1), order


def recall(found, truth):
    return np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)])


def test_getting_started_is_exact():
    g = run_script("getting_started")
    D_ref, I_ref = exact(g["xb"], g["xq"], g["k"])
    assert g["I"].dtype == np.int64 and g["D"].dtype == np.float32
    assert g["I"].shape == (g["nq"], g["k"])
    assert recall(g["I"], I_ref) == 1.0
    np.testing.assert_allclose(g["D"], D_ref, rtol=1e-4, atol=1e-3)  # squared distances
    assert (g["I_sanity"][:, 0] == np.arange(5)).all()
    np.testing.assert_allclose(g["D_sanity"][:, 0], 0, atol=1e-3)


def test_faster_search_gains_recall_with_nprobe():
    g = run_script("faster_search")
    _, I_ref = exact(g["xb"], g["xq"], g["k"])
    one, ten = recall(g["I1"], I_ref), recall(g["I"], I_ref)
    assert g["index"].nprobe == 10
    assert ten > one and ten >= 0.9, (one, ten)
    # Whatever IVF finds is scored exactly: its distances are the true ones of its ids.
    D_true = ((g["xq"][:, None, :] - g["xb"][g["I"]]) ** 2).sum(-1)
    np.testing.assert_allclose(g["D"], D_true, rtol=1e-4, atol=1e-3)


def test_lower_memory_ivfpq_finds_itself_and_most_neighbours():
    g = run_script("lower_memory")
    _, I_ref = exact(g["xb"], g["xq"], g["k"])
    assert (g["I_sanity"][:, 0] == np.arange(5)).all()
    # 8 bytes for 64 uniform dimensions keep little of the order (FAISS 1.15: 0.35 on this data)
    # but far more than chance (k / nb).
    assert recall(g["I"], I_ref) >= 0.2
    assert (np.diff(g["D"], axis=1) >= 0).all()


def test_special_operations_against_brute_force():
    g = run_script("special_operations")
    xb, xq, k = g["xb"], g["xq"], g["k"]
    _, I_ref = exact(xb, xq, k)
    assert recall(g["I_ivf"], I_ref) >= 0.7  # nprobe 16 of 64 lists on uniform data

    # Selectors: nprobe = nlist makes the filtered searches exact among the allowed ids.
    allowed = np.arange(1000, 3000)
    _, I_sel = exact(xb[allowed], xq, k)
    assert (g["I_sel"] == allowed[I_sel]).all()
    subset = g["subset"]
    _, I_batch = exact(xb[subset], xq, k)
    assert (g["I_batch"] == subset[I_batch]).all()

    # Range search: exactly the vectors closer than the radius.
    D_all, I_all = exact(xb, xq, len(xb))
    lims = g["lims"]
    assert lims.dtype == np.uint64 and len(lims) == len(xq) + 1
    for q in range(len(xq)):
        expected = set(I_all[q][D_all[q] < g["radius"]])
        assert set(g["I_range"][lims[q]:lims[q + 1]]) == expected
        assert (g["D_range"][lims[q]:lims[q + 1]] < g["radius"]).all()

    # Removal: 100 + 3 vectors gone, the rest keep their ids.
    assert (g["removed_range"], g["removed_batch"], g["ntotal_after_remove"]) == (100, 3, 4897)
    kept = np.setdiff1d(np.arange(len(xb)), np.r_[np.arange(100), [200, 300, 400]])
    _, I_kept = exact(xb[kept], xq, k)
    assert (g["I_removed"] == kept[I_kept]).all()
    assert np.array_equal(g["recons"], xb[1234])

    # Serialized, written and read back: the same answers.
    for name in ("I_deser", "I_read"):
        assert np.array_equal(g[name], g["I_ivf"]), name
    assert type(g["index2"]) is type(g["index"])

    # Cosine by normalize_L2 + inner product, descending similarities.
    xb_n = xb / np.linalg.norm(xb, axis=1, keepdims=True)
    xq_n = xq / np.linalg.norm(xq, axis=1, keepdims=True)
    D_cos, I_cos = exact(xb_n, xq_n, k, metric="ip")
    assert recall(g["I_cos"], I_cos) == 1.0
    np.testing.assert_allclose(g["D_cos"], D_cos, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(g["xb_cos"], axis=1), 1, atol=1e-6)

    # k-means: centroids of the requested shape; the index assigns to the nearest one.
    km = g["kmeans"]
    assert km.centroids.shape == (g["ncentroids"], xb.shape[1])
    assert len(km.obj) == g["niter"]
    D_c, I_c = exact(km.centroids, xb, 1)
    assert (g["I_km"].ravel() == I_c.ravel()).mean() > 0.999
    np.testing.assert_allclose(g["D_km"].ravel(), D_c.ravel(), rtol=1e-3, atol=1e-4)

    # Refinement re-ranks what IVF at the same nprobe finds: IVF-Flat's recall is its ceiling.
    assert recall(g["I_refine"], I_ref) >= recall(g["I_ivf"], I_ref) - 0.05
    np.testing.assert_allclose(g["D_refine"], ((xq[:, None, :] - xb[g["I_refine"]]) ** 2).sum(-1),
                               rtol=1e-4, atol=1e-4)


def run_with_faiss(name, tmp_path):
    """Runs the script with `import faiss` (the real one) and returns its numpy arrays."""
    source = (SCRIPTS / f"{name}.py").read_text()
    assert IMPORT_LINE in source
    script = tmp_path / f"{name}_faiss.py"
    script.write_text(source.replace(IMPORT_LINE, "import faiss"))
    out = tmp_path / f"{name}.npz"
    driver = ("import runpy, sys, numpy as np; g = runpy.run_path(sys.argv[1]); "
              "np.savez(sys.argv[2], **{k: v for k, v in g.items() if isinstance(v, np.ndarray)})")
    env = dict(os.environ, PYTHONPATH=FAISS_PATH)
    subprocess.run([sys.executable, "-c", driver, str(script), str(out)], check=True, env=env,
                   capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.mark.skipif(not os.path.isdir(os.path.join(FAISS_PATH, "faiss")),
                    reason=f"FAISS is not installed at {FAISS_PATH}")
@pytest.mark.parametrize("name", ["getting_started", "faster_search", "lower_memory",
                                  "special_operations"])
def test_same_answers_as_faiss(name, tmp_path):
    theirs = run_with_faiss(name, tmp_path)
    ours = run_script(name)
    if name == "getting_started":
        assert np.array_equal(ours["I"], theirs["I"])
        np.testing.assert_allclose(ours["D"], theirs["D"], rtol=1e-4, atol=1e-3)
    elif name == "faster_search":
        # Different k-means, same exact scoring of what each finds: recall within 5 points.
        _, I_ref = exact(ours["xb"], ours["xq"], 4)
        assert abs(recall(ours["I"], I_ref) - recall(theirs["I"], I_ref)) < 0.05
    elif name == "lower_memory":
        _, I_ref = exact(ours["xb"], ours["xq"], 4)
        assert recall(ours["I"], I_ref) >= recall(theirs["I"], I_ref) - 0.1
    else:
        lims = ours["lims"]
        assert np.array_equal(lims, theirs["lims"])
        for q in range(len(lims) - 1):
            assert set(ours["I_range"][lims[q]:lims[q + 1]]) == set(theirs["I_range"][lims[q]:lims[q + 1]])
        for name_ in ("I_sel", "I_batch", "I_cos"):
            assert np.array_equal(ours[name_], theirs[name_]), name_
        # FAISS's IndexFlat renumbers the vectors after a removal; vqsearch keeps their ids.
        # (The script removes the batch first, so both remove the same vectors. FAISS ranks by
        # float32 sgemm, vqsearch re-scores in double: near ties may differ.)
        kept = np.setdiff1d(np.arange(len(ours["xb"])), np.r_[np.arange(100), [200, 300, 400]])
        assert recall(ours["I_removed"], kept[theirs["I_removed"]]) >= 0.99
        assert np.array_equal(theirs["recons"], ours["xb"][kept[1234]])  # renumbered there too
