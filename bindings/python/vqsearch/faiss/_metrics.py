"""FAISS's metric constants and their vqsearch names."""

from ._unsupported import unsupported

METRIC_INNER_PRODUCT = 0
METRIC_L2 = 1
METRIC_L1 = 2
METRIC_Linf = 3
METRIC_Lp = 4
METRIC_Canberra = 20
METRIC_BrayCurtis = 21
METRIC_JensenShannon = 22
METRIC_Jaccard = 23

_NAMES = {METRIC_INNER_PRODUCT: "ip", METRIC_L2: "l2"}
_UNMAPPED = {METRIC_L1: "METRIC_L1", METRIC_Linf: "METRIC_Linf", METRIC_Lp: "METRIC_Lp",
             METRIC_Canberra: "METRIC_Canberra", METRIC_BrayCurtis: "METRIC_BrayCurtis",
             METRIC_JensenShannon: "METRIC_JensenShannon", METRIC_Jaccard: "METRIC_Jaccard"}


def vqsearch_metric(metric):
    """The vqsearch metric name of a FAISS metric constant."""
    if metric in _NAMES:
        return _NAMES[metric]
    name = _UNMAPPED.get(metric, f"metric {metric!r}")
    raise unsupported(name, "only METRIC_L2 and METRIC_INNER_PRODUCT map")


def faiss_metric(name):
    """The FAISS constant of a vqsearch metric; cosine indexes rank as inner product does."""
    return METRIC_L2 if name == "l2" else METRIC_INNER_PRODUCT


def missing_distance(metric):
    """What FAISS puts in the distance slot of a missing result (id -1)."""
    big = float.fromhex("0x1.fffffep+127")  # FLT_MAX
    return big if metric == METRIC_L2 else -big
