"""Render every generated module in memory, from the catalogue and the specs, and check it compiles.

``render_all`` prints the catalogue modules and one module per spec, each
by its function of ``module_renderers``; ``render_network`` one spec's module alone.  The rendering stack
(``derive``, the printer, Jinja) is imported inside the functions that
render, never at module level, so that a hit of the output cache
(``codegen.output_cache``) imports none of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GenerationError
from .paths import ROOT, SPECS, TEMPLATES

if TYPE_CHECKING:
    from jinja2 import Environment

    from derive.catalog.registry import Catalog
    from derive.spec import NetworkSpec

__all__ = [
    "checked", "load_specs", "spec_files", "module_renderers", "render_all", "render_network", "render_numba_network",
]

_CATALOGUE_MODULES = ("__init__", "activations", "losses", "penalties", "initializers")


def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )


def _catalogue(catalog: Catalog | None) -> Catalog:
    """``catalog``, or the built-in one (imported here: it loads SymPy and derives)."""
    from derive.catalog.standard import CATALOG

    return CATALOG if catalog is None else catalog


def load_specs(catalog: Catalog | None = None, spec_dir: Path = SPECS) -> list[NetworkSpec]:
    """Every spec in ``spec_dir``, sorted by file name, checked against ``catalog`` (default: the built-in one)."""
    return list(spec_files(catalog, spec_dir).values())


def spec_files(catalog: Catalog | None = None, spec_dir: Path = SPECS) -> dict[Path, NetworkSpec]:
    """``load_specs`` by the file each spec was read from."""
    from derive.spec import load_spec

    catalog = _catalogue(catalog)
    specs = {}
    for path in sorted(spec_dir.glob("*.toml")):
        display = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
        specs[path] = load_spec(path, catalog.vocabulary(), display=display)
    return specs


def render_all(
    catalog: Catalog | None = None, specs: list[NetworkSpec] | None = None, *, rebuild: str | None = None,
) -> dict[str, str]:
    """File name -> source of every generated module (default: the built-in catalogue and ``specs/``).

    ``rebuild`` as in ``render_network``, for every module: an installed
    symprop's ``generate --out DIR`` names itself, as ``make generate`` is
    no command of the user's.
    """
    catalog = _catalogue(catalog)
    renderers = module_renderers(catalog, load_specs(catalog) if specs is None else specs, rebuild=rebuild)
    return checked({name: render() for name, render in renderers.items()})


def module_renderers(
    catalog: Catalog, specs: list[NetworkSpec], *, rebuild: str | None = None,
) -> dict[str, Callable[[], str]]:
    """File name -> a function rendering that module of ``render_all``, so that each can be rendered alone.

    The specs' names are checked here, before anything is rendered.
    """
    from .catalogue_module import (
        activation_functions, initializer_functions, loss_functions, penalty_functions, vector_functions,
    )
    from .helpers import helper_functions, printed_expressions
    from .runtime_source import runtime_source

    environment = _environment()
    environment.globals["rebuild"] = rebuild
    for spec in specs:
        _check_name(spec)
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise GenerationError(f"two specs share a name: {sorted(n for n in names if names.count(n) > 1)[0]!r}")
    functions = environment.get_template("functions.py.j2")
    functions.globals["runtime"] = runtime_source
    source = "derive/catalog/standard.py (the catalogue)"
    renderers = {
        "__init__.py": lambda: environment.get_template("init.py.j2").render(networks=names, source="specs/"),
        "activations.py": lambda: functions.render(
            source=source,
            title="Activation functions with the seed notebook's signatures.",
            summary=(
                "Each function is printed from one SymPy definition in the catalogue; its derivative is\n"
                "derived by SymPy, written in terms of the output where that form is proven."
            ),
            functions=activation_functions(catalog.activations()) + vector_functions(catalog.vector_functions()),
            helpers=helper_functions(printed_expressions(catalog.activations() + catalog.vector_functions())),
        ),
        "losses.py": lambda: functions.render(
            source=source,
            title="Losses with the seed notebook's signatures: ``loss(targets, predictions, derivative=False)``.",
            summary=(
                "Costs and gradients are printed from SymPy; every gradient is the true gradient of\n"
                "the cost the function returns.  Arguments are never modified."
            ),
            functions=loss_functions(catalog.losses()),
            helpers=helper_functions(printed_expressions(catalog.losses())),
        ),
        "penalties.py": lambda: functions.render(
            source=source,
            title="Weight penalties: ``name(w, strength, derivative=False)``, added to a loss.",
            summary="Each cost and gradient is printed from SymPy.",
            functions=penalty_functions(catalog.penalties()),
            helpers=helper_functions(printed_expressions(catalog.penalties())),
        ),
        "initializers.py": lambda: environment.get_template("initializers.py.j2").render(
            source=source, functions=initializer_functions(catalog.initializers()),
        ),
    }
    for spec in specs:
        renderers[f"{spec.name}.py"] = partial(_network_source, spec, catalog, environment, rebuild)
    return renderers


def checked(files: dict[str, str]) -> dict[str, str]:
    """``files``, once each is known to be valid Python; GenerationError names the first that is not."""
    for name, text in files.items():
        _check_syntax(name, text)
    return files


def render_network(spec: NetworkSpec, catalog: Catalog | None = None, *, rebuild: str | None = None) -> str:
    """The source of ``spec``'s module alone: derives only the catalogue items the spec uses.

    ``rebuild``, the one-line command that writes this module again
    (``symprop network my.toml -o my_net.py``), goes in its header in place
    of ``make generate``, which rebuilds only ``generated/``.
    """
    _check_name(spec)
    text = _network_source(spec, _catalogue(catalog), _environment(), rebuild)
    _check_syntax(f"{spec.name}.py", text)
    return text


def render_numba_network(spec: NetworkSpec, catalog: Catalog | None = None, *, rebuild: str | None = None) -> str:
    """The source of ``spec``'s compiled module (``--target numba``, ``codegen.numba_module``); never in ``generated/``."""
    from derive.program.build import derive_network

    from .numba_module import numba_source, refuse_unsupported

    _check_name(spec)
    refuse_unsupported(spec)
    return numba_source(derive_network(spec, _catalogue(catalog)), rebuild)


def _check_name(spec: NetworkSpec) -> None:
    """Refuse a spec named as a catalogue module: in generated/ one would overwrite the other."""
    if spec.name in _CATALOGUE_MODULES:
        raise GenerationError(f"{spec.source}: name: {spec.name!r} is taken by a catalogue module")


def _network_source(spec: NetworkSpec, catalog: Catalog, environment: Environment, rebuild: str | None = None) -> str:
    """``spec``'s module printed from its derived program; ``rebuild`` as in ``render_network``."""
    from derive.program.build import derive_network

    from .network_module import network_module
    from .trainer import trainer_code

    program = derive_network(spec, catalog)
    return environment.get_template("network.py.j2").render(
        m=network_module(program), t=trainer_code(program), source=f"{spec.source} via derive/program/build.py",
        rebuild=rebuild,
    )


def _check_syntax(name: str, text: str) -> None:
    """Refuse a generated file that is not valid Python, before anything is written."""
    try:
        compile(text, name, "exec")
    except SyntaxError as error:
        raise GenerationError(f"generated {name} is not valid Python ({error}); nothing was written") from error
