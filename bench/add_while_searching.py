"""How long searches wait for a concurrent Add (include/vqsearch/index.h, "Thread safety").

Builds an IVF index on synthetic gaussian data, then one thread searches one query per
call for --seconds while, in a second phase, another thread adds batches of --batch
vectors back to back. Prints a Markdown row per phase: single-query latency p50 / p99 /
max and QPS of the searcher, and the adder's time per batch (the longest a search can
wait for it). Each Add holds the index's lock for its whole call.

  PYTHONPATH=build/python /usr/bin/python3 bench/add_while_searching.py --batch=1000
"""

import argparse
import threading
import time

import numpy as np
import vqsearch


def search_loop(index, queries, nprobe, seconds, latencies):
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        start = time.perf_counter()
        index.search(queries[i % len(queries)], 10, nprobe=nprobe, num_threads=1)
        latencies.append(time.perf_counter() - start)
        i += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="IVF1024,PQ32x4fs")
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--nprobe", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    base = rng.standard_normal((args.rows, args.dim), dtype=np.float32)
    extra = rng.standard_normal((200000, args.dim), dtype=np.float32)
    queries = rng.standard_normal((1000, args.dim), dtype=np.float32)
    index = vqsearch.Index(args.spec, args.dim)
    index.train(base[:50000])
    index.add(base)

    print(f"| {args.spec}, {args.rows} x {args.dim}, nprobe {args.nprobe} | searches | "
          "latency p50 / p99 / max (ms) | QPS | adds: batches, ms per batch |")
    print("|---|---|---|---|---|")
    for adding in (False, True):
        latencies, batch_times = [], []
        stop = threading.Event()

        def add_loop():
            begin = 0
            while not stop.is_set() and begin + args.batch <= len(extra):
                start = time.perf_counter()
                index.add(extra[begin:begin + args.batch], num_threads=1)
                batch_times.append(time.perf_counter() - start)
                begin += args.batch

        adder = threading.Thread(target=add_loop) if adding else None
        if adder:
            adder.start()
        search_loop(index, queries, args.nprobe, args.seconds, latencies)
        stop.set()
        if adder:
            adder.join()
        ms = np.array(latencies) * 1000
        adds = (f"{len(batch_times)} of {args.batch}, {np.median(batch_times) * 1000:.1f}"
                if batch_times else "none")
        print(f"| {'with' if adding else 'without'} a concurrent adder | {len(ms)} | "
              f"{np.percentile(ms, 50):.2f} / {np.percentile(ms, 99):.2f} / {ms.max():.1f} | "
              f"{len(ms) / args.seconds:.0f} | {adds} |", flush=True)


if __name__ == "__main__":
    main()
