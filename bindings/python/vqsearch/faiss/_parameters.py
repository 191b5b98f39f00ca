"""ParameterSpace: FAISS's way of setting search parameters by name on any index."""

from ._unsupported import unsupported

# FAISS parameter -> (the index attribute it sets, its type).
_MAPPED = {"nprobe": ("nprobe", int), "k_factor_rf": ("k_factor", float)}


class ParameterSpace:
    def initialize(self, index):
        pass  # nothing to enumerate: vqsearch indexes list their own (search_params())

    def set_index_parameter(self, index, name, value):
        if name not in _MAPPED:
            raise unsupported(f"ParameterSpace parameter {name!r}", "nprobe and k_factor_rf (IndexRefine) map")
        attribute, kind = _MAPPED[name]
        if not hasattr(index, attribute):
            raise ValueError(f"{type(index).__name__} ({index.vqsearch_index.spec!r}) has no {name}")
        setattr(index, attribute, kind(value))

    def set_index_parameters(self, index, description):
        """description: "nprobe=16,k_factor_rf=4", as FAISS writes it."""
        for assignment in filter(None, description.split(",")):
            name, _, value = assignment.partition("=")
            self.set_index_parameter(index, name.strip(), float(value))
