"""The float64 points every function is measured at: fixed, so the table is the same on every run.

Four parts, sorted and without repeats:

* a dense grid over [-750, 750] in steps of 0.25, and over [-40, 40] in
  steps of 0.02, where most functions bend or saturate;
* near 0, both signs: every power of two from 2**-1074 (the smallest
  subnormal) to 1, and as many points spaced evenly in log between them;
* extremes: ±finfo.max, ±1e300, ±1e154 (whose square overflows), ±709.79
  and ±745.2 (where exp overflows and underflows), ±37 and ±40 (where
  float64 sigmoid-like functions saturate) and other round magnitudes;
* the kinks of a function (where a piecewise form switches) with the
  float64 neighbours on either side.
"""

from collections.abc import Iterable

import numpy as np
from sympy import Expr, Float, Poly, PolynomialError, Symbol
from sympy.core.relational import Relational

from derive.core.stable_forms import Clamp
from derive.core.symbols import x

__all__ = ["around", "float64_grid", "kinks"]

_MAX = float(np.finfo(np.float64).max)

_MAGNITUDES = [_MAX, 1e300, 1e200, 1e154, 1e100, 1e20, 1e10, 1e5, 1000.0, 745.2, 709.79, 100.0, 40.0, 37.0, 20.0]

#: Large inputs of both signs, and 0.
_EXTREMES = np.array(sorted([-m for m in _MAGNITUDES] + [0.0] + _MAGNITUDES))


def _near_zero() -> np.ndarray:
    powers = np.ldexp(1.0, np.arange(-1074, 1))
    magnitudes = np.concatenate([powers, np.geomspace(powers[0], 1.0, len(powers))])
    return np.concatenate([-magnitudes, magnitudes])


def around(points: Iterable[float]) -> np.ndarray:
    """Each point with its float64 neighbours below and above."""
    points = np.asarray(list(points), dtype=np.float64)
    return np.concatenate([np.nextafter(points, -np.inf), points, np.nextafter(points, np.inf)])


def float64_grid(kinks: Iterable[float] = ()) -> np.ndarray:
    """The sorted, unique measurement points, with ``kinks`` and their neighbours added."""
    parts = [
        np.linspace(-750.0, 750.0, 6001),
        np.linspace(-40.0, 40.0, 4001),
        _near_zero(),
        _EXTREMES,
        around(kinks),
    ]
    return np.unique(np.concatenate(parts))


def kinks(exprs: tuple[Expr, ...], defaults: dict[Symbol, Float]) -> tuple[float, ...]:
    """Where a form switches: a comparison of ``x`` with a constant flips (0 for
    ``x <= 0``), or a ``Clamp`` of ``x`` starts to hold it at its bound.
    """
    points = set()
    for expr in exprs:
        expr = expr.xreplace(defaults)
        for clamp in expr.atoms(Clamp):
            points |= {-float(clamp.args[1]), float(clamp.args[1])}
        for relation in expr.atoms(Relational):
            try:
                line = Poly(relation.lhs - relation.rhs, x)
            except PolynomialError:
                continue
            if line.degree() == 1 and not line.free_symbols - {x}:
                slope, offset = line.all_coeffs()
                points.add(float(-offset / slope))
    return tuple(sorted(points))
