"""symprop's public API: the catalogue, specs, derived networks, their NumPy modules and walk-throughs.

::

    import symprop

    spec = symprop.load_spec("my.toml")          # or symprop.example("example2")
    program = symprop.derive_network(spec)       # the straight-line program, derived by SymPy
    source = symprop.render_network(spec)        # its NumPy module, as text
    print(symprop.explain("example1", "w2[0,0]"))  # one gradient, step by step, with numbers
    symprop.catalog().names("activation")        # every built-in (and extension) activation
    x, labels = symprop.load_iris()              # a small real dataset that ships with symprop
    print(symprop.derivation("sigmoid"))         # any name `symprop list` prints, as readable text
    symprop.plot_history(history, "curves.png")  # the curves of a generated module's fit (matplotlib)

Every function imports what it needs when it is called, so ``import symprop``
loads neither SymPy nor Jinja.  ``derive`` (the mathematics) and ``codegen``
(the printing) stay importable for everything else; the ``symprop`` command
(``symprop.cli``) runs their command lines.  Where symprop reads and writes
is decided in ``symprop.locations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from matplotlib.figure import Figure

    from derive.catalog.registry import Catalog
    from derive.program.derivations import Derivation
    from derive.program.network import Program
    from derive.spec.model import NetworkSpec

__all__ = [
    "catalog", "examples", "example", "load_spec", "derive_network", "render_network", "explain", "load_iris",
    "derivation_names", "derivation", "plot_history",
]


def catalog() -> Catalog:
    """The catalogue: the built-in items and those of the extensions, each derived when first asked for."""
    from derive.catalog.standard import CATALOG

    return CATALOG


def examples() -> dict[str, Path]:
    """The example specs that ship with symprop, by name (``example1``, ``example2``)."""
    from symprop.locations import SPECS

    return {path.stem: path for path in sorted(SPECS.glob("*.toml"))}


def example(name: str) -> NetworkSpec:
    """The example spec ``name``, read and checked; KeyError lists the names."""
    known = examples()
    if name not in known:
        raise KeyError(f"unknown example {name!r}; examples: {', '.join(known)}")
    return load_spec(known[name])


def load_spec(path: str | Path) -> NetworkSpec:
    """The network spec in the TOML file ``path``, checked against the catalogue (``derive.spec.SpecError``)."""
    from derive.spec import load_spec as read

    return read(Path(path), catalog().vocabulary())


def derive_network(spec: NetworkSpec) -> Program:
    """The network's program: forward pass, loss, every gradient and the update, derived by SymPy."""
    from derive.program.build import derive_network as derive

    return derive(spec, catalog())


def render_network(spec: NetworkSpec) -> str:
    """The source of the network's NumPy module, which imports NumPy alone."""
    from codegen.rendering import render_network as render

    return render(spec, catalog())


def explain(
    network: str | Path | NetworkSpec,
    parameter: str,
    format: str = "text",
    *,
    data: str | Path | Mapping[str, np.ndarray] | None = None,
    params: str | Path | Mapping[str, np.ndarray] | None = None,
    seed: int | None = None,
) -> str:
    """The walk-through of backpropagation to ``parameter`` (``"w2[0,0]"``), with numbers.

    ``network`` is an example's name, a spec file or a spec; ``format`` is
    ``text``, ``md`` or ``tex``.  The numbers are the spec's ``[example]``,
    or ``data`` (``x`` and ``y``; ``y`` may hold integer class labels) and
    ``params`` (by name), each a mapping of arrays or an ``.npz`` file;
    ``seed`` takes the parameters ``init_params(seed)`` of the network's
    module draws.  Every row is traced at 30 digits, so give a few rows.
    """
    from derive.presentation.walkthrough_build import explain as walk
    from derive.presentation.walkthrough_text import render
    from derive.program.trace import trace
    from derive.program.trace_inputs import trace_arrays
    from symprop.initial_parameters import draw_initial_parameters

    if isinstance(network, str) and network in examples():
        network = example(network)
    elif isinstance(network, (str, Path)):
        network = load_spec(network)
    if seed is not None and params is not None:
        raise ValueError("give the parameters one way: params or seed, not both")
    if seed is not None:
        params = draw_initial_parameters(network, seed)
    program = derive_network(network)
    return render(walk(program, parameter, trace(program, trace_arrays(program, data, params))), format)


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris data, shipped with symprop: ``x`` (150, 4) in cm and integer ``labels`` (150,) in 0..2."""
    from symprop.datasets import load_iris as load

    return load()


def derivation_names() -> list[str]:
    """Every name ``symprop list`` prints: the catalogue, ``dense``, ``training_layers``, then the examples."""
    from derive.program.derivations import derivation_names as names

    return names(catalog())


def derivation(name: str) -> Derivation:
    """The derivation called ``name``, one of ``derivation_names()``; ``print`` it to read it.

    KeyError suggests the closest names and lists them all.
    """
    from derive.program.derivations import derivation as fetch

    return fetch(name, catalog())


def plot_history(history: dict, path: str | Path) -> Figure:
    """Draw the curves of ``history`` (what a generated module's ``fit`` returns) into the PNG ``path``.

    One panel for the cost and one per metric, validation beside training;
    needs matplotlib (``pip install 'symprop[plot]'``).  Returns the figure.
    """
    from symprop.history_plot import plot_history as draw

    return draw(history, Path(path))
