#!/usr/bin/python3
"""Converts IDX image files (the MNIST / Fashion-MNIST format) to an ann-benchmarks HDF5.

Writes float32 datasets `train` and `test` (one flattened image per row, pixel values
0..255 unchanged, as ann-benchmarks stores them) and the `distance` attribute. Ground
truth is added afterwards by vqsearch_ground_truth. Run with Debian's /usr/bin/python3,
which has numpy and h5py.

    idx_to_hdf5.py TRAIN-images-idx3-ubyte.gz TEST-images-idx3-ubyte.gz OUT.hdf5
"""

import argparse
import gzip
import sys

import h5py
import numpy as np

# The IDX header: two zero bytes, an element-type code, the number of dimensions, then
# one big-endian uint32 size per dimension. 0x08 is the code for unsigned bytes.
_UNSIGNED_BYTE = 0x08


def read_idx_images(path):
    """Returns the images of an IDX file (gzipped or not) as a uint8 (count, pixels) array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (the first two bytes must be zero)")
    if data[2] != _UNSIGNED_BYTE:
        raise ValueError(f"{path}: element type 0x{data[2]:02x}; expected unsigned bytes (0x08)")
    ndims = data[3]
    if ndims < 2:
        raise ValueError(f"{path}: {ndims} dimension(s); images need a count and a size")
    header_bytes = 4 + 4 * ndims
    if len(data) < header_bytes:
        raise ValueError(f"{path}: truncated inside its header")
    dims = [int(d) for d in np.frombuffer(data, dtype=">u4", count=ndims, offset=4)]
    pixels_per_image = int(np.prod(dims[1:]))
    expected_bytes = header_bytes + dims[0] * pixels_per_image
    if len(data) != expected_bytes:
        raise ValueError(f"{path}: {len(data)} bytes, but its header {dims} needs {expected_bytes}")
    images = np.frombuffer(data, dtype=np.uint8, offset=header_bytes)
    return images.reshape(dims[0], pixels_per_image)


def write_ann_hdf5(path, train, test, distance):
    """Writes train/test as float32 and `distance` as a string attribute."""
    with h5py.File(path, "w") as f:
        f.attrs["distance"] = distance
        f.create_dataset("train", data=train.astype(np.float32))
        f.create_dataset("test", data=test.astype(np.float32))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", help="IDX file of the train images (.gz accepted)")
    parser.add_argument("test", help="IDX file of the test images (.gz accepted)")
    parser.add_argument("output", help="HDF5 file to write (replaced if it exists)")
    parser.add_argument("--distance", default="euclidean",
                        help="the file's `distance` attribute (default: euclidean)")
    args = parser.parse_args()
    try:
        train = read_idx_images(args.train)
        test = read_idx_images(args.test)
    except (OSError, ValueError) as error:
        sys.exit(f"idx_to_hdf5: {error}")
    if train.shape[1] != test.shape[1]:
        sys.exit(f"idx_to_hdf5: train images have {train.shape[1]} pixels "
                 f"but test images have {test.shape[1]}")
    write_ann_hdf5(args.output, train, test, args.distance)
    print(f"idx_to_hdf5: wrote {args.output}: train {train.shape}, test {test.shape}, "
          f"distance {args.distance}")


if __name__ == "__main__":
    main()
