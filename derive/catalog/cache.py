"""A disk cache for derived catalogue items, so repeated generation skips SymPy work.

An entry is keyed by the item's name, the digest of its recipe (its
definition and the parts of the definition modules it reads, see
``derive.catalog.recipe_digest``), a digest of the derivation machinery (every
other source file of ``derive/``), and the Python, SymPy and mpmath versions
with SymPy's ground types: an edit to one item's definition re-derives that
item alone, an edit to the derivation code or to the libraries that derive
and unpickle re-derives every one.  ``cached`` also returns the digest of the
entry's bytes, which stands for the item's value: what reads the item
(another item, a generated module) is keyed by it, so an edit that derives
the same value again changes nothing downstream.  Entries are pickles
written atomically under ``.cache/derive/`` (``.cache/`` of the checkout,
ignored by git; installed, ``$XDG_CACHE_HOME/symprop`` or ``~/.cache/symprop``,
see ``symprop.locations``); only the newest entry of an item is kept, and an
entry that cannot be loaded, for whatever reason, is a miss.
``codegen.generate.render_cached`` keeps the rendered files in
``generated/`` beside it the same way, so a warm ``make generate`` skips this
cache and SymPy altogether; set ``SYMPROP_CACHE=0`` to bypass both.
"""

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import mpmath
import sympy
from sympy.external.gmpy import GROUND_TYPES

from derive.catalog.recipe_digest import machinery_digest
from symprop.locations import CACHE

__all__ = ["CACHE_DIR", "cached"]

CACHE_DIR = CACHE / "derive"
T = TypeVar("T")


def _environment() -> str:
    """The interpreter and libraries a pickle was derived and written by; it is read back only by the same."""
    return "\n".join([sys.version, f"sympy {sympy.__version__}", f"mpmath {mpmath.__version__}", GROUND_TYPES])


def _entry(name: str, digest: str) -> Path:
    """Where the item ``name`` of recipe ``digest``, derived by this machinery and environment, is stored."""
    key = hashlib.sha256("\n".join([machinery_digest(), _environment(), name, digest]).encode()).hexdigest()
    return CACHE_DIR / f"{name}-{key[:24]}.pickle"


def _load(path: Path) -> tuple[bool, object, str | None]:
    """``(True, value, digest of the file)`` stored in ``path``, or ``(False, None, None)`` when it cannot be loaded.

    Any failure is a miss: a missing or truncated file, or a pickle that names
    code which has since moved, changed or been removed, raises almost any
    exception (``TypeError``, ``ImportError``, ``ValueError``, ...).
    """
    try:
        data = path.read_bytes()
        return True, pickle.loads(data), hashlib.sha256(data).hexdigest()
    except Exception:
        return False, None, None


def _store(name: str, path: Path, value: object) -> str | None:
    """Write ``value`` to ``path``, the entry of item ``name``, atomically, delete its older entries; its digest.

    The digest is that of the pickle, None when ``value`` cannot be pickled.
    A read-only checkout leaves it unwritten (the digest stands), a value
    that cannot be pickled uncached: generation still works, only slower.
    """
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None
    digest = hashlib.sha256(data).hexdigest()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=CACHE_DIR, suffix=".tmp")
    except OSError:
        return digest
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        return digest
    finally:
        Path(temporary).unlink(missing_ok=True)
    for old in CACHE_DIR.glob(f"{name}-*.pickle"):
        if old != path:
            with suppress(OSError):
                old.unlink()
    return digest


def cached(
    name: str, compute: Callable[[], T], digest: str, valid: Callable[[T], bool] = lambda value: True,
) -> tuple[T, str | None]:
    """``compute()``, or its result from an earlier run with the same recipe ``digest``, machinery and environment.

    Returned with the SHA-256 of its pickle, the same bytes for the same
    value derived again; None when nothing is cached (``SYMPROP_CACHE=0``,
    or a value that cannot be pickled).  A stored result is used only when
    ``valid`` says it still is (the items it read are unchanged).
    """
    if os.environ.get("SYMPROP_CACHE", "1") == "0":
        return compute(), None
    path = _entry(name, digest)
    found, value, stored = _load(path)
    if found and valid(value):
        return value, stored
    value = compute()
    return value, _store(name, path, value)
