"""Errors in units in the last place (ulp) of float64, against a high-precision reference.

The ulp of a reference ``r`` is ``np.spacing(|float(r)|)``, the gap between
float64 numbers at the rounded reference.  Below the normal range (a
reference that is subnormal or rounds to 0) the gap is the smallest
subnormal, 2**-1074, so an underflowed result is judged by its absolute
error in subnormal steps: returning 0 for 1e-320 costs about 2000 ulp,
returning 0 for 1e-330 costs nothing.  Above ``finfo.max`` the gap at
``finfo.max`` is used.  A correctly rounded result is within 0.5 ulp.
"""

import mpmath
import numpy as np

__all__ = ["FLOAT64_MAX", "ulp", "ulp_error"]

FLOAT64_MAX = float(np.finfo(np.float64).max)
# The spacing at finfo.max itself overflows to inf; its predecessor has the same spacing, 2**971.
_BELOW_MAX = float(np.nextafter(FLOAT64_MAX, 0.0))


def ulp(reference: mpmath.mpf) -> float:
    """The float64 spacing at ``reference``, floored at 2**-1074 and capped at the spacing of ``finfo.max``."""
    return float(np.spacing(min(abs(float(reference)), _BELOW_MAX)))


def ulp_error(computed: float, reference: mpmath.mpf) -> float:
    """``|computed - reference|`` in ulps of the reference (0 when both are exactly 0)."""
    return float(abs(mpmath.mpf(float(computed)) - reference) / ulp(reference))
