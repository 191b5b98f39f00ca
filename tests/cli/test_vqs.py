"""The vqs binary: the README's "Command line" commands as written, --help, exit codes
and messages for bad flags and bad files, and what each command writes, checked against
the Python package (the same library) and numpy brute force."""

import csv
import json
import os
import pty
import re
import shutil
import subprocess

import numpy as np
import pytest
import vqsearch

VQS = os.environ["VQS_BINARY"]


def run(*args, cwd=None, stderr=subprocess.PIPE):
    return subprocess.run([VQS, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=stderr,
                          text=True, timeout=300)


def clustered(n, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    centers = 3 * rng.normal(size=(32, dim))
    return (centers[rng.integers(0, 32, n)] + rng.normal(size=(n, dim))).astype(np.float32)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A directory with 3000 vectors, 200 held-out queries and an IVF index over them."""
    path = tmp_path_factory.mktemp("vqs")
    x = clustered(3200)
    np.save(path / "base.npy", x[:3000])
    np.save(path / "queries.npy", x[3000:])
    done = run("build", "--spec=IVF32,PQ8,Refine(Flat)", "--data=base.npy", "--out=index.vqs",
               "--threads=1", "--quiet", cwd=path)
    assert done.returncode == 0, done.stderr
    return path


def brute_force(base, queries, k):
    d = (queries ** 2).sum(1)[:, None] - 2 * queries @ base.T + (base ** 2).sum(1)[None, :]
    return np.argsort(d, axis=1)[:, :k]


def readme_commands():
    text = open(os.environ["VQS_README"], encoding="utf-8").read()
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def test_readme_commands_run_as_written(tmp_path):
    blocks = readme_commands()
    assert len(blocks) == 6
    env = dict(os.environ, PATH=os.path.dirname(VQS) + os.pathsep + os.environ["PATH"])
    outputs = []
    for block in blocks:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=600)
        assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    index = vqsearch.load(str(tmp_path / "vectors.vqs"))
    assert index.ntotal == 20000 and index.spec == "IVF128,PQ16x4fs,Refine(Flat)"
    assert "inverted lists  128:" in outputs[2]
    with open(tmp_path / "results.csv") as f:
        assert sum(1 for _ in csv.DictReader(f)) == 1000 * 10
    assert re.search(r"^best: nprobe=\d+,refine_factor=\d+, recall@10 0\.9[5-9]", outputs[4], re.M)
    assert f"plot: bench.png" in outputs[5]
    assert (tmp_path / "bench.png").stat().st_size > 10000
    with open(tmp_path / "bench.csv") as f:
        assert len(list(csv.DictReader(f))) == 2 * 3 * 2


def test_help_lists_commands_and_every_flag_with_its_default():
    top = run("--help")
    assert top.returncode == 0
    for command in ("build", "search", "info", "tune", "bench"):
        assert re.search(rf"^  {command} ", top.stdout, re.M)
        helped = run(command, "--help")
        assert helped.returncode == 0, helped.stderr
        flags = re.findall(r"^  --(\w+) \(default: (.*)\)$", helped.stdout, re.M)
        assert len(flags) >= 2
        # Each listed flag has its meaning on the next line.
        for name, _ in flags:
            assert re.search(rf"^  --{name} \(default: .*\)\n      \S", helped.stdout, re.M)
    assert ("k", "10") in re.findall(r"^  --(\w+) \(default: (.*)\)$", run("search", "--help").stdout, re.M)
    assert ("target_recall", "0.95") in re.findall(r"^  --(\w+) \(default: (.*)\)$",
                                                   run("tune", "--help").stdout, re.M)
    assert run().returncode == 2


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "unknown command \"frobnicate\""),
    (["build", "--spek=Flat"], "unknown flag --spek"),
    (["search", "--spec=Flat"], "--spec does not apply to vqs search"),
    (["search", "--index=index.vqs", "--queries=queries.npy", "--k=ten", "--out=r.csv"], "--k=ten"),
    (["search", "--k"], "--k needs a value"),
    (["build", "--data=base.npy", "--out=x.vqs"], "--spec is required"),
    (["build", "--spec=IVF8,Nope", "--data=base.npy", "--out=x.vqs"], "--spec"),
    (["build", "--spec=Flat", "--data=base.npy", "--out=x.vqs", "--metric=manhattan"], "--metric"),
    (["build", "--spec=Flat", "--data=base.txt", "--out=x.vqs"], "expected a .hdf5"),
    (["search", "--index=index.vqs", "--queries=queries.npy", "--out=r.txt"], "expected a .csv"),
    (["search", "--index=index.vqs", "--queries=queries.npy", "--out=r.csv", "--k=0"], "--k must be"),
    (["search", "--index=index.vqs", "--queries=queries.npy", "--out=r.csv", "--nprobe=-3"], "--nprobe"),
    (["tune", "--index=index.vqs", "--queries=queries.npy", "--data=base.npy",
      "--target_recall=1.5"], "--target_recall must be in (0, 1]"),
    (["tune", "--index=index.vqs", "--queries=queries.npy"], "no exact neighbours"),
    (["info"], "no index file"),
    (["info", "index.vqs", "other.vqs"], "unexpected argument \"other.vqs\""),
    (["bench", "--specs=Flat"], "--dataset is required"),
    (["bench", "--dataset=x.hdf5", "--params=nprobe=a"], "not an integer"),
])
def test_bad_flags_exit_2_with_a_message(work, args, message):
    done = run(*args, cwd=work)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert done.stdout == ""


def test_flag_an_index_does_not_take_is_a_usage_error(work):
    flat = run("build", "--spec=Flat", "--data=base.npy", "--out=flat.vqs", "--quiet", cwd=work)
    assert flat.returncode == 0
    done = run("search", "--index=flat.vqs", "--queries=queries.npy", "--out=r.csv", "--nprobe=4",
               cwd=work)
    assert done.returncode == 2
    assert "--nprobe does not apply to index \"Flat\"" in done.stderr


def test_bad_files_exit_1_naming_the_problem(work):
    (work / "broken.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'}  \n")
    (work / "text.vqs").write_text("not an index\n")
    original = (work / "index.vqs").read_bytes()
    (work / "cut.vqs").write_bytes(original[: len(original) // 2])
    cases = [
        (["build", "--spec=Flat", "--data=missing.npy", "--out=x.vqs"], "--data"),
        (["build", "--spec=Flat", "--data=broken.npy", "--out=x.vqs"], "not a valid .npy file"),
        (["search", "--index=text.vqs", "--queries=queries.npy", "--out=r.csv"],
         "not a valid vqsearch index file"),
        (["info", "cut.vqs"], "cut.vqs"),
        (["search", "--index=missing.vqs", "--queries=queries.npy", "--out=r.csv"], "missing.vqs"),
        (["search", "--index=index.vqs", "--queries=broken.npy", "--out=r.csv"], "--queries"),
        (["build", "--spec=Flat", "--data=base.npy", "--out=/nonexistent/dir/x.vqs"], "--out"),
    ]
    for args, message in cases:
        done = run(*args, cwd=work)
        assert done.returncode == 1, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
    # Dimension mismatch between index and queries is a runtime error too.
    np.save(work / "wide.npy", clustered(5, dim=8))
    done = run("search", "--index=index.vqs", "--queries=wide.npy", "--out=r.csv", cwd=work)
    assert done.returncode == 1 and "dimension" in done.stderr


def test_search_outputs_match_the_library(work):
    queries = np.load(work / "queries.npy")
    expected_d, expected_i = vqsearch.load(str(work / "index.vqs")).search(
        queries, 7, nprobe=4, refine_factor=3, num_threads=1)
    for out in ("r.csv", "r.hdf5", "r.ivecs"):
        done = run("search", "--index=index.vqs", "--queries=queries.npy", "--k=7", "--nprobe=4",
                   "--refine_factor=3", "--threads=1", f"--out={out}", cwd=work)
        assert done.returncode == 0, done.stderr
        if out.endswith(".csv"):
            with open(work / out) as f:
                rows = list(csv.DictReader(f))
            ids = np.array([int(r["id"]) for r in rows]).reshape(-1, 7)
            distances = np.array([float(r["distance"]) for r in rows]).reshape(-1, 7)
        elif out.endswith(".hdf5"):
            import h5py
            with h5py.File(work / out, "r") as f:
                ids, distances = f["neighbors"][:], f["distances"][:]
        else:
            ids = vqsearch.read_ivecs(str(work / out))
            distances = vqsearch.read_fvecs(str(work / "r.fvecs"))
        np.testing.assert_array_equal(ids, expected_i)
        np.testing.assert_allclose(distances, expected_d, rtol=1e-6)


def test_build_reads_every_format_the_same(work):
    x = np.load(work / "base.npy")
    vqsearch.write_fvecs(str(work / "base.fvecs"), x)
    np.save(work / "base64.npy", x.astype(np.float64))
    small = np.round(np.clip(x * 10 + 128, 0, 255))
    vqsearch.write_bvecs(str(work / "small.bvecs"), small)
    np.save(work / "small.npy", small.astype(np.uint8))
    results = {}
    for name in ("base.npy", "base.fvecs", "base64.npy", "small.bvecs", "small.npy"):
        done = run("build", "--spec=Flat", f"--data={name}", f"--out={name}.vqs", "--quiet", cwd=work)
        assert done.returncode == 0, done.stderr
        index = vqsearch.load(str(work / f"{name}.vqs"))
        results[name] = index.search(x[:20] if "base" in name else small[:20], 5)[1]
    np.testing.assert_array_equal(results["base.npy"], results["base.fvecs"])
    np.testing.assert_array_equal(results["base.npy"], results["base64.npy"])
    np.testing.assert_array_equal(results["small.bvecs"], results["small.npy"])
    np.testing.assert_array_equal(results["base.npy"][:, 0], np.arange(20))


def test_info_describes_the_file(work):
    done = run("info", "index.vqs", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    index = vqsearch.load(str(work / "index.vqs"))
    assert (info["spec"], info["dim"], info["ntotal"], info["metric"]) == (index.spec, 16, 3000, "l2")
    assert info["memory_bytes"] == index.memory_usage
    assert info["file_bytes"] == os.path.getsize(work / "index.vqs")
    assert info["format_version"] >= 1
    assert info["lists"]["nlist"] == 32
    assert info["lists"]["min"] <= info["lists"]["median"] <= info["lists"]["max"]
    assert info["lists"]["imbalance"] >= 1
    parts = info["bytes_per_vector"]
    # The parts add up to the file; PQ8 codes are 8 bytes, Refine(Flat) keeps 16 floats.
    assert sum(parts[p] for p in ("codes", "ids", "refine", "codebooks", "other")) == pytest.approx(parts["file"])
    assert parts["codes"] == pytest.approx(8)
    assert parts["refine"] == pytest.approx(64)
    assert info["search_params"] == ["nprobe", "refine_factor"]
    text = run("info", "--index=index.vqs", cwd=work)
    assert text.returncode == 0 and "inverted lists  32:" in text.stdout


def test_tune_chooses_a_point_that_reaches_the_target(work):
    done = run("tune", "--index=index.vqs", "--queries=queries.npy", "--data=base.npy", "--k=10",
               "--target_recall=0.9", "--threads=1", "--runs=1", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["target_reached"] and result["best"]["recall"] >= 0.9
    base, queries = np.load(work / "base.npy"), np.load(work / "queries.npy")
    truth = brute_force(base, queries, 10)
    _, ids = vqsearch.load(str(work / "index.vqs")).search(queries, 10, **result["best"]["params"])
    measured = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids, truth)])
    assert measured == pytest.approx(result["best"]["recall"])
    assert len(result["explored"]) < 40
    # Exact neighbours as .ivecs give the same recall for every point.
    vqsearch.write_ivecs(str(work / "truth.ivecs"), truth.astype(np.int32))
    again = run("tune", "--index=index.vqs", "--queries=queries.npy", "--ground_truth=truth.ivecs",
                "--target_recall=0.9", "--threads=1", "--runs=1", "--json", cwd=work)
    assert again.returncode == 0, again.stderr
    by_params = {json.dumps(p["params"]): p["recall"] for p in result["explored"]}
    for point in json.loads(again.stdout)["explored"]:
        key = json.dumps(point["params"])
        if key in by_params:
            assert point["recall"] == pytest.approx(by_params[key])
    unreachable = run("tune", "--index=index.vqs", "--queries=queries.npy", "--data=base.npy",
                      "--target_recall=1", "--max_refine_factor=1", "--threads=1", "--runs=1",
                      cwd=work)
    assert unreachable.returncode == 1
    assert "out of reach" in unreachable.stderr and "highest recall" in unreachable.stdout


def test_build_progress_is_one_line_per_stage_off_a_terminal(work):
    done = run("build", "--spec=IVF32,PQ8", "--data=base.npy", "--out=p.vqs", "--threads=1", cwd=work)
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    for stage in ("kmeans", "pq", "add"):
        assert sum(line.strip().startswith(stage + " ") for line in lines) == 1, done.stderr
    assert "\r" not in done.stderr


def test_build_progress_draws_a_bar_on_a_terminal(work):
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run([VQS, "build", "--spec=IVF32,PQ8", "--data=base.npy", "--out=t.vqs",
                               "--threads=1"], cwd=work, stdout=subprocess.PIPE, stderr=secondary,
                              timeout=300)
        os.close(secondary)
        secondary = None
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if secondary is not None:
            os.close(secondary)
        os.close(primary)
    assert done.returncode == 0
    output = b"".join(chunks).decode()
    assert "\r" in output and "[" in output and "100%" in output
