"""Compiled network modules (``--target numba``) written to a folder and imported from their file."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from codegen.rendering import render_numba_network
from derive.catalog.registry import CATALOG
from derive.spec import NetworkSpec


def imported(path: Path) -> ModuleType:
    """The module of the file ``path``, imported under the file's name as ``import`` would."""
    loader = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(loader)
    sys.modules[path.stem] = module
    loader.loader.exec_module(module)
    return module


def load_compiled(spec: NetworkSpec, folder: Path) -> ModuleType:
    """``spec``'s compiled module, written to ``folder`` under the spec's name and imported from there."""
    path = folder / f"{spec.name}.py"
    path.write_text(render_numba_network(spec, CATALOG), encoding="utf-8")
    return imported(path)
