"""The module cache: each generated module kept under what renders it and the catalogue items it reads.

When the whole output misses its cache (``codegen.output_cache``), each
module is looked up here.  Its key is what can change it besides the
catalogue's items: the environment and every code file, template and
extension file of ``Inputs`` except the catalogue's definition modules,
the catalogue's names and kinds, and a network module's spec file (the
networks' names for ``__init__``).  An entry holds the module's text and the
items its rendering read, each with the digest of its value
(``Catalog.recording``), and is used only while every one is unchanged
(``Catalog.unchanged``): an edit to one catalogue item re-renders the
modules that read it and no other.  Importing this module loads neither
SymPy, ``derive`` nor Jinja.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from .rendering import checked, module_renderers, spec_files

if TYPE_CHECKING:
    from derive.catalog.registry import Catalog

    from .output_cache import Inputs

__all__ = ["render_modules", "write_entry"]


def _base(inputs: Inputs, catalog: Catalog, definitions: set[Path], specs: set[Path]) -> list[str]:
    """The key's lines every module shares: ``inputs`` but the definition and spec files, and the catalogue's names."""
    files = [f"{path}\0{digest}" for path, digest in inputs.files if path not in definitions and path not in specs]
    return [*inputs.environment, *files, *(f"{catalog.kind(name)}\0{name}" for name in catalog.names())]


def _key(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _read(entry: Path) -> tuple[dict[str, str], str] | None:
    """The reads and text stored in ``entry``, or None when there is none or it is not in that form."""
    try:
        with open(entry, encoding="utf-8") as stream:
            stored = json.load(stream)
    except (OSError, ValueError):
        return None
    if not (isinstance(stored, dict) and isinstance(stored.get("reads"), dict) and isinstance(stored.get("text"), str)):
        return None
    reads = stored["reads"]
    if not all(isinstance(name, str) and isinstance(digest, str) for name, digest in reads.items()):
        return None
    return reads, stored["text"]


def write_entry(entry: Path, payload: object, older: str = "*.json") -> None:
    """Store ``payload`` as JSON in ``entry`` atomically, then delete the entries beside it matching ``older``.

    A read-only checkout skips it: the cache only saves time.
    """
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream)
        os.replace(temporary, entry)
    except OSError:
        return
    finally:
        Path(temporary).unlink(missing_ok=True)
    for old in entry.parent.glob(older):
        if old != entry:
            with suppress(OSError):
                old.unlink()


def render_modules(
    spec_dir: Path, cache_dir: Path, inputs: Inputs, rebuild: str | None = None, catalog: Catalog | None = None,
) -> tuple[dict[str, str], Callable[[], None]]:
    """Every module ``render_all`` gives for ``spec_dir``, each from ``cache_dir`` or rendered, and how to store them.

    ``inputs`` were read before anything was imported or rendered;
    ``rebuild`` as in ``render_all``; ``catalog`` by default the built-in
    one.  The second value stores the entries of the modules rendered that
    read only kept items; the caller calls it once it knows that no input
    changed meanwhile.
    """
    from derive.catalog.recipe_digest import definition_files
    from derive.catalog.standard import CATALOG

    catalog = CATALOG if catalog is None else catalog
    with catalog.recording() as spec_reads:  # the parameters a spec may set are read from its items
        specs = spec_files(catalog, spec_dir)
    renderers = module_renderers(catalog, list(specs.values()), rebuild=rebuild)
    digests = dict(inputs.files)
    base = _base(inputs, catalog, definition_files(), set(specs))
    own = {"__init__.py": ["networks", *(spec.name for spec in specs.values())]}
    networks = {f"{spec.name}.py": path for path, spec in specs.items()}
    own |= {name: [f"spec\0{path}\0{digests.get(path, 'missing')}"] for name, path in networks.items()}
    files, rendered = {}, []
    for name, render in renderers.items():
        entry = cache_dir / f"{name}-{_key([*base, name, *own.get(name, [])])}.json"
        stored = _read(entry)
        if stored is not None and catalog.unchanged(stored[0]):
            files[name] = stored[1]
            continue
        with catalog.recording() as reads:
            files[name] = render()
        reads = {**(spec_reads if name in networks else {}), **reads}
        if None not in reads.values():
            rendered.append((entry, reads, files[name]))

    def store() -> None:
        for entry, reads, text in rendered:
            write_entry(entry, {"reads": reads, "text": text}, older=f"{entry.name.rpartition('-')[0]}-*.json")

    return checked(files), store
