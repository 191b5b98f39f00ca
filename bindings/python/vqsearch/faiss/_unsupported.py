"""The one error vqsearch.faiss raises for a FAISS feature it does not map."""


class UnsupportedFeature(NotImplementedError, AttributeError):
    """A FAISS feature vqsearch.faiss does not provide.

    A NotImplementedError, and also an AttributeError so that hasattr() and getattr()
    with a default treat a missing FAISS name as missing.
    """


def unsupported(feature, hint=""):
    """The error naming `feature` (what FAISS calls it), with an optional hint."""
    message = f"vqsearch.faiss does not support FAISS's {feature}"
    return UnsupportedFeature(message + (f": {hint}" if hint else ""))
