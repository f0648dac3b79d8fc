"""The points a search measures a function at, its exact values there, and how well conditioned it is.

A ``Sample`` holds, for each float64 point of ``SEARCH_POINTS`` where the
function is real and within float64 range, the exact value (mpmath at 50
digits or more, ``derive.stability.reference``) split into its rounding to
float64 and the remainder, the float64 spacing that errors are counted in,
and the condition number ``|x f'(x) / f(x)|``: how much the function itself
magnifies a relative error in ``x``.  Where it exceeds ``WELL_CONDITIONED``
no float64 formula can be accurate, and no form is asked to be.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import mpmath
import numpy as np
from sympy import DiracDelta, Expr, S, Symbol, diff

from derive.stability.grid import around
from derive.stability.reference import Reference
from derive.stability.ulp import ulp

__all__ = ["SEARCH_POINTS", "WELL_CONDITIONED", "Sample", "sample"]

#: Condition numbers up to this are "well conditioned": there a form must be accurate.
WELL_CONDITIONED = 16.0

_MAX = float(np.finfo(np.float64).max)


def _search_points() -> np.ndarray:
    """About 1370 points: dense where functions bend and near 0, every 8th power of two, and the extremes.

    The dense steps are not dyadic (80/332, not 1/4): at multiples of 1/4,
    ``x**2`` is exact and would hide the rounding a form suffers elsewhere.
    """
    powers = np.ldexp(1.0, np.arange(-1074, 1024, 8))
    magnitudes = np.concatenate([powers, [_MAX, 1e300, 1e154, 745.2, 709.79, 40.0, 37.0, 20.0, 1e-8]])
    near_zero = np.geomspace(1e-6, 4.0, 97)
    return np.unique(np.concatenate([
        np.linspace(-750.0, 750.0, 307), np.linspace(-40.0, 40.0, 333), -magnitudes, magnitudes, [0.0],
        -near_zero, near_zero,
    ]))


#: The points every search measures at (with a function's kinks and their neighbours added).
SEARCH_POINTS = _search_points()


@dataclass(frozen=True)
class Sample:
    """Exact values of one function at the points of its float64 domain among the sampled ones."""

    points: np.ndarray
    rounded: np.ndarray
    remainder: np.ndarray
    spacing: np.ndarray
    condition: np.ndarray

    @property
    def well_conditioned(self) -> np.ndarray:
        """True at the points where the function's condition number is at most ``WELL_CONDITIONED``."""
        return self.condition <= WELL_CONDITIONED


def sample(function: Expr, x: Symbol, kinks: Iterable[float] = ()) -> Sample:
    """``function`` (of ``x`` alone) measured exactly at ``SEARCH_POINTS`` and at each kink and its neighbours."""
    points = np.unique(np.concatenate([SEARCH_POINTS, around(kinks)]))
    slope = diff(function, x).replace(lambda e: isinstance(e, DiracDelta),
                                      lambda e: S.Zero)
    reference = Reference([function, slope], x)
    kept, rounded, remainder, spacing, condition = [], [], [], [], []
    for point in points.tolist():
        values = reference(point)
        if values is None:
            continue
        value, slope = values
        kept.append(point)
        rounded.append(float(value))
        remainder.append(float(value - mpmath.mpf(float(value))))
        spacing.append(ulp(value))
        condition.append(_condition(point, value, slope))
    arrays = (np.array(a, dtype=np.float64) for a in (kept, rounded, remainder, spacing, condition))
    return Sample(*arrays)


def _condition(point: float, value: mpmath.mpf, slope: mpmath.mpf) -> float:
    """``|x f'(x) / f(x)|``; 1 at ``x = f(x) = 0`` (the limit for a function with a simple zero there), inf at another zero."""
    if value == 0:
        return 1.0 if point == 0 else float("inf")
    return float(abs(mpmath.mpf(point) * slope / value))
