#!/usr/bin/python3
"""Count-based word vectors (PPMI + truncated SVD) from English text in Debian packages.

Reads the corpus below in a fixed order, keeps the words seen at least --min_count times,
counts how often two of them appear within --window words of each other (weighted 1 /
distance, as GloVe does), turns the counts into positive pointwise mutual information
with the context distribution smoothed by the power 0.75 (Levy, Goldberg and Dagan 2015),
and factorizes that matrix by a seeded randomized SVD. A word's vector is its row of
U * sqrt(S), unnormalized: frequent and rare words keep their different lengths, as in
GloVe. For each --dims value D, the first D components make one ann-benchmarks file
(distance "angular"): --queries words drawn at random (seeded) are the test set, the
others the train set. Ground truth is added afterwards by vqsearch_ground_truth.

    word_vectors.py --dims=100,384 OUT100.hdf5 OUT384.hdf5

Every step is deterministic for given package contents: sorted file lists, ties in word
counts broken by the word, numpy's seeded generator, and OpenBLAS held at a fixed thread
count by the calling script. Run with Debian's /usr/bin/python3 (numpy, scipy, h5py).
"""

import argparse
import collections
import glob
import gzip
import os
import re
import sys
import time

import h5py
import numpy as np
import scipy.sparse

# (package, files): the corpus, about 19 million words of English prose. Dictionary
# definitions give every word a few sentences of context; the manuals add technical words.
CORPUS = (
    ("dict-gcide", "/usr/share/dictd/gcide.dict.dz"),
    ("dict-wn", "/usr/share/dictd/wn.dict.dz"),
    ("dict-foldoc", "/usr/share/dictd/foldoc.dict.dz"),
    ("dict-jargon", "/usr/share/dictd/jargon.dict.dz"),
    ("dict-devil", "/usr/share/dictd/devil.dict.dz"),
    ("linux-doc-6.1", "/usr/share/doc/linux-doc-6.1/Documentation/**/*.gz"),
    ("python3.11-doc", "/usr/share/doc/python3.11/html/_sources/**/*.txt"),
    ("perl-doc", "/usr/share/perl/5.36/pod/*.pod"),
    ("fortunes", "/usr/share/games/fortunes/*"),
)

# GCIDE writes pronunciations as \Ab`di*ca"tion\ and cites sources as [1913 Webster]:
# markup, not words, and split on its punctuation it would flood the counts with syllables.
_MARKUP = re.compile(r"\\[^\\\n]*\\|\[[^\]\n]*\]")
_WORD = re.compile(r"[a-z]+")
# Context distribution smoothing: raising context counts to this power lifts rare contexts.
_CONTEXT_POWER = 0.75
_OVERSAMPLING = 16  # extra random directions of the randomized SVD
_POWER_ITERATIONS = 4


def corpus_files():
    """The corpus files in a fixed order; exits naming the package of a missing part."""
    files = []
    for package, pattern in CORPUS:
        # fortunes' directory also holds the .dat indexes and .u8 copies of each file.
        found = [f for f in sorted(glob.glob(pattern, recursive=True))
                 if os.path.isfile(f) and not f.endswith((".dat", ".u8"))]
        if not found:
            sys.exit(f"word_vectors.py: no file matches {pattern}: install the Debian "
                     f"package {package}")
        files += found
    return files


