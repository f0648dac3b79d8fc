"""Saturation found by search: clamp the input of the part of a form that overflows needlessly.

``log1p(exp(-2|x|))`` is 0 in float64 for every ``|x|`` beyond about 373,
yet ``-2|x|`` overflows at ``|x| = 1e308``.  From each operation that fails
at large inputs (innermost first), the search walks out to the first enclosing part whose
exact value stops changing in float64 beyond some bound on both sides, and
clamps ``x`` there (``derive.core.stable_forms.Clamp``): every input beyond
the bound then gives what the bound gives, as the exact function does.
The bound is a power of two; the part is checked at 50 digits over the
whole range beyond it (``derive.core.saturation.saturates``), and the
ledger checks it again.
"""

from functools import cache

import mpmath
import numpy as np
from sympy import Expr, Float, Symbol, lambdify
from sympy.functions.elementary.piecewise import ExprCondPair

from derive.core.saturation import saturates
from derive.core.stable_forms import Clamp, unclamp
from derive.stability.float64 import float64_function, values_at
from derive.stability.localise import operations
from derive.core.spelt_out import spelt_out

__all__ = ["clamped_parts"]

_LARGEST = float(np.finfo(np.float64).max)
#: Failures at inputs this large or larger are the ones a clamp can cut.
_LARGE = 2.0**8


def clamped_parts(form: Expr, x: Symbol, failing: tuple[float, ...]) -> list[tuple[Expr, Expr]]:
    """``(part, clamped part)`` for each enclosing part of a failing operation that saturates, innermost first."""
    large = [p for p in failing if abs(p) >= _LARGE][:8]
    if not large:
        return []
    found = []
    for node in _failing_operations(form, x, large):
        for part in _enclosing(form, node):
            bound = _bound(part, x)
            if bound is None:
                continue
            clamp = Clamp(x, Float(bound))
            clamped = unclamp(part).xreplace({x: clamp})
            if clamped != part and _saturates(clamped, clamp) and (part, clamped) not in found:
                found.append((part, clamped))
            break
    return found


def _failing_operations(form: Expr, x: Symbol, points: list[float]) -> list[Expr]:
    """The operations of ``form`` that fail in float64 at some of ``points``, innermost first.

    Each is evaluated whole, in the order the printers write it: ``4*x*...``
    overflows in ``4*x`` before the small factors after it are applied.
    """
    at = np.array(points)
    return [node for node in operations(form, x)[::-1]
            if np.isnan(values_at(float64_function(node, x), at)).any()]


def _enclosing(form: Expr, node: Expr) -> list[Expr]:
    """``node`` and each part of ``form`` that contains it, innermost first."""
    chain = [form]
    while chain[-1] != node:
        inner = [a for a in chain[-1].args if a == node or a.has(node)]
        if not inner:
            return []
        chain.append(inner[0])
    return [part for part in chain[::-1] if not isinstance(part, ExprCondPair)]


@cache
def _saturates(part: Expr, clamp: Clamp) -> bool:
    """``saturates``, remembered: the forms of one search share most of their parts."""
    return saturates(part, clamp)


@cache
def _bound(part: Expr, x: Symbol) -> float | None:
    """The smallest power of two beyond which ``part`` rounds to its value at ``±finfo.max``, on both sides."""
    evaluate = lambdify(x, spelt_out(part), modules="mpmath")

    def rounded(point: float) -> float | None:
        with mpmath.workdps(50):
            try:
                value = evaluate(mpmath.mpf(point))
                return float(value) if isinstance(value, mpmath.mpf) else None
            except (ArithmeticError, ValueError, TypeError):
                return None

    exponents = []
    for sign in (1, -1):
        limit = rounded(sign * _LARGEST)
        if limit is None or not np.isfinite(limit) or rounded(sign * 2.0**1023) != limit:
            return None
        low, high = 1, 1023  # the value at 2**high is the limit; find the smallest such exponent
        while low < high:
            middle = (low + high) // 2
            if rounded(sign * 2.0**middle) == limit:
                high = middle
            else:
                low = middle + 1
        exponents.append(high)
    return 2.0 ** max(exponents)
