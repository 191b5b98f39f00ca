#!/usr/bin/python3
"""SIFT descriptors of the photographs and artwork in Debian's wallpaper packages.

Each distinct wallpaper (the largest file of each, when a package ships several
resolutions) is read in grey, scaled down to at most --max_side pixels on its long side,
and described by OpenCV's SIFT (difference-of-Gaussian keypoints, 128-d descriptors of
integer values 0..255, the kind of vectors the INRIA SIFT1M benchmark holds). Every
--query_every-th image is held out: --queries descriptors drawn at random from those
images are the test set, so no query has a near copy of itself in the train set;
--train descriptors drawn at random from the other images are the train set. Distance
"euclidean". Ground truth is added afterwards by vqsearch_ground_truth.

    image_descriptors.py OUT.hdf5

Deterministic for given package contents: sorted file lists, one OpenCV thread per
worker, results gathered in file order, numpy's seeded generator. Run with Debian's
/usr/bin/python3 (numpy, h5py, python3-opencv).
"""

import argparse
import glob
import hashlib
import multiprocessing
import os
import re
import sys
import time

import cv2
import h5py
import numpy as np

# The packages whose images are read, and where they put them.
PACKAGES = ("gnome-backgrounds", "mate-backgrounds", "plasma-workspace-wallpapers",
            "ukui-wallpapers", "lomiri-wallpapers")
IMAGE_PATTERNS = ("/usr/share/backgrounds/**/*", "/usr/share/wallpapers/**/*")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # the formats OpenCV reads; no SVG
_RESOLUTION = re.compile(r"[_/]\d+x\d+$")  # "_3840x2160" or "/3840x2160" ending a name
# SIFT's default contrast threshold (0.04) finds almost nothing in the smooth gradients
# of many wallpapers; 0.01 still keeps only keypoints that stand out of the noise.
_CONTRAST_THRESHOLD = 0.01


def image_files():
    """(path, SHA-256 hex) of one file per distinct wallpaper, in a fixed order."""
    files = [f for pattern in IMAGE_PATTERNS for f in sorted(glob.glob(pattern, recursive=True))
             if os.path.isfile(f) and f.lower().endswith(_IMAGE_SUFFIXES)]
    if not files:
        sys.exit(f"image_descriptors.py: no images: install the Debian packages {' '.join(PACKAGES)}")
    # A wallpaper often comes at several resolutions (Plasma's contents/images/WxH.jpg,
    # MATE's Name_WxH.jpg): keep the largest file of each; Plasma's screenshots are
    # thumbnails of the same pictures.
    largest = {}
    for f in files:
        if "/contents/screenshot" in f:
            continue
        key = _RESOLUTION.sub("", os.path.splitext(f)[0])
        if key not in largest or os.path.getsize(f) > os.path.getsize(largest[key]):
            largest[key] = f
    # Packages also ship the same file twice (under two names, or in two packages).
    distinct, seen = [], set()
    for f in sorted(largest.values()):
        with open(f, "rb") as image:
            digest = hashlib.sha256(image.read()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            distinct.append((f, digest))
    return distinct


def sift_descriptors(path, max_side):
    """The SIFT descriptors (uint8, n x 128) of one image scaled to at most max_side."""
    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if image is None:
        # Raised, not exited: a worker's SystemExit would stall the pool.
        raise ValueError(f"OpenCV cannot read {path}")
    scale = max_side / max(image.shape)
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    sift = cv2.SIFT_create(contrastThreshold=_CONTRAST_THRESHOLD)
    _, descriptors = sift.detectAndCompute(image, None)
    if descriptors is None:
        return np.zeros((0, 128), dtype=np.uint8)
    # OpenCV stores SIFT's byte-valued descriptor in float32; the values are integers.
    return descriptors.astype(np.uint8)


def describe(args):
    """sift_descriptors of one image, read from or saved to the cache directory when given.

    The cache is keyed by the image's contents and the scale, so a rerun (say with other
    counts) skips the slow part and can never read descriptors of another image."""
    path, digest, max_side, cache = args
    cv2.setNumThreads(1)
    if not cache:
        return sift_descriptors(path, max_side)
    cached = os.path.join(cache, f"{digest[:32]}-{max_side}.npy")
    if os.path.exists(cached):
        return np.load(cached)
    descriptors = sift_descriptors(path, max_side)
    partial = f"{cached}.{os.getpid()}.npy"
    np.save(partial, descriptors)
    os.replace(partial, cached)
    print(f"image_descriptors.py: {len(descriptors):6d} descriptors from {path}",
          file=sys.stderr)
    return descriptors


def sample(rng, blocks, count, what):
    """`count` rows drawn without replacement from the stacked blocks, in their order."""
    rows = np.concatenate(blocks)
    if len(rows) < count:
        sys.exit(f"image_descriptors.py: {what} images give {len(rows)} descriptors, "
                 f"fewer than the {count} asked for")
    return rows[np.sort(rng.choice(len(rows), size=count, replace=False))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=1000000, help="train descriptors")
    parser.add_argument("--queries", type=int, default=10000, help="test descriptors")
    parser.add_argument("--query_every", type=int, default=10,
                        help="every N-th image gives the queries")
    parser.add_argument("--max_side", type=int, default=2560, help="long side of the images")
    parser.add_argument("--workers", type=int, default=2, help="processes describing images")
    parser.add_argument("--seed", type=int, default=7, help="seed of the draws")
    parser.add_argument("--cache", default="",
                        help="directory keeping each image's descriptors for reruns")
    parser.add_argument("out", help="ann-benchmarks file to write")
    args = parser.parse_args()
    if min(args.train, args.queries, args.max_side, args.workers) < 1 or args.query_every < 2:
        parser.error("counts, --max_side and --workers must be >= 1, --query_every >= 2")

    start = time.perf_counter()
    files = image_files()
    if args.cache:
        os.makedirs(args.cache, exist_ok=True)
    try:
        with multiprocessing.Pool(args.workers) as pool:
            blocks = pool.map(describe, [(path, digest, args.max_side, args.cache)
                                         for path, digest in files], chunksize=1)
    except ValueError as error:
        sys.exit(f"image_descriptors.py: {error}")
    found = sum(len(b) for b in blocks)
    print(f"image_descriptors.py: {time.perf_counter() - start:.1f} s, {len(files)} images, "
          f"{found} descriptors", file=sys.stderr)
    rng = np.random.default_rng(args.seed)
    is_query = [i % args.query_every == 0 for i in range(len(blocks))]
    test = sample(rng, [b for b, q in zip(blocks, is_query) if q], args.queries, "query")
    train = sample(rng, [b for b, q in zip(blocks, is_query) if not q], args.train, "train")
    with h5py.File(args.out, "w") as f:
        f.create_dataset("train", data=train.astype(np.float32))
        f.create_dataset("test", data=test.astype(np.float32))
        f.attrs["distance"] = "euclidean"


if __name__ == "__main__":
    main()
