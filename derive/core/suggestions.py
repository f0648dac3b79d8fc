"""Unknown names: the message suggests the closest known ones (``difflib``) and lists them all."""

from collections.abc import Sequence
from difflib import get_close_matches

__all__ = ["unknown_name"]


def unknown_name(what: str, name: str, known: Sequence[str]) -> str:
    """``unknown name 'sigmoi' (did you mean 'sigmoid'?); known: linear, sigmoid, ...``."""
    close = get_close_matches(name, known, n=3)
    guess = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return f"unknown {what} {name!r}{guess}; known: {', '.join(known)}"
