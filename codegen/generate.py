"""Render every generated module and write ``generated/`` all at once or not at all.

Files are rendered in memory and compiled first; only when every one
succeeds is a new folder written beside ``generated/`` and swapped in by
renames.  The same inputs give byte-identical files.
"""

import os
import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from derive.builtins import CATALOG
from derive.catalog import Catalog
from derive.network import derive_network
from derive.spec import SPEC_DIR, NetworkSpec, load_spec

from .errors import GenerationError
from .modules import (
    activation_functions, helper_functions, initializer_functions, loss_functions, penalty_functions,
    vector_functions,
)
from .network_module import network_module

__all__ = ["ROOT", "OUTPUT", "render_all", "write_all", "load_specs", "GenerationError"]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "generated"
_CATALOGUE_MODULES = ("__init__", "activations", "losses", "penalties", "initializers")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )


def load_specs(catalog: Catalog = CATALOG, spec_dir: Path = SPEC_DIR) -> list[NetworkSpec]:
    """Every spec in ``spec_dir``, sorted by file name."""
    specs = []
    for path in sorted(spec_dir.glob("*.toml")):
        display = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
        specs.append(load_spec(
            path, activations=catalog.names("activation"), losses=catalog.names("loss"), display=display,
        ))
    return specs


def render_all(catalog: Catalog = CATALOG, specs: list[NetworkSpec] | None = None) -> dict[str, str]:
    """File name -> source of every generated module."""
    specs = load_specs(catalog) if specs is None else specs
    environment = _environment()
    for spec in specs:
        if spec.name in _CATALOGUE_MODULES:
            raise GenerationError(f"{spec.source}: name: {spec.name!r} is taken by a catalogue module")
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise GenerationError(f"two specs share a name: {sorted(n for n in names if names.count(n) > 1)[0]!r}")
    functions = environment.get_template("functions.py.j2")
    files = {
        "__init__.py": environment.get_template("init.py.j2").render(networks=names, source="specs/"),
        "activations.py": functions.render(
            source="derive/builtins.py (the catalogue)",
            title="Activation functions with the seed notebook's signatures.",
            summary=(
                "Each function is printed from one SymPy definition in the catalogue; its derivative is\n"
                "derived by SymPy, written in terms of the output where that form is proven."
            ),
            functions=activation_functions(catalog.activations()) + vector_functions(catalog.vector_functions()),
            helpers=helper_functions(catalog.activations()),
        ),
        "losses.py": functions.render(
            source="derive/builtins.py (the catalogue)",
            title="Losses with the seed notebook's signatures: ``loss(targets, predictions, derivative=False)``.",
            summary=(
                "Costs and gradients are printed from SymPy; every gradient is the true gradient of\n"
                "the cost the function returns.  Arguments are never modified."
            ),
            functions=loss_functions(catalog.losses()),
            helpers=[],
        ),
        "penalties.py": functions.render(
            source="derive/builtins.py (the catalogue)",
            title="Weight penalties: ``name(w, strength, derivative=False)``, added to a loss.",
            summary="Each cost and gradient is printed from SymPy.",
            functions=penalty_functions(catalog.penalties()),
            helpers=[],
        ),
        "initializers.py": environment.get_template("initializers.py.j2").render(
            source="derive/builtins.py (the catalogue)",
            functions=initializer_functions(catalog.initializers()),
        ),
    }
    network = environment.get_template("network.py.j2")
    for spec in specs:
        module = network_module(derive_network(spec, catalog), catalog)
        files[f"{spec.name}.py"] = network.render(m=module, source=f"{spec.source} via derive/network.py")
    for name, text in files.items():
        try:
            compile(text, name, "exec")
        except SyntaxError as error:
            raise GenerationError(f"generated {name} is not valid Python ({error}); nothing was written") from error
    return files


def write_all(files: dict[str, str], output: Path = OUTPUT) -> list[str]:
    """Make ``output`` hold exactly ``files``; return the names that changed.

    The new folder is written beside the old one and swapped in by renames,
    so on any failure ``output`` keeps every file it had.
    """
    existing = {p.name: p.read_text(encoding="utf-8") for p in output.glob("*.py")} if output.is_dir() else {}
    changed = sorted(name for name in files.keys() | existing.keys() if files.get(name) != existing.get(name))
    if not changed:
        return []
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.new-"))
    retired = staging.with_name(staging.name.replace(".new-", ".old-"))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        if output.exists():
            os.rename(output, retired)
        try:
            os.rename(staging, output)
        except OSError:
            if retired.exists():
                os.rename(retired, output)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
    return changed
