"""Saturation bounds checked at 50 digits: a clamped form gives beyond its bound what it gives at it.

``saturate`` (and ``NORMAL_CDF``) clamp an input ``x`` to ``[-b, b]``: valid
when every ``x`` beyond ``±b`` gives the same float64 result as ``±b``.  Here
each clamp of a printed form is found, the parts of the form that read ``x``
only through it are evaluated exactly (mpmath, 50 digits) and rounded to
float64 over a geometric grid from the bound to the largest float, and every
value must equal the one at the bound.
"""

import math
from collections.abc import Iterator

import mpmath
import numpy as np
from sympy import Add, Basic, Dummy, Expr, Mul, Symbol, lambdify
from sympy.functions.elementary.piecewise import ExprCondPair

from derive.core.spelt_out import spelt_out
from derive.core.stable_forms import Clamp

__all__ = ["clamps_of", "saturated_parts", "saturates", "grid", "GRID"]

#: The grid of every saturation check, stated.
GRID = "x = ±b·2^k for k = 0, 1, ... up to the largest float64, and ±1.797e308; 50 digits, rounded to float64"
_LARGEST = float(np.finfo(np.float64).max)


def clamps_of(expr: Basic) -> list[Clamp]:
    """The clamps of ``expr`` with a symbol inside and a numeric bound, in a fixed order."""
    found = [c for c in expr.atoms(Clamp) if isinstance(c.args[0], Symbol) and c.args[1].is_Number]
    return sorted(found, key=str)


def saturated_parts(expr: Expr, clamp: Clamp) -> list[Expr]:
    """The largest parts of ``expr`` that read the clamped symbol only through ``clamp`` (and do read it)."""
    return list(_parts(expr, clamp, clamp.args[0]))


def _only_through(expr: Expr, clamp: Clamp, symbol: Symbol) -> bool:
    return expr.has(clamp) and symbol not in expr.xreplace({clamp: Dummy()}).free_symbols


def _parts(expr: Expr, clamp: Clamp, symbol: Symbol) -> Iterator[Expr]:
    if isinstance(expr, ExprCondPair):
        yield from _parts(expr.expr, clamp, symbol)
        return
    if _only_through(expr, clamp, symbol):
        yield expr
        return
    if isinstance(expr, (Add, Mul)):
        inside = [a for a in expr.args if _only_through(a, clamp, symbol)]
        if inside:
            yield expr.func(*inside)
        rest = [a for a in expr.args if a not in inside]
    else:
        rest = list(expr.args)
    for argument in rest:
        if isinstance(argument, Basic) and argument.has(clamp):
            yield from _parts(argument, clamp, symbol)


def grid(bound: float) -> list[float]:
    """``bound * 2**k`` up to the largest float64, then that float itself."""
    return [bound * 2.0**k for k in range(0, 1024 - int(math.log2(bound)))] + [_LARGEST]


def saturates(part: Expr, clamp: Clamp) -> bool:
    """True when the unclamped ``part`` has one float64 value beyond each of ``±bound``, as at the bound."""
    symbol, bound = clamp.args[0], float(clamp.args[1])
    free = spelt_out(part)
    if free.free_symbols - {symbol}:
        raise ValueError(f"{part} has symbols other than {symbol}")
    evaluate = lambdify(symbol, free, modules="mpmath")
    with mpmath.workdps(50):
        for sign in (1, -1):
            values = {float(evaluate(mpmath.mpf(sign * p))) for p in grid(bound)}
            if len(values) != 1:
                return False
    return True
