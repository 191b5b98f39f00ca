"""Thread counts that respect the host: the default follows set_num_threads and
VQSEARCH_NUM_THREADS, "all cores" is the affinity mask (checked under taskset), and a
search leaves the caller's OpenBLAS thread count as it was."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import vqsearch

PROBE = "import vqsearch; print(vqsearch.available_cpus(), vqsearch.get_num_threads())"


def run_probe(prefix=(), env=None):
    child_env = dict(os.environ)
    child_env.update(env or {})
    out = subprocess.run(list(prefix) + [sys.executable, "-c", PROBE], env=child_env,
                         capture_output=True, text=True, check=True)
    return [int(value) for value in out.stdout.split()]


def test_set_num_threads_sets_the_default_and_zero_restores_it():
    automatic = vqsearch.get_num_threads()
    assert 1 <= automatic <= len(os.sched_getaffinity(0))
    vqsearch.set_num_threads(3)
    try:
        assert vqsearch.get_num_threads() == 3
        with pytest.raises(ValueError, match="num_threads must be >= 0"):
            vqsearch.set_num_threads(-2)
    finally:
        vqsearch.set_num_threads(0)
    assert vqsearch.get_num_threads() == automatic


@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset")
def test_a_process_pinned_to_one_cpu_counts_one():
    cpu = sorted(os.sched_getaffinity(0))[0]
    assert run_probe(["taskset", "-c", str(cpu)]) == [1, 1]


def test_the_environment_variable_sets_the_default():
    available, default = run_probe(env={"VQSEARCH_NUM_THREADS": "3"})
    assert default == 3 and available == vqsearch.available_cpus()
    # Anything but a positive integer is ignored.
    assert run_probe(env={"VQSEARCH_NUM_THREADS": "lots"})[1] == available


def test_search_leaves_the_callers_openblas_threads_alone():
    # numpy's OpenBLAS, when it is the same library instance as vqsearch's, sees the count.
    blas = None
    for candidate in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            import ctypes
            blas = ctypes.CDLL(candidate)
            break
        except OSError:
            continue
    if blas is None:
        pytest.skip("OpenBLAS not loadable")
    blas.openblas_set_num_threads(2)
    x = np.random.default_rng(0).random((500, 16), dtype=np.float32)
    index = vqsearch.Index("IVF8,Flat", 16)
    index.train(x)
    index.add(x)
    index.search(x[:50], 5, nprobe=2)
    assert blas.openblas_get_num_threads() == 2
    blas.openblas_set_num_threads(1)
