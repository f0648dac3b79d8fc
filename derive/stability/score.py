"""How accurate a form is on a ``Sample``: the measure a search ranks candidate forms by.

Errors are in ulps of the exact value (``derive.stability.ulp``), computed
for every point at once from the rounded exact value and its remainder.  A
form is ranked by, in order: its failures (a warning, an error, NaN or inf
where the exact value is finite), its inaccurate points (beyond
``ACCURATE_ULPS`` where the function is well conditioned), and its mean
error in bits, Herbie's measure, to a tenth of a bit.
"""

from dataclasses import dataclass

import numpy as np
from sympy import Expr, Symbol

from derive.stability.float64 import float64_function, values_at
from derive.stability.sample import Sample

__all__ = ["ACCURATE_ULPS", "Score", "score", "errors_in_ulps"]

#: The error a form may have where the function is well conditioned.
ACCURATE_ULPS = 4.0
#: An error this large (in ulps) leaves no correct digit: the result is off by as much as the value.
DIGITLESS_ULPS = 2.0**52


@dataclass(frozen=True)
class Score:
    """The accuracy of one form: failures, inaccurate points, mean bits of error, and the worst point."""

    failures: int
    inaccurate: int
    digitless: int
    mean_bits: float
    max_ulp: float
    worst: float | None
    failing: tuple[float, ...]
    inaccurate_at: tuple[float, ...]

    @property
    def rank(self) -> tuple[int, int, float]:
        """Smaller is better: failures, then points lost (inaccurate where well conditioned, or without one
        correct digit anywhere), then mean bits to a tenth.

        A point with no correct digit counts even where the function is ill
        conditioned: a form exact where it is easy and 0 in a tail where the
        value is 1e-20 is not the better form.
        """
        return self.failures, self.inaccurate + self.digitless, round(self.mean_bits, 1)

    @property
    def meets_targets(self) -> bool:
        """No failure, and within ``ACCURATE_ULPS`` wherever the function is well conditioned."""
        return self.failures == 0 and self.inaccurate == 0


def errors_in_ulps(computed: np.ndarray, sample: Sample) -> np.ndarray:
    """``|computed - exact|`` in ulps of the exact value at each point (inf where ``computed`` is not finite)."""
    with np.errstate(all="ignore"):
        error = np.abs((computed - sample.rounded) - sample.remainder) / sample.spacing
    return np.where(np.isfinite(computed), error, np.inf)


def score(form: Expr, x: Symbol, sample: Sample) -> Score:
    """Evaluate ``form`` in float64 at the sample's points and rank it against the exact values."""
    computed = values_at(float64_function(form, x), sample.points)
    error = errors_in_ulps(computed, sample)
    failed = ~np.isfinite(computed)
    inaccurate = sample.well_conditioned & ~failed & (error > ACCURATE_ULPS)
    digitless = ~sample.well_conditioned & ~failed & (error >= DIGITLESS_ULPS) & (sample.spacing > 2.0**-1074)
    finite_error = np.where(failed, 0.0, error)
    bits = np.log2(1.0 + finite_error)
    conditioned_error = np.where(sample.well_conditioned & ~failed, error, 0.0)
    worst = int(np.argmax(conditioned_error)) if len(error) else None
    return Score(
        failures=int(failed.sum()),
        inaccurate=int(inaccurate.sum()),
        digitless=int(digitless.sum()),
        mean_bits=float(bits.mean()) if len(bits) else 0.0,
        max_ulp=float(conditioned_error.max()) if len(error) else 0.0,
        worst=None if worst is None or conditioned_error[worst] == 0 else float(sample.points[worst]),
        failing=tuple(sample.points[failed].tolist()),
        inaccurate_at=tuple(sample.points[inaccurate].tolist()),
    )
