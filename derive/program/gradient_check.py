"""The arithmetic of a gradient check: a central difference and a relative error.

A network module checks its derived gradients against central differences
of its own cost, ``(cost(p + eps) - cost(p - eps))/(2*eps)`` entry by entry
(error of order ``eps**2``), and reports per parameter the distance between
the two gradients relative to the larger of their sizes (0 when both are 0).
"""

from sympy import Expr, Float, Function, Max, Symbol

__all__ = ["Norm", "COST_PLUS", "COST_MINUS", "STEP", "CENTRAL_DIFFERENCE", "ANALYTIC", "NUMERIC", "RELATIVE_ERROR"]


class Norm(Function):
    """The Euclidean (Frobenius) norm of an array: the square root of the sum of its squared entries."""

    is_real = True
    is_nonnegative = True


#: The cost with one entry moved up and down by ``STEP``.
COST_PLUS, COST_MINUS = Symbol("cost_plus", real=True), Symbol("cost_minus", real=True)
STEP = Symbol("eps", positive=True)
CENTRAL_DIFFERENCE: Expr = (COST_PLUS - COST_MINUS) / (2 * STEP)

#: A parameter's derived gradient and its central-difference estimate.
ANALYTIC, NUMERIC = Symbol("analytic", real=True), Symbol("numeric", real=True)
#: The smallest normal float64: a floor for the denominator, so two zero gradients give 0, not 0/0.
_TINY = Float(2.2250738585072014e-308)
RELATIVE_ERROR: Expr = Norm(ANALYTIC - NUMERIC) / Max(Norm(ANALYTIC), Norm(NUMERIC), _TINY)
