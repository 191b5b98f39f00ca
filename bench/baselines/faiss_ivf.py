#!/usr/bin/python3
"""Recall/QPS of FAISS index_factory specs, the baseline vqsearch's IVF indexes answer to.

For each spec: trains and adds the train set (--build_threads threads), then searches the
whole test set in one batched call per point of a parameter grid on --threads threads
(default one), and writes one row per point in vqsearch_runner's columns, the spec column
reading "faiss:SPEC", so bench/ann/plot.py overlays them on the runner's.

    PYTHONPATH=/opt/faiss-avx2 /usr/bin/python3 bench/baselines/faiss_ivf.py \\
        --dataset=data/fashion-mnist-784-euclidean.hdf5 \\
        --specs="IVF256,Flat;IVF1024,Flat" --params="nprobe=1,2,4,8" --out=faiss.csv

Grid parameters: nprobe (lists probed; ignored by specs without an IVF stage), k_factor
(the candidates an ",RFlat" or ",Refine(...)" spec re-ranks, as a multiple of k; ignored
by specs without a refine stage), num_threads (OpenMP and BLAS threads of that point's
searches, overriding --threads, as in vqsearch_runner's grid), or any name FAISS's
ParameterSpace knows (e.g. quantizer_efSearch).
"""

import argparse
import sys
import time

import common


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="ann-benchmarks HDF5 file")
    parser.add_argument("--specs", default="IVF256,Flat;IVF1024,Flat",
                        help="FAISS index_factory specs separated by ';' (specs hold commas)")
    parser.add_argument("--params", default="nprobe=1,2,4,8,16,32,64",
                        help="search grid, ';' between parameters, ',' between values")
    parser.add_argument("--k", type=int, default=10, help="neighbours per query (recall@k)")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed batched searches per point; best and median QPS reported")
    parser.add_argument("--threads", type=int, default=1,
                        help="OpenMP (and BLAS) threads of each timed search")
    parser.add_argument("--build_threads", type=int, default=2,
                        help="threads for train and add")
    parser.add_argument("--max_queries", type=int, default=0,
                        help="search only the first N queries (0 = all)")
    parser.add_argument("--skip_unknown_specs", action="store_true",
                        help="leave out, with a note, specs this FAISS release cannot build "
                             "(e.g. IVF-RaBitQ before 1.11) instead of failing")
    parser.add_argument("--out", default="faiss-ivf.csv",
                        help="result file: CSV, or JSON when it ends in .json; empty = none")
    args = parser.parse_args()
    if (args.k < 1 or args.runs < 1 or args.threads < 1 or args.build_threads < 1
            or args.max_queries < 0):
        parser.error("--k, --runs, --threads and --build_threads must be >= 1, "
                     "--max_queries >= 0")
    args.specs = [s.strip() for s in args.specs.split(";") if s.strip()]
    if not args.specs:
        parser.error("--specs names no index spec")
    try:
        args.grid = common.parse_param_grid(args.params)
    except ValueError as error:
        parser.error(f"--params: {error}")
    return args


def refine_stage(faiss, index):
    """The IndexRefine an ",RFlat" / ",Refine(...)" spec puts outermost, or None."""
    index = faiss.downcast_index(index)
    return index if isinstance(index, faiss.IndexRefine) else None


def ivf_stage(faiss, index):
    """The IndexIVF inside index, or None (try_extract_index_ivf misses one under a refine)."""
    refine = refine_stage(faiss, index)
    return faiss.try_extract_index_ivf(refine.base_index if refine else index)


def set_threads(faiss, num_threads):
    """Sets FAISS's OpenMP threads and the BLAS threads its matrix products use."""
    faiss.omp_set_num_threads(num_threads)
    common.set_blas_threads(num_threads)


def set_parameter(faiss, index, name, value):
    # nprobe and k_factor are set on the objects themselves: ParameterSpace calls the
    # refine factor "k_factor_rf" and keeps "k_factor" for IndexIVFPQR, a trap in a grid.
    if name == "num_threads":
        set_threads(faiss, value)
    elif name == "nprobe":
        ivf_stage(faiss, index).nprobe = value
    elif name == "k_factor":
        refine_stage(faiss, index).k_factor = value
    else:
        faiss.ParameterSpace().set_index_parameter(index, name, value)


def points_for(faiss, index, grid):
    """The grid points that differ on this index: nprobe is dropped where there is no IVF
    stage (a "Flat" reference beside IVF specs), k_factor where there is no refine stage."""
    missing = set()
    if ivf_stage(faiss, index) is None:
        missing.add("nprobe")
    if refine_stage(faiss, index) is None:
        missing.add("k_factor")
    points, labels = [], set()
    for point in grid:
        point = [(n, v) for n, v in point if n not in missing]
        label = common.param_label(point)
        if label not in labels:
            labels.add(label)
            points.append(point)
    return points


