"""docs/plots/NAME.png: each activation and its derivative, drawn from the derivation.

The curves are SymPy's own values of ``definition`` and ``derivative`` (the
raw ``sympy.diff`` result), parameters at their defaults, at evenly spaced
inputs; matplotlib (the ``docs`` extra) only draws them, through a ``Figure`` of its own
rather than pyplot, so no display or global state is involved.  Points where a
function has no real value are left as gaps.
"""

import math
from pathlib import Path

from matplotlib.figure import Figure
from sympy import Expr, Float, Rational

from derive.catalog.activations import Activation
from derive.catalog.standard import CATALOG
from derive.catalog.registry import Catalog
from derive.presentation.docs import PLOTS
from derive.core.symbols import x

__all__ = ["curve", "plot", "write_plots"]

#: Inputs from -4 to 4 in steps of 1/20.
INPUTS = [Rational(step, 20) for step in range(-80, 81)]


def curve(activation: Activation, expr: Expr) -> list[float]:
    """``expr`` (in ``x`` and the activation's parameters) at every input, NaN where it is not real."""
    defaults = {p.symbol: Float(p.default) for p in activation.params}
    values = []
    for point in INPUTS:
        value = expr.xreplace({x: point, **defaults}).evalf(20)
        values.append(float(value) if value.is_extended_real and value.is_finite else math.nan)
    return values


def plot(activation: Activation, path: Path) -> None:
    """Draw f and f' of ``activation`` into the PNG ``path``."""
    inputs = [float(point) for point in INPUTS]
    figure = Figure(figsize=(6, 4), dpi=100)
    axes = figure.subplots()
    axes.plot(inputs, curve(activation, activation.definition), label="f(x)")
    axes.plot(inputs, curve(activation, activation.derivative), label="f′(x)", linestyle="--")
    axes.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.set_title(f"{activation.name} and its derivative")
    axes.set_xlabel("x")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, format="png", metadata={"Software": None})


def write_plots(directory: Path = PLOTS, catalog: Catalog = CATALOG) -> list[Path]:
    """One PNG per activation of the catalogue; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for activation in catalog.activations():
        path = directory / f"{activation.name}.png"
        plot(activation, path)
        paths.append(path)
    return paths