def read_tokens(files):
    """The lower-case words of every file, in order."""
    tokens = []
    for path in files:
        opener = gzip.open if path.endswith((".gz", ".dz")) else open  # dictzip is gzip
        with opener(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace").lower()
        tokens += _WORD.findall(_MARKUP.sub(" ", text))
    return tokens


def vocabulary(tokens, min_count):
    """Words seen at least min_count times, most frequent first (ties by the word)."""
    counts = collections.Counter(tokens)
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return words


def cooccurrences(ids, size, window):
    """The size x size matrix of co-occurrence counts, each pair weighted 1 / distance.

    Symmetric: a word w words after another counts for both orders."""
    counts = scipy.sparse.csr_matrix((size, size), dtype=np.float32)
    for distance in range(1, window + 1):
        weights = np.full(len(ids) - distance, 1.0 / distance, dtype=np.float32)
        pairs = scipy.sparse.coo_matrix((weights, (ids[:-distance], ids[distance:])),
            shape=(size, size)).tocsr()
        counts = counts + pairs + pairs.T
    return counts


def ppmi(counts):
    """max(0, log P(w, c) / (P(w) P_0.75(c))) of a co-occurrence matrix, as float32."""
    counts = counts.tocoo()
    rows = np.asarray(counts.sum(axis=1)).ravel()
    smoothed = np.asarray(counts.sum(axis=0)).ravel() ** _CONTEXT_POWER
    # P(w, c) / P(w) = counts / rows; the totals of the joint and of P(w) cancel.
    pmi = (np.log(counts.data) - np.log(rows[counts.row])
           - np.log(smoothed[counts.col] / smoothed.sum()))
    keep = pmi > 0
    return scipy.sparse.csr_matrix(
        (pmi[keep].astype(np.float32), (counts.row[keep], counts.col[keep])), shape=counts.shape)


def randomized_svd(matrix, rank, seed):
    """The top `rank` left singular vectors and values of a sparse matrix (Halko et al.).

    A seeded Gaussian sketch refined by a few power iterations, each re-orthonormalized."""
    rng = np.random.default_rng(seed)
    sketch = rng.standard_normal((matrix.shape[1], rank + _OVERSAMPLING), dtype=np.float32)
    basis, _ = np.linalg.qr(matrix @ sketch)
    for _ in range(_POWER_ITERATIONS):
        basis, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ basis)
    small = (matrix.T @ basis).T  # basis' * matrix, (rank + oversampling) x columns
    left, values, _ = np.linalg.svd(small.astype(np.float64), full_matrices=False)
    return (basis.astype(np.float64) @ left[:, :rank]), values[:rank]


def write_split(path, vectors, test_rows):
    """Writes vectors[test_rows] as `test`, the other rows as `train`, distance angular."""
    is_test = np.zeros(len(vectors), dtype=bool)
    is_test[test_rows] = True
    with h5py.File(path, "w") as f:
        f.create_dataset("train", data=np.ascontiguousarray(vectors[~is_test], dtype=np.float32))
        f.create_dataset("test", data=np.ascontiguousarray(vectors[test_rows], dtype=np.float32))
        f.attrs["distance"] = "angular"


def log(start, message):
    print(f"word_vectors.py: {time.perf_counter() - start:6.1f} s  {message}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", default="100,384", help="dimensions, one output file each")
    parser.add_argument("--min_count", type=int, default=5, help="least count of a kept word")
    parser.add_argument("--window", type=int, default=5, help="co-occurrence window, words")
    parser.add_argument("--queries", type=int, default=10000, help="words held out as queries")
    parser.add_argument("--seed", type=int, default=11, help="seed of the SVD and the split")
    parser.add_argument("out", nargs="+", help="one ann-benchmarks file per --dims value")
    args = parser.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    if len(dims) != len(args.out) or min(dims) < 1:
        parser.error("--dims needs one positive dimension per output file")
    if args.min_count < 1 or args.window < 1 or args.queries < 1:
        parser.error("--min_count, --window and --queries must be >= 1")

    start = time.perf_counter()
    tokens = read_tokens(corpus_files())
    words = vocabulary(tokens, args.min_count)
    index = {w: i for i, w in enumerate(words)}
    # Rare words are dropped before windowing, so windows reach past them (as word2vec's do).
    ids = np.fromiter((index[t] for t in tokens if t in index), dtype=np.int32)
    log(start, f"{len(tokens)} words, {len(ids)} of the {len(words)} kept (count >= "
        f"{args.min_count})")
    del tokens
    matrix = ppmi(cooccurrences(ids, len(words), args.window))
    log(start, f"PPMI matrix {matrix.shape[0]} x {matrix.shape[1]}, {matrix.nnz} non-zeros")
    left, values = randomized_svd(matrix, max(dims), args.seed)
    vectors = left * np.sqrt(values)
    log(start, f"SVD of rank {max(dims)}: singular values {values[0]:.1f} .. {values[-1]:.2f}")

    # A word whose first components are all zero has no direction for the angular metric.
    usable = np.flatnonzero(np.linalg.norm(vectors[:, :min(dims)], axis=1) > 0)
    if args.queries >= len(usable):
        sys.exit(f"word_vectors.py: --queries={args.queries}, but only {len(usable)} words")
    rng = np.random.default_rng(args.seed)
    test_rows = np.sort(rng.choice(len(usable), size=args.queries, replace=False))
    for dim, path in zip(dims, args.out):
        kept = vectors[usable, :dim]
        norms = np.linalg.norm(kept, axis=1)
        write_split(path, kept, test_rows)
        log(start, f"{path}: {len(kept) - args.queries} train, {args.queries} test, dim {dim}, "
            f"norms {norms.min():.3g} .. {norms.max():.3g}")


if __name__ == "__main__":
    main()
