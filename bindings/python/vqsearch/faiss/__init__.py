"""vqsearch.faiss: the part of FAISS's Python API most scripts use, on vqsearch's indexes.

A script written for FAISS runs with one changed line::

    import vqsearch.faiss as faiss

    index = faiss.IndexFlatL2(d)
    index.add(xb)
    D, I = index.search(xq, k)

The README's "FAISS compatibility" table lists what maps to what. Results keep FAISS's
conventions (float32 D, int64 I, squared L2 distances ascending, inner products
descending, id -1 with distance +-FLT_MAX for missing results). A FAISS name this layer
does not map raises vqsearch.faiss.UnsupportedFeature, a NotImplementedError naming the
FAISS feature (also an AttributeError, so hasattr() reports it missing).
"""

from ._clustering import Kmeans, knn
from ._factory import index_factory
from ._index import Index
from ._index_types import (IndexFlat, IndexFlatIP, IndexFlatL2, IndexIDMap, IndexIDMap2,
                           IndexIVF, IndexIVFFlat, IndexIVFPQ, IndexIVFPQFastScan,
                           IndexIVFRaBitQ, IndexIVFRaBitQFastScan, IndexIVFResidualQuantizer,
                           IndexIVFScalarQuantizer, IndexPQ, IndexPQFastScan, IndexPreTransform,
                           IndexRaBitQ, IndexRaBitQFastScan, IndexRefine, IndexRefineFlat,
                           IndexResidualQuantizer, IndexScalarQuantizer, ScalarQuantizer)
from ._io import deserialize_index, read_index, serialize_index, write_index
from ._metrics import (METRIC_BrayCurtis, METRIC_Canberra, METRIC_INNER_PRODUCT, METRIC_Jaccard,
                       METRIC_JensenShannon, METRIC_L1, METRIC_L2, METRIC_Linf, METRIC_Lp)
from ._parameters import ParameterSpace
from ._selectors import (IDSelector, IDSelectorArray, IDSelectorBatch, IDSelectorRange,
                         IndexRefineSearchParameters, SearchParameters, SearchParametersIVF)
from ._unsupported import UnsupportedFeature, unsupported
from ._utils import get_num_gpus, normalize_L2, omp_get_max_threads, omp_set_num_threads, swig_ptr


def downcast_index(index):
    return index  # every object here already has its concrete class


def extract_index_ivf(index):
    """The IVF part of an index: here the index itself, whose nprobe reaches its IVF level."""
    if not hasattr(index, "nprobe"):
        raise RuntimeError(f"{type(index).__name__} is not an IVF index")
    return index


def __getattr__(name):
    # Only called for names this module does not define: FAISS names that do not map.
    if name.startswith("_"):
        raise AttributeError(name)
    raise unsupported(name)
