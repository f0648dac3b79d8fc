"""The network specs the commands know by name, derived into Programs on request.

A name is a file stem in ``specs/`` (``example1``); a path to any ``.toml``
spec works too.  Unknown names raise ``KeyError`` with the known ones.
"""

from pathlib import Path

from derive.catalog.standard import CATALOG
from derive.catalog.registry import Catalog
from derive.program.build import derive_network
from derive.program.network import Program
from derive.spec import SPEC_DIR, load_spec

__all__ = ["network_paths", "load_program"]


def network_paths(spec_dir: Path = SPEC_DIR) -> dict[str, Path]:
    """Spec name -> file, sorted by name."""
    return {path.stem: path for path in sorted(spec_dir.glob("*.toml"))}


def load_program(name: str, catalog: Catalog = CATALOG) -> Program:
    """The derivation of the spec called ``name`` in ``specs/``, or of the spec file at ``name``."""
    known = network_paths()
    path = known.get(name)
    if path is None and name.endswith(".toml") and Path(name).is_file():
        path = Path(name)
    if path is None:
        raise KeyError(f"unknown network {name!r}; networks: {', '.join(known)} (or a path to a spec .toml)")
    spec = load_spec(path, catalog.vocabulary())
    return derive_network(spec, catalog)
