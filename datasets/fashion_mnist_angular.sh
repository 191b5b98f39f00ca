#!/bin/bash
# Builds fashion-mnist-784-angular.hdf5, an angular (cosine) benchmark made from
# Fashion-MNIST so that it needs nothing beyond Debian packages: the train and test
# images of fashion-mnist-784-euclidean.hdf5, each minus the mean training image,
# distance "angular", 100 exact neighbours per test image.
#
#   datasets/fashion_mnist_angular.sh BUILD_DIR OUT_DIR
#
# Why centred: raw pixel vectors all lie in the positive orthant, where angles between
# them are small and alike; subtracting the mean image spreads the directions over the
# sphere, as embedding datasets such as GloVe are spread, so an angular index has to
# tell them apart. The euclidean file is built first if OUT_DIR lacks it (see
# fashion_mnist.sh). Idempotent; never leaves a half-written file.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/derive_dataset.sh"
dataset_arguments "$@"

derive_dataset "$build_dir" "$out_dir" fashion-mnist-784-angular.hdf5 <<'PY'
import sys
import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    train = np.asarray(f["train"], dtype=np.float32)
    test = np.asarray(f["test"], dtype=np.float32)
mean = train.mean(axis=0, dtype=np.float64).astype(np.float32)
train -= mean
test -= mean
# A centred image equal to the mean has no direction; cosine needs a non-zero vector.
for name, x in (("train", train), ("test", test)):
    zero = int((np.linalg.norm(x, axis=1) == 0).sum())
    if zero:
        sys.exit(f"{zero} {name} images equal the mean image: no direction for cosine")
with h5py.File(sys.argv[2], "w") as f:
    f.create_dataset("train", data=train)
    f.create_dataset("test", data=test)
    f.attrs["distance"] = "angular"
PY
