"""Searches from several Python threads at once give the serial results; a mutation
waits for running searches instead of racing them."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from conftest import K, SPECS, build


@pytest.mark.parametrize("spec", list(SPECS))
def test_parallel_searches_equal_serial_ones(spec, base, queries):
    index = build(spec, base)
    params = SPECS[spec]
    batches = [queries[i::4] for i in range(4)] * 4
    serial = [index.search(batch, K, **params) for batch in batches]
    start = threading.Barrier(8)

    def search(batch):
        start.wait()
        return index.search(batch, K, **params)

    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(search, batches))
    for (d1, i1), (d2, i2) in zip(serial, parallel):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(d1, d2)


def test_searches_run_in_parallel_while_adds_run_alone(base, queries):
    index = build("IVF32,Flat", base[:1000])
    sizes = []
    errors = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                _, ids = index.search(queries, K, nprobe=32)
                # Never an id beyond what was added by now, nor a half-added batch.
                size = index.ntotal
                assert ids.max() < size and (size - 1000) % 200 == 0
                sizes.append(size)
        except Exception as error:  # surfaced by the main thread below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(10):
        index.add(base[1000 + 200 * i: 1200 + 200 * i])
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert index.ntotal == 3000 and sizes
