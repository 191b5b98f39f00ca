"""FAISS's small helpers: normalize_L2, thread counts, GPU count, swig_ptr."""

import numpy as np

import vqsearch


def normalize_L2(x):
    """Scales each row of x to unit L2 norm in place (rows of zeros stay zero), as FAISS does.

    x must be a C-contiguous float32 (n, d) numpy array: FAISS works in place on exactly
    that, and a silent copy would leave the caller's array unchanged.
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float32 and x.ndim == 2
            and x.flags.c_contiguous and x.flags.writeable):
        raise TypeError("normalize_L2 works in place on a writable C-contiguous float32 "
                        "numpy array of shape (n, d)")
    norms = np.sqrt(np.einsum("ij,ij->i", x, x, dtype=np.float64))[:, None]
    np.divide(x, norms, out=x, where=norms > 0, casting="unsafe")


def omp_set_num_threads(n):
    """The default thread count of every later call (vqsearch.set_num_threads)."""
    vqsearch.set_num_threads(int(n))


def omp_get_max_threads():
    return vqsearch.get_num_threads()


def get_num_gpus():
    return 0  # vqsearch runs on CPUs only


def swig_ptr(array):
    """FAISS passes arrays to C++ as pointers; here the array itself stands in for one."""
    return np.asarray(array)
