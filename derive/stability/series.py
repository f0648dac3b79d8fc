"""A Taylor polynomial about 0, for the inputs near 0 where every closed form cancels.

``x - tanh(x)`` loses all its digits as ``x`` goes to 0: both terms round to
``x``.  Its Taylor polynomial ``x³/3 - 2x⁵/15 + ...`` (SymPy's ``series``,
in Horner form) has no cancellation there.  It is not the function, only
close to it, so it is used only on a range ``|x| <= r`` the search chooses
(``regimes``), and only where a 50-digit check shows it within 2**-56 of the
function, relatively, over that whole range (``series_holds``; the ledger
runs it again).
"""

import mpmath
from sympy import Expr, Order, Poly, PolynomialError, Symbol, count_ops, horner, lambdify, series

from derive.stability.reference import Reference

__all__ = ["SERIES", "ORDER", "taylor", "series_holds", "SERIES_GRID"]

#: The name of the step that replaces a function by its Taylor polynomial.
SERIES = "Taylor series about 0"
#: Terms up to x**(ORDER - 1).
ORDER = 18
#: Where ``series_holds`` checks, stated for the ledger.
SERIES_GRID = ("|x| = r·2^(-k/4) for k = 0 ... 40, r·2^-k for k = 18, 26, ... up to 1074, and 0; the function exact, "
               "the polynomial at 50 digits; relative error at most 2^-56, absolute 2^-1080 below the normal range")


#: SymPy's ``series`` of larger expressions (``tanh(log(1 + exp(x)))`` and its derivative) takes minutes.
SERIES_SIZE = 16


def taylor(function: Expr, x: Symbol) -> Expr | None:
    """The Taylor polynomial of ``function`` about 0 in Horner form, or None where SymPy finds none.

    Only for functions of at most ``SERIES_SIZE`` operations.
    """
    if count_ops(function) > SERIES_SIZE:
        return None
    try:
        polynomial = series(function, x, 0, ORDER).removeO()
        if polynomial.has(Order) or not polynomial.has(x):
            return None
        Poly(polynomial, x)
    except (PolynomialError, NotImplementedError, ValueError, TypeError):
        return None
    return horner(polynomial, x)


def series_holds(function: Expr, polynomial: Expr, x: Symbol, radius: float) -> bool:
    """True when ``polynomial`` is within 2**-56 of ``function``, relatively (2**-1080 absolutely below the
    normal range), at every checked ``|x| <= radius``.

    The function is evaluated exactly (``Reference``: as many digits as its cancellation needs).
    """
    exact = Reference([function], x)
    approximate = lambdify(x, polynomial, modules="mpmath")
    for point in _grid(radius):
        values = exact(point)
        if values is None:
            continue
        with mpmath.workdps(50):
            # Below the normal range float64 counts in steps of 2**-1074: the error must be far below one.
            allowed = max(mpmath.ldexp(abs(values[0]), -56), mpmath.ldexp(1, -1080))
            if abs(approximate(mpmath.mpf(point)) - values[0]) > allowed:
                return False
    return True


def _grid(radius: float) -> list[float]:
    """Four points an octave over the ten octaves below ``radius``, then one in eight octaves, both signs."""
    steps = [-k / 4 for k in range(0, 41)] + [-k for k in range(18, 1075, 8)]
    magnitudes = [radius * 2.0**step for step in steps if radius * 2.0**step > 0]
    return [0.0] + magnitudes + [-m for m in magnitudes]
