#!/bin/bash
# Builds fashion-mnist-pca-64-euclidean.hdf5, a low-dimensional float benchmark made
# from Fashion-MNIST: the train and test images projected on the 64 principal axes of
# the mean-centred training images (largest variance first), distance "euclidean", 100
# exact neighbours per test image.
#
#   datasets/fashion_mnist_pca.sh BUILD_DIR OUT_DIR
#
# Why: the raw images are 784 uint8 pixels; many embedding sets are instead a few dozen
# to a few hundred decorrelated float dimensions whose variance falls from the first to
# the last (SIFT, Deep1B's 96-d PCA features). This set has that shape, so indexes and
# their defaults are checked on more than one kind of data. The 64 axes keep 88%
# of the centred images' variance. The euclidean file is built first if OUT_DIR lacks
# it. Idempotent; never leaves a half-written file.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/derive_dataset.sh"
dataset_arguments "$@"

derive_dataset "$build_dir" "$out_dir" fashion-mnist-pca-64-euclidean.hdf5 <<'PY'
import sys
import h5py
import numpy as np

DIMENSIONS = 64
with h5py.File(sys.argv[1], "r") as f:
    train = np.asarray(f["train"], dtype=np.float64)
    test = np.asarray(f["test"], dtype=np.float64)
mean = train.mean(axis=0)
covariance = np.cov(train - mean, rowvar=False)
variances, axes = np.linalg.eigh(covariance)  # ascending
order = np.argsort(variances)[::-1][:DIMENSIONS]
projection = axes[:, order]
kept = variances[order].sum() / variances.sum()
print(f"fashion_mnist_pca.sh: {DIMENSIONS} axes keep {kept:.1%} of the variance", file=sys.stderr)
with h5py.File(sys.argv[2], "w") as f:
    f.create_dataset("train", data=((train - mean) @ projection).astype(np.float32))
    f.create_dataset("test", data=((test - mean) @ projection).astype(np.float32))
    f.attrs["distance"] = "euclidean"
PY
