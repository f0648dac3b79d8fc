"""Exact values of a function of one variable together with its condition number, each point evaluated once.

The condition number ``|t g'(t) / g(t)|`` says how much ``g`` itself
magnifies a relative error in ``t``: where it exceeds 16, no float64 formula
can promise a few ulp, and the accuracy target does not apply.  ``g'`` is
``sympy.diff`` of the reference (a ``DiracDelta`` of a sign's kink taken as
0, as between kinks); at a zero of ``g`` the number is 1 at ``t = 0`` (the
limit for a simple zero there) and infinite elsewhere, as it is where ``g'``
has no float64 value.
"""

import mpmath
from sympy import DiracDelta, Expr, S, Symbol, diff

from derive.stability.reference import Reference

__all__ = ["Conditioned"]


class Conditioned:
    """``g``'s settled mpmath value at a float64 point (a one-entry list, as from a ``Reference``), and its condition.

    Values are kept per point, so measuring a function, asking for its
    condition numbers and measuring again on part of its points evaluates
    ``g`` once per point (and ``g'`` once, where the condition is asked for).
    """

    def __init__(self, function: Expr, t: Symbol) -> None:
        slope = diff(function, t).replace(lambda e: isinstance(e, DiracDelta), lambda e: S.Zero)
        self._value, self._slope = Reference([function], t), Reference([slope], t)
        self._settled: dict[float, list[mpmath.mpf] | None] = {}

    def __call__(self, t: float) -> list[mpmath.mpf] | None:
        """``[g(t)]``, or None outside the float64 domain."""
        if t not in self._settled:
            self._settled[t] = self._value(t)
        return self._settled[t]

    def condition(self, t: float) -> float | None:
        """``|t g'(t) / g(t)|``, or None outside the float64 domain of ``g``."""
        value = self(t)
        if value is None:
            return None
        slope = self._slope(t)
        if slope is None:
            return float("inf")
        if value[0] == 0:
            return 1.0 if t == 0 else float("inf")
        return float(abs(mpmath.mpf(t) * slope[0] / value[0]))
