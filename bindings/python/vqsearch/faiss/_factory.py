"""index_factory: FAISS factory strings as vqsearch specs, and the class each spec gets.

vqsearch's specs follow FAISS's factory conventions, so most strings pass unchanged;
the rest are rewritten (IDMap dropped since every index takes ids, RFlat as
Refine(Flat), PQ<m>np as PQ<m>, OPQ<m>_<d> at the input dimension as OPQ<m>, RaBitQ<b>
and RaBitQfs<b> as RaBitQ<b> and RaBitQ<b>fs) or name a FAISS feature vqsearch does not
have.
"""

import re

import vqsearch

from . import _index_types as types
from ._metrics import METRIC_L2, vqsearch_metric
from ._unsupported import unsupported

# Leading letters of factory components that have no vqsearch counterpart.
_UNMAPPED = {
    "HNSW": "HNSW graph indexes", "NSG": "NSG graph indexes", "NNDescent": "NNDescent graphs",
    "PCA": "the PCA pre-transform", "RR": "the random-rotation pre-transform",
    "ITQ": "the ITQ pre-transform", "Pad": "the padding pre-transform",
    "L2norm": "the L2norm pre-transform (use metric \"cosine\" in vqsearch, or normalize_L2)",
    "LSH": "LSH indexes", "IMI": "multi-index (IMI) quantizers", "LSQ": "LSQ quantizers",
    "PRQ": "product residual quantizers", "PLSQ": "product LSQ quantizers",
    "ZnLattice": "lattice quantizers", "Residual": "two-level residual coarse quantizers",
    "BFlat": "binary indexes", "BHNSW": "binary indexes",
    "BIVF": "binary indexes", "Cagra": "GPU CAGRA indexes", "NSGFlat": "NSG graph indexes",
}


def _component(token, d):
    """One factory component rewritten for vqsearch, or None to drop it."""
    if token in ("IDMap", "IDMap2"):
        return None
    if token == "RFlat":
        return "Refine(Flat)"
    opq = re.fullmatch(r"OPQ(\d+)(?:_(\d+))?", token)
    if opq:
        if opq.group(2) and int(opq.group(2)) != d:
            raise unsupported(f"index_factory component {token!r} (OPQ reducing the dimension)")
        return f"OPQ{opq.group(1)}"
    pq = re.fullmatch(r"(PQ\d+(?:x8)?)np", token)
    if pq:
        return pq.group(1)
    rabitq = re.fullmatch(r"RaBitQ(fs)?(\d)?(?:_(\d+))?", token)
    if rabitq:
        fast_scan, bits, bbs = rabitq.group(1), rabitq.group(2) or "1", rabitq.group(3)
        return types.rabitq_codec(int(bits), bool(fast_scan), int(bbs or 32),
                                  f"index_factory component {token!r}")
    if re.fullmatch(r"IVF\d+_.*", token):
        raise unsupported(f"index_factory component {token!r} (a coarse quantizer other than Flat)")
    for prefix, feature in _UNMAPPED.items():
        if token.startswith(prefix):
            raise unsupported(f"index_factory component {token!r} ({feature})")
    return token


def translate(d, description):
    """The vqsearch spec of a FAISS factory string."""
    tokens = [t for t in description.replace(" ", "").split(",") if t]
    rewritten = [c for c in (_component(t, d) for t in tokens) if c is not None]
    return ",".join(rewritten)


def index_factory(d, description, metric=METRIC_L2):
    spec = translate(d, description)
    try:
        vq_index = vqsearch.Index(spec, int(d), vqsearch_metric(metric))
    except ValueError as error:
        if "unknown" in str(error):
            raise unsupported(f"index_factory string {description!r}", str(error)) from None
        raise
    return index_class(vq_index.spec, metric)._wrap(vq_index, metric)


def index_class(spec, metric):
    """The FAISS class a vqsearch spec corresponds to."""
    parts = spec.split(",")
    if parts[0].startswith("OPQ"):
        return types.IndexPreTransform
    if parts[-1] == "Refine(Flat)":
        return types.IndexRefineFlat
    if parts[-1].startswith("Refine("):
        return types.IndexRefine
    if parts == ["Flat"]:
        return types.IndexFlatL2 if metric == METRIC_L2 else types.IndexFlatIP
    ivf = parts[0].startswith("IVF")
    codec = parts[-1]
    if codec == "Flat":
        return types.IndexIVFFlat
    if codec.startswith("PQ"):
        fast_scan = "x4fs" in codec
        if ivf:
            return types.IndexIVFPQFastScan if fast_scan else types.IndexIVFPQ
        return types.IndexPQFastScan if fast_scan else types.IndexPQ
    if codec.startswith("SQ"):
        return types.IndexIVFScalarQuantizer if ivf else types.IndexScalarQuantizer
    if codec.startswith("RaBitQ"):
        fast_scan = codec.endswith("fs")
        if ivf:
            return types.IndexIVFRaBitQFastScan if fast_scan else types.IndexIVFRaBitQ
        return types.IndexRaBitQFastScan if fast_scan else types.IndexRaBitQ
    if codec.startswith("RQ"):
        return types.IndexIVFResidualQuantizer if ivf else types.IndexResidualQuantizer
    return types.IndexIVF if ivf else types.Index
