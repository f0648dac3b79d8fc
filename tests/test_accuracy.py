"""Every generated catalogue function against mpmath: accurate at fixed points, finite at extremes.

The cases come from ``tools.cases``, which enumerates the catalogue, so a new
item is tested here without new test code.  The reference is the item's SymPy
definition (or ``sympy.diff`` of it) at 50 digits or more; errors are in ulps
as ``derive.stability.ulp`` defines them.  Known shortfalls are listed below with their
reason and the point they are at: every other point keeps the tolerance, the
known point keeps its documented bound, and an entry whose point has become
accurate fails until it is deleted.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from derive.catalog.registry import CATALOG
from tools.cases import catalogue_cases
from tools.measure import measure

CASES = {case.label: case for case in catalogue_cases(CATALOG)}

#: Short formulas of correctly rounded operations (exp, a division, a product)
#: stay within about one ulp each; four leaves room for three of them.
TOLERANCE_ULPS = 4.0
FIXED_POINTS = np.array([-30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0])

#: Longer formulas get a wider tolerance: (ulps, why, and what was measured when it was set).
WIDER_TOLERANCE = {
    "gelu′": (8.0, "Phi(x) + x*phi(x) subtracts 0.24 from 0.16 at x = -1: 5.5 ulp (NumPy 2.4, x86-64)"),
    "gelu_tanh′": (8.0, "tanh of a cubic, its square and three products: 3.6 ulp at x = -1 (NumPy 2.4, x86-64)"),
}

_MAX = float(np.finfo(np.float64).max)
_SUBNORMAL = float(np.finfo(np.float64).smallest_subnormal)
EXTREMES = np.array([-_MAX, -1e300, -750.0, -_SUBNORMAL, 0.0, _SUBNORMAL, 750.0, 1e300, _MAX])

@dataclass(frozen=True)
class Shortfall:
    """A point of FIXED_POINTS where a function's current form misses TOLERANCE_ULPS: the error
    measured there stays at most ``ulps``, for the stated ``reason``."""

    point: float
    ulps: float
    reason: str


#: Where a probability p is within 1e-13 of 1, a rounded p - 1 or log(p) keeps almost no correct
#: digit.  Each bound is the error measured when it was set (NumPy 2.4, x86-64), rounded up.
_ROUNDED_ONE = "a rounded probability within 1e-13 of 1"
INACCURATE: dict[str, tuple[Shortfall, ...]] = {
    "gelu": (Shortfall(-30.0, 250.0, "x*Phi(x) with Phi(x) ~ 1e-198 from the erfc fit of _normal_cdf: 206 ulp"),),
    "softmax′ (Jacobian diagonal)": tuple(
        Shortfall(t, 8e12, f"output form s*(1 - s) takes 1 - s of {_ROUNDED_ONE}: 7.6e12 ulp") for t in (-30.0, 30.0)
    ),
    "softmax_vjp": (
        Shortfall(30.0, 8e12, f"s*(g - sum(g*s)), g = [1, 0, 0], takes 1 - s0 of {_ROUNDED_ONE}: 7.6e12 ulp"),
    ),
    "log_softmax": tuple(
        Shortfall(t, 8e12, f"x_shifted - log(sum(exp(x_shifted))) is a log of {_ROUNDED_ONE}: 7.6e12 ulp")
        for t in (-30.0, 30.0)
    ),
    "log_softmax′ (Jacobian diagonal)": tuple(
        Shortfall(t, 8e12, "-expm1(s) of log_softmax's rounded s: 7.6e12 ulp") for t in (-30.0, 30.0)
    ),
    "log_softmax_vjp": (
        Shortfall(-30.0, 12.0, "g - sum(g)*exp(s) of log_softmax's rounded s, where exp(s) is 1e-13: 8.9 ulp"),
        Shortfall(30.0, 8e12, f"g - sum(g)*exp(s) of log_softmax's rounded s, {_ROUNDED_ONE}: 7.6e12 ulp"),
    ),
    "softmax_neg_log_likelihood": (
        Shortfall(30.0, 1.2e12, f"log(sum(exp(shifted))) is a log of {_ROUNDED_ONE}: 1.1e12 ulp"),
    ),
    "softmax_neg_log_likelihood′ (gradient)": (
        Shortfall(30.0, 1.2e12, f"softmax(z) - 1 at the true class of {_ROUNDED_ONE}: 1.1e12 ulp"),
    ),
}
SHORTFALLS = [pytest.param(label, s, id=f"{label.replace('′', chr(39))} at {s.point:g}")
              for label, shortfalls in INACCURATE.items() for s in shortfalls]

#: Functions that raise or return NaN/inf at EXTREMES, and why.
NOT_FINITE: dict[str, str] = {}


def _cases(known: dict[str, str]) -> list:
    """Every case label, those in ``known`` as strict xfails with their reason."""
    return [
        pytest.param(label, marks=pytest.mark.xfail(reason=known[label], strict=True)) if label in known else label
        for label in CASES
    ]


def _id(label: str) -> str:
    return label.replace("′", "'")


def test_known_shortfalls_name_existing_functions():
    assert sorted((INACCURATE.keys() | NOT_FINITE.keys() | WIDER_TOLERANCE.keys()) - CASES.keys()) == []


def _points_within_tolerance(label: str) -> np.ndarray:
    """FIXED_POINTS without the label's documented shortfalls."""
    known = {s.point for s in INACCURATE.get(label, ())}
    return np.array([t for t in FIXED_POINTS if t not in known])


@pytest.mark.parametrize("label", CASES, ids=_id)
def test_matches_mpmath_within_tolerance_at_fixed_points(label):
    tolerance = WIDER_TOLERANCE[label][0] if label in WIDER_TOLERANCE else TOLERANCE_ULPS
    result = measure(CASES[label], _points_within_tolerance(label))
    assert result.violations == ()
    assert result.max_ulp <= tolerance, f"{result.max_ulp:.3g} ulp at {result.variable} = {result.where!r}"


@pytest.mark.parametrize(("label", "shortfall"), SHORTFALLS)
def test_known_shortfall_stays_within_its_documented_bound(label, shortfall):
    result = measure(CASES[label], np.array([shortfall.point]))
    assert result.violations == ()
    assert result.max_ulp <= shortfall.ulps, f"{result.max_ulp:.3g} ulp; documented: {shortfall.reason}"


@pytest.mark.parametrize(("label", "shortfall"), SHORTFALLS)
def test_known_shortfall_still_misses_the_tolerance(label, shortfall):
    """A shortfall fixed by a better form must leave INACCURATE, so the tolerance guards that point again."""
    assert measure(CASES[label], np.array([shortfall.point])).max_ulp > TOLERANCE_ULPS


@pytest.mark.parametrize("label", _cases(NOT_FINITE), ids=_id)
def test_finite_without_warnings_at_extreme_inputs(label):
    assert measure(CASES[label], EXTREMES).violations == ()