def benchmark_spec(faiss, spec, dataset, train, test, args, context):
    """Builds one index and measures every grid point on it; returns the rows."""
    index = faiss.index_factory(dataset.dim, spec)  # L2; angular data arrive normalized
    set_threads(faiss, args.build_threads)
    # Process CPU seconds of train + add beside their wall seconds: on a shared machine the
    # ratio says whether a one-thread build had its core.
    cpu_start = time.process_time()
    train_s = 0.0
    if not index.is_trained:
        start = time.perf_counter()
        index.train(train)
        train_s = time.perf_counter() - start
    start = time.perf_counter()
    index.add(train)
    add_s = time.perf_counter() - start
    cpu_s = time.process_time() - cpu_start
    # The serialized index (codes, ids, centroids, codebooks, headers) over the vectors it
    # holds: the simplest honest bytes per vector, counting what FAISS would have to keep,
    # e.g. for IVF,Flat the 4 * dim bytes of code plus an 8-byte id, plus centroids / ntotal.
    bytes_per_vector = len(faiss.serialize_index(index)) / index.ntotal
    print(f"  built in {train_s + add_s:.2f} s (train {train_s:.2f} s, add {add_s:.2f} s; "
          f"{cpu_s:.2f} CPU-s), "
          f"{bytes_per_vector:.1f} bytes/vector", file=sys.stderr)

    set_threads(faiss, args.threads)
    points = points_for(faiss, index, args.grid)
    # The first searches pay one-time costs (thread start, first touch of buffers) that
    # say nothing about the index; an untimed search of a few queries absorbs them.
    for name, value in points[0]:
        set_parameter(faiss, index, name, value)
    index.search(test[:100], args.k)

    rows = []
    for point in points:
        threads = dict(point).get("num_threads", args.threads)
        set_threads(faiss, threads)
        for name, value in point:
            set_parameter(faiss, index, name, value)
        ids, qps_best, qps_median, cpu_per_wall = common.time_searches(
            lambda: index.search(test, args.k)[1], len(test), args.runs)
        recall = common.ann_recall(dataset, ids, args.k)
        label = common.param_label(point)
        print(f"  {label or 'defaults'}: recall@{args.k} {recall:.4f}, QPS best {qps_best:.1f}, "
              f"median {qps_median:.1f}, CPU/wall {cpu_per_wall:.2f}", file=sys.stderr)
        rows.append(common.make_row(context, f"faiss:{spec}", label, threads, train_s, add_s,
                                    bytes_per_vector, recall, qps_best, qps_median, cpu_per_wall))
    return rows


def main():
    args = parse_args()
    faiss = common.import_faiss()
    if args.out:
        common.check_writable(args.out)
    dataset = common.load_dataset(args.dataset, args.max_queries)
    buildable = []
    for spec in args.specs:  # every spec is checked before the first, possibly long, build
        try:
            faiss.index_factory(dataset.dim, spec)
            buildable.append(spec)
        except RuntimeError as error:
            if not args.skip_unknown_specs:
                common.fail(f"--specs: FAISS cannot build \"{spec}\": {error}")
            print(f"faiss_ivf.py: FAISS {faiss.__version__} cannot build \"{spec}\"; left out",
                  file=sys.stderr)
    args.specs = buildable
    train, test = dataset.train, dataset.test
    if dataset.distance == "angular":
        # Cosine ranking is L2 ranking of unit vectors; recall still uses the originals.
        train, test = train.copy(), test.copy()
        faiss.normalize_L2(train)
        faiss.normalize_L2(test)
    context = common.run_context(dataset, args.k, args.runs)
    print(common.machine_info())
    print(f"faiss {faiss.__version__} ({faiss.get_compile_options()}); {dataset.name}: "
          f"{len(train)} train, {len(test)} queries, dim {dataset.dim}, {dataset.distance}; "
          f"k={args.k}, search threads={args.threads}, build threads={args.build_threads}, "
          f"best of {args.runs} runs")

    rows, status = [], 0
    for number, spec in enumerate(args.specs, 1):
        print(f"[{number}/{len(args.specs)}] faiss:{spec}", file=sys.stderr)
        try:
            rows += benchmark_spec(faiss, spec, dataset, train, test, args, context)
        except RuntimeError as error:
            print(f"faiss_ivf.py: spec \"{spec}\": {error}", file=sys.stderr)
            status = 1
            break
    if rows:
        print()
        common.print_table(rows, args.k)
        if args.out:  # points measured before a failure are written too: they cost time
            common.write_results(args.out, rows)
            print(f"wrote {len(rows)} points to {args.out}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
