"""Measure one case: its largest error in ulps and every point where it misbehaves.

The generated function runs under ``np.errstate`` raising on overflow,
division by zero and invalid operations, with any other ``RuntimeWarning``
raised too; underflow is allowed, because a correct float64 result may be
subnormal or 0.  A point where the function raises or returns a non-finite
value is a violation, reported rather than raised, so one run shows every
problem; so is a function missing from a stale ``generated/`` (a
``LookupError`` at every point).  Points outside the function's float64
domain (its reference is complex, undefined or beyond ``finfo.max``) are
skipped.
"""

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .cases import Case
from derive.stability.ulp import ulp_error

__all__ = ["Violation", "Measurement", "measure"]

#: Floating-point errors that count as warnings; underflow does not.
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}
_FAILURES = (ArithmeticError, RuntimeWarning, LookupError)


@dataclass(frozen=True)
class Violation:
    """At ``point`` the function raised ``problem`` or returned a non-finite value."""

    point: float
    problem: str


@dataclass(frozen=True)
class Measurement:
    """The largest ulp error of a case, the point where it occurs (None when every result
    is exact), how many points were in its domain, and the violations.

    Plain data, with the case's ``label``, ``form``, ``variable`` and
    ``found_by`` copied, so that it can come back from a worker process.
    """

    label: str
    form: str
    variable: str
    max_ulp: float
    where: float | None
    points: int
    violations: tuple[Violation, ...]
    found_by: str


def strict(evaluate: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> np.ndarray:
    """``evaluate(points)`` with floating-point warnings raised as errors (underflow allowed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(**STRICT):
            return evaluate(points)


def _outputs(evaluate: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> list[np.ndarray | str]:
    """Per point, the values or the error raised; one call for all points unless some point raises."""
    try:
        return list(strict(evaluate, points))
    except _FAILURES:
        return [_one(evaluate, points[k:k + 1]) for k in range(len(points))]


def _one(evaluate: Callable[[np.ndarray], np.ndarray], point: np.ndarray) -> np.ndarray | str:
    """The values at a one-point array, or the error it raised as text."""
    try:
        return strict(evaluate, point)[0]
    except _FAILURES as error:
        return f"{type(error).__name__}: {error}"


def measure(case: Case, points: np.ndarray) -> Measurement:
    """Compare ``case`` with its reference at every point of its domain among ``points``."""
    worst, where, measured, violations = 0.0, None, 0, []
    for point, output in zip(points.tolist(), _outputs(case.evaluate, points)):
        expected = case.reference(point)
        if expected is None:
            continue
        measured += 1
        if isinstance(output, str):
            violations.append(Violation(point, output))
        elif not np.all(np.isfinite(output)):
            violations.append(Violation(point, f"returned {np.asarray(output).tolist()}"))
        else:
            error = max(ulp_error(c, r) for c, r in zip(np.ravel(output).tolist(), expected))
            if error > worst:
                worst, where = error, point
    return Measurement(
        case.label, case.form, case.variable, worst, where, measured, tuple(violations), case.found_by,
    )
