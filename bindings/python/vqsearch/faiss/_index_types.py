"""FAISS's index classes, each the vqsearch spec its constructor describes.

Constructors take FAISS's arguments. An IVF constructor's quantizer must be an empty
flat index: vqsearch trains its own coarse quantizer (FAISS's quantizer object stays
empty). IndexIVFPQ with nbits=4 becomes 4-bit fast-scan PQ (vqsearch's only 4-bit PQ).
"""

from ._index import Index
from ._metrics import METRIC_INNER_PRODUCT, METRIC_L2
from ._unsupported import unsupported


class IndexFlat(Index):
    """Exact search (vqsearch "Flat")."""

    def __init__(self, d, metric=METRIC_L2):
        self._create("Flat", d, metric)

    def train(self, x):
        pass  # exact search learns nothing, and FAISS allows train at any time


class IndexFlatL2(IndexFlat):
    def __init__(self, d):
        super().__init__(d, METRIC_L2)


class IndexFlatIP(IndexFlat):
    def __init__(self, d):
        super().__init__(d, METRIC_INNER_PRODUCT)


class IndexIDMap(Index):
    """User ids over an empty index: every vqsearch index takes ids, so this shares it."""

    def __init__(self, index):
        if index.ntotal:
            raise unsupported("IndexIDMap over an index that holds vectors", "wrap it while empty")
        self.index = index
        self._attach(index._vq, index.metric_type)


class IndexIDMap2(IndexIDMap):
    pass


class IndexIVF(Index):
    """An inverted-file index: nprobe lists of nlist are scanned per query."""

    @property
    def nlist(self):
        return int(self._vq.spec.split(",")[0][len("IVF"):])

    def _create_ivf(self, quantizer, d, nlist, codec, metric):
        if not isinstance(quantizer, IndexFlat) or quantizer.ntotal or quantizer.d != d:
            raise unsupported(f"{type(self).__name__} over a quantizer that is not an empty "
                              f"IndexFlat of dimension {d}",
                              "vqsearch trains its own coarse quantizer")
        self._create(f"IVF{int(nlist)},{codec}", d, metric)


class IndexIVFFlat(IndexIVF):
    def __init__(self, quantizer, d, nlist, metric=METRIC_L2):
        self._create_ivf(quantizer, d, nlist, "Flat", metric)


def _pq(m, nbits, feature):
    if nbits == 8:
        return f"PQ{int(m)}"
    if nbits == 4:
        return f"PQ{int(m)}x4fs"
    raise unsupported(f"{feature} with nbits={nbits}", "vqsearch's PQ has 8 or 4 bits")


class IndexIVFPQ(IndexIVF):
    def __init__(self, quantizer, d, nlist, M, nbits, metric=METRIC_L2):
        self._create_ivf(quantizer, d, nlist, _pq(M, nbits, "IndexIVFPQ"), metric)


class IndexIVFPQFastScan(IndexIVF):
    def __init__(self, quantizer, d, nlist, M, nbits=4, metric=METRIC_L2, bbs=32):
        if nbits != 4 or bbs != 32:
            raise unsupported("IndexIVFPQFastScan with nbits != 4 or bbs != 32")
        self._create_ivf(quantizer, d, nlist, f"PQ{int(M)}x4fs", metric)


class ScalarQuantizer:
    """FAISS's quantizer types; the mapped ones carry the vqsearch SQ spec."""

    QT_8bit = "SQ8"
    QT_4bit = "SQ4"
    QT_fp16 = "SQfp16"
    QT_8bit_uniform = "QT_8bit_uniform"
    QT_4bit_uniform = "QT_4bit_uniform"
    QT_8bit_direct = "QT_8bit_direct"
    QT_6bit = "QT_6bit"
    QT_bf16 = "QT_bf16"


def _sq(qtype):
    if not str(qtype).startswith("SQ"):
        raise unsupported(f"ScalarQuantizer.{qtype}", "QT_8bit, QT_4bit and QT_fp16 map")
    return qtype


