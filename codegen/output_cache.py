"""The output cache: the rendered files, keyed by a digest of everything that can change them.

A warm ``make generate`` hashes its inputs (``output_key``), reads one
file and neither imports SymPy nor derives anything; a change to any input
is a new key, so a hit returns exactly what ``render_all`` would.  On a
miss, the module cache (``codegen.module_cache``) re-renders only the
modules that what changed can reach.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from symprop.locations import extension_files

from .module_cache import render_modules, write_entry
from .paths import OUTPUT_CACHE, ROOT, SPECS, TEMPLATES
from .rendering import load_specs, render_all

__all__ = ["Inputs", "inputs", "output_key", "render_cached"]

_CODE = (ROOT / "derive", ROOT / "codegen")
#: The installed packages whose code shapes the printed text: SymPy, its number library, and Jinja.
_DISTRIBUTIONS = ("sympy", "mpmath", "jinja2")


def _extension_files() -> list[Path]:
    """The files ``derive.catalog.extensions.run_extensions`` runs (the same list, without importing ``derive``)."""
    return extension_files()


def _input_files(spec_dir: Path) -> list[Path]:
    """Every file whose bytes can change the output: the code, the templates, the specs built, the extensions."""
    code = [path for folder in _CODE for path in sorted(folder.rglob("*.py"))]
    templates = sorted(path for path in TEMPLATES.rglob("*") if path.is_file())
    return code + templates + sorted(spec_dir.glob("*.toml")) + _extension_files()


def _file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, or ``missing`` when it cannot be read (rendering then reports why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _installed(name: str) -> str | None:
    """A distribution's version and RECORD (its files and their hashes), or None when it has no metadata."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    return f"{name} {distribution.version}\n{distribution.read_text('RECORD') or ''}"


@dataclass(frozen=True)
class Inputs:
    """Everything that can change the rendered files, read before rendering: ``output_key`` digests it all.

    ``environment``: the Python version, the installed SymPy, mpmath and Jinja
    and the headers' ``rebuild`` command; ``files``: path -> SHA-256 of every
    file from ``_input_files``, the specs included.
    """

    environment: tuple[str, ...]
    files: tuple[tuple[Path, str], ...]

    @property
    def key(self) -> str:
        manifest = [*self.environment, *(f"{path}\0{digest}" for path, digest in self.files)]
        return hashlib.sha256("\n".join(manifest).encode()).hexdigest()


def inputs(spec_dir: Path = SPECS, rebuild: str | None = None) -> Inputs | None:
    """The ``Inputs`` of ``render_cached`` for ``spec_dir``, as they are now; None when nothing may be cached.

    NumPy is left out: the derivations read only float64's limits from it,
    which IEEE 754 fixes.  Files an extension reads or imports from elsewhere
    are not seen.  None when a package is used without install metadata, so
    its code cannot be identified.
    """
    packages = [_installed(name) for name in _DISTRIBUTIONS]
    if None in packages:
        return None
    environment = (sys.version, *packages) + ((f"rebuild\0{rebuild}",) if rebuild else ())
    return Inputs(environment, tuple((path, _file_digest(path)) for path in _input_files(spec_dir)))


def output_key(spec_dir: Path = SPECS, rebuild: str | None = None) -> str | None:
    """A digest of everything that can change the files ``render_cached`` returns for ``spec_dir`` (``inputs``)."""
    now = inputs(spec_dir, rebuild)
    return None if now is None else now.key


def _read_entry(entry: Path) -> dict[str, str] | None:
    """The files stored in ``entry``, or None when there is none or it is not text by file name."""
    try:
        with open(entry, encoding="utf-8") as stream:
            files = json.load(stream)
    except (OSError, ValueError):
        return None
    if not isinstance(files, dict) or not all(isinstance(text, str) for text in files.values()):
        return None
    return files


def render_cached(
    spec_dir: Path = SPECS, cache_dir: Path = OUTPUT_CACHE, *, rebuild: str | None = None,
) -> dict[str, str]:
    """``render_all`` of the built-in catalogue and the specs in ``spec_dir``, from the output cache if it can.

    An entry is the JSON of the rendered files, named by ``output_key``: a
    change to any input is a new key, so a hit returns exactly what
    rendering would.  On a miss each module comes from the module cache
    (``codegen.module_cache``) or is rendered, and the entries are stored
    unless an input changed while rendering; only the newest entry is kept.
    With ``SYMPROP_CACHE=0`` (or no ``output_key``) the files are rendered
    without reading or writing any cache.

    The key sees the files on disk, not modules changed in memory: a process
    that patches the rendering code (a test) calls ``render_all`` instead.
    ``rebuild`` (the headers' command, ``render_all``) is part of the key.
    """
    before = inputs(spec_dir, rebuild) if os.environ.get("SYMPROP_CACHE", "1") != "0" else None
    named = {"rebuild": rebuild} if rebuild else {}
    if before is None:
        return render_all(specs=load_specs(spec_dir=spec_dir), **named)
    entry = cache_dir / f"{before.key}.json"
    files = _read_entry(entry)
    if files is None:
        files, store = render_modules(spec_dir, cache_dir / "modules", before, rebuild)
        if inputs(spec_dir, rebuild) == before:
            store()
            write_entry(entry, files)
    return files
