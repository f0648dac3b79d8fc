"""A disk cache for derived catalogue items, so repeated generation skips SymPy work.

An entry is keyed by the item's name and a hash of every source file of
``derive/``: any change to a definition or to the derivation code makes
every key new.  Entries are pickles written atomically under ``.cache/``
(ignored by git).  ``codegen.generate.render_cached`` keeps the rendered
files in ``.cache/generated/`` the same way, so a warm ``make generate``
skips this cache and SymPy altogether; set ``SYMPROP_CACHE=0`` to bypass both.
"""

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

__all__ = ["CACHE_DIR", "cached"]

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "derive"
T = TypeVar("T")


@cache
def _source_hash() -> str:
    """A digest of every ``derive/*.py`` file: the derivation code and the catalogue."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier run with the same sources."""
    if os.environ.get("SYMPROP_CACHE", "1") == "0":
        return compute()
    path = CACHE_DIR / f"{name}-{hashlib.sha256((_source_hash() + name).encode()).hexdigest()[:24]}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    value = compute()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=CACHE_DIR, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return value