class IndexIVFScalarQuantizer(IndexIVF):
    def __init__(self, quantizer, d, nlist, qtype, metric=METRIC_L2, by_residual=True):
        if not by_residual:
            raise unsupported("IndexIVFScalarQuantizer(by_residual=False)",
                              "vqsearch chooses residual or direct coding by reconstruction error")
        self._create_ivf(quantizer, d, nlist, _sq(qtype), metric)


class IndexIVFResidualQuantizer(IndexIVF):
    pass


class IndexPQ(Index):
    def __init__(self, d, M, nbits, metric=METRIC_L2):
        self._create(_pq(M, nbits, "IndexPQ"), d, metric)


class IndexPQFastScan(Index):
    def __init__(self, d, M, nbits=4, metric=METRIC_L2, bbs=32):
        if nbits != 4 or bbs != 32:
            raise unsupported("IndexPQFastScan with nbits != 4 or bbs != 32")
        self._create(f"PQ{int(M)}x4fs", d, metric)


class IndexScalarQuantizer(Index):
    def __init__(self, d, qtype, metric=METRIC_L2):
        self._create(_sq(qtype), d, metric)


class IndexResidualQuantizer(Index):
    pass


def rabitq_codec(nb_bits, fast_scan, bbs, feature):
    """The vqsearch codec of FAISS's RaBitQ with nb_bits a dimension."""
    if not 1 <= int(nb_bits) <= 8:
        raise unsupported(f"{feature} with nb_bits={nb_bits}", "vqsearch's RaBitQ has 1 to 8 bits")
    if fast_scan and bbs != 32:
        raise unsupported(f"{feature} with bbs={bbs}", "vqsearch's fast scan uses blocks of 32")
    return f"RaBitQ{int(nb_bits)}" + ("fs" if fast_scan else "")


class IndexRaBitQ(Index):
    def __init__(self, d, metric=METRIC_L2, nb_bits=1):
        self._create(rabitq_codec(nb_bits, False, 32, "IndexRaBitQ"), d, metric)


class IndexRaBitQFastScan(Index):
    def __init__(self, d, metric=METRIC_L2, bbs=32, nb_bits=1):
        self._create(rabitq_codec(nb_bits, True, bbs, "IndexRaBitQFastScan"), d, metric)


def _own_invlists(own_invlists, feature):
    if not own_invlists:
        raise unsupported(f"{feature}(own_invlists=False)", "vqsearch owns its inverted lists")


class IndexIVFRaBitQ(IndexIVF):
    def __init__(self, quantizer, d, nlist, metric=METRIC_L2, own_invlists=True, nb_bits=1):
        _own_invlists(own_invlists, "IndexIVFRaBitQ")
        self._create_ivf(quantizer, d, nlist, rabitq_codec(nb_bits, False, 32, "IndexIVFRaBitQ"),
                         metric)


class IndexIVFRaBitQFastScan(IndexIVF):
    def __init__(self, quantizer, d, nlist, metric=METRIC_L2, bbs=32, own_invlists=True,
                 nb_bits=1):
        _own_invlists(own_invlists, "IndexIVFRaBitQFastScan")
        self._create_ivf(quantizer, d, nlist,
                         rabitq_codec(nb_bits, True, bbs, "IndexIVFRaBitQFastScan"), metric)


class IndexRefine(Index):
    """A base index whose candidates (k_factor x k) are re-ranked by a second copy."""


class IndexRefineFlat(IndexRefine):
    def __init__(self, base_index, xb=None):
        if base_index.ntotal or xb is not None:
            raise unsupported("IndexRefineFlat over an index that holds vectors",
                              "wrap the base index while it is empty")
        if base_index._vq.is_trained and not isinstance(base_index, IndexFlat):
            raise unsupported("IndexRefineFlat over a trained base index",
                              "wrap the base index before training it")
        self.base_index = base_index
        self._create(f"{base_index._vq.spec},Refine(Flat)", base_index.d, base_index.metric_type)


class IndexPreTransform(Index):
    """A rotation (OPQ) applied before the base index."""
