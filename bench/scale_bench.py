"""Ten million vectors in one IVF-PQ index: peak memory, add throughput, search QPS.

Generates a seeded synthetic set of clustered 128-d vectors in chunks: a mixture of
Gaussians whose centres and spreads vary (so lists come out unequal, as on real
descriptors), each spread mostly along its own 8-d subspace plus a little isotropic
noise (real descriptors have a low intrinsic dimension; isotropic 128-d noise would make
every neighbour nearly equidistant and recall@10 meaningless), so that the process never holds the whole set: what the peak resident set size
measures is the index plus one chunk, as for a user who streams a large collection from
disk. Trains on the first --train rows, adds every chunk with its own ids, then searches
--queries held-out vectors (exact top-10 from a chunked numpy scan over the same
chunks, regenerated from the seed) at a few nprobe values.

  PYTHONPATH=build/python /usr/bin/python3 bench/scale_bench.py --rows=10000000

Prints one Markdown table of the search points after the build figures. Progress goes to
stderr and --quiet silences it.
"""

import argparse
import resource
import sys
import time

import numpy as np

import vqsearch

DIM = 128
CENTRES = 2000
SUBSPACE = 8
ISOTROPIC = 0.01


def mixture(seed):
    """The mixture's centres, per-centre spreads and subspace bases, fixed by the seed."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.0, (CENTRES, DIM)).astype(np.float32)
    spreads = rng.uniform(0.15, 0.6, CENTRES).astype(np.float32)
    bases = np.linalg.qr(rng.normal(size=(CENTRES, DIM, SUBSPACE)))[0]
    return centres, spreads, bases.transpose(0, 2, 1).astype(np.float32)


def chunk(seed, index, rows, model):
    """Rows of chunk `index`: each chunk has its own generator so any chunk can be
    regenerated alone (for the ground-truth pass) without replaying the others."""
    centres, spreads, bases = model
    rng = np.random.default_rng([seed, index])
    which = rng.integers(0, CENTRES, rows)
    x = rng.standard_normal((rows, DIM), dtype=np.float32) * ISOTROPIC
    x += centres[which]
    z = rng.standard_normal((rows, SUBSPACE), dtype=np.float32) * spreads[which, None]
    for c in np.unique(which):
        members = np.flatnonzero(which == c)
        x[members] += z[members] @ bases[c]
    return x


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def exact_top_k(queries, seed, rows, chunk_rows, model, k, say):
    """Exact L2 top-k of the queries over all rows, one chunk at a time."""
    q_norms = (queries * queries).sum(1)
    best_d = np.full((len(queries), k), np.inf, np.float32)
    best_i = np.full((len(queries), k), -1, np.int64)
    # Distance tiles of at most ~64 MiB: queries x a slice of the chunk's rows.
    slice_rows = max(1, (16 << 20) // len(queries))
    for c, start in enumerate(range(0, rows, chunk_rows)):
        x = chunk(seed, c, min(chunk_rows, rows - start), model)
        x_norms = (x * x).sum(1)
        for first in range(0, len(x), slice_rows):
            end = min(len(x), first + slice_rows)
            d = queries @ x[first:end].T
            d *= -2.0
            d += q_norms[:, None]
            d += x_norms[None, first:end]
            part = np.argpartition(d, min(k, end - first - 1), axis=1)[:, :k]
            cand_d = np.concatenate([best_d, np.take_along_axis(d, part, 1)], 1)
            cand_i = np.concatenate([best_i, part + start + first], 1)
            order = np.argsort(cand_d, axis=1)[:, :k]
            best_d = np.take_along_axis(cand_d, order, 1)
            best_i = np.take_along_axis(cand_i, order, 1)
        say(f"ground truth: {start + len(x)}/{rows}")
    return best_i


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--spec", default="IVF4096,PQ64x4fs")
    parser.add_argument("--train", type=int, default=200_000, help="training rows")
    parser.add_argument("--chunk", type=int, default=500_000, help="rows per add call")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--nprobe", default="8,16,32,64")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads for train and add (0 = all available)")
    parser.add_argument("--search_threads", type=int, default=1,
                        help="threads per search call (QPS per core by default)")
    parser.add_argument("--runs", type=int, default=3, help="timed searches per point; best kept")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args()

    def say(message):
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    model = mixture(args.seed)
    rss_start = peak_rss_mib()
    index = vqsearch.Index(args.spec, DIM)
    train = chunk(args.seed, 0, min(args.train, args.chunk), model)
    start = time.perf_counter()
    index.train(train, num_threads=args.threads, verbose=not args.quiet)
    train_seconds = time.perf_counter() - start
    del train

    add_seconds = add_cpu = 0.0
    for c, first in enumerate(range(0, args.rows, args.chunk)):
        x = chunk(args.seed, c, min(args.chunk, args.rows - first), model)
        ids = np.arange(first, first + len(x), dtype=np.int64)
        start, start_cpu = time.perf_counter(), time.process_time()
        index.add(x, ids, num_threads=args.threads)
        add_seconds += time.perf_counter() - start
        add_cpu += time.process_time() - start_cpu
        say(f"added {first + len(x)}/{args.rows} ({(first + len(x)) / add_seconds:,.0f} vectors/s)")
    del x, ids
    built_peak = peak_rss_mib()

    queries = chunk(args.seed + 1, 0, args.queries, model)
    truth = exact_top_k(queries, args.seed, args.rows, args.chunk, model, 10, say)

    mib = 1 << 20
    print(f"spec {args.spec}, {args.rows:,} x {DIM} synthetic vectors, build threads "
          f"{args.threads or vqsearch.get_num_threads()}, search threads {args.search_threads}, "
          f"best of {args.runs} runs of {args.queries} queries, ISA {vqsearch.active_isa()}")
    print(f"train ({min(args.train, args.chunk):,} rows): {train_seconds:.1f} s; "
          f"add: {add_seconds:.1f} s = {args.rows / add_seconds:,.0f} vectors/s "
          f"({add_cpu:.1f} CPU-s, {args.rows / add_cpu:,.0f} vectors per CPU-second)")
    print(f"memory_usage {index.memory_usage / mib:,.1f} MiB "
          f"({index.memory_usage / args.rows:.1f} bytes/vector); peak RSS "
          f"{built_peak:,.1f} MiB (at start {rss_start:,.1f} MiB, one chunk of input "
          f"{args.chunk * DIM * 4 / mib:,.1f} MiB)")
    print()
    print("| nprobe | recall@10 | QPS | ms/query | CPU-s / wall-s |")
    print("|---:|---:|---:|---:|---:|")
    for nprobe in (int(p) for p in args.nprobe.split(",")):
        seconds = cpu = float("inf")
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            _, found = index.search(queries, 10, nprobe=nprobe, num_threads=args.search_threads)
            if time.perf_counter() - start < seconds:
                seconds = time.perf_counter() - start
                cpu = time.process_time() - start_cpu
        hits = sum(len(np.intersect1d(found[i], truth[i])) for i in range(len(queries)))
        print(f"| {nprobe} | {hits / truth.size:.3f} | {len(queries) / seconds:,.0f} "
              f"| {1000 * seconds / len(queries):.2f} | {cpu / seconds:.2f} |", flush=True)
    print(f"peak RSS at the end {peak_rss_mib():,.1f} MiB")


if __name__ == "__main__":
    main()
