"""Which operation of a form loses the accuracy: Herbie's local error.

At a point where a form is inaccurate, each operation is evaluated in
float64 on its operands' *exact* values, rounded; its local error is how far
that lands from the operation's exact value.  An operation with a large
local error (an ``exp`` that overflows, a subtraction that cancels, a
``log`` of a value near 1) is where a rewrite can help: its own rounding is
the problem, not errors passed up to it.
"""

from collections.abc import Sequence
from functools import cache
from dataclasses import dataclass

import mpmath
import numpy as np
from sympy import Dummy, Expr, Piecewise, Symbol, lambdify
from sympy.core.relational import Relational

from derive.stability.float64 import float64_function, values_at
from derive.core.spelt_out import spelt_out
from derive.stability.ulp import ulp

__all__ = ["Culprit", "culprits", "operations"]

_MAX = mpmath.mpf(float(np.finfo(np.float64).max))


@dataclass(frozen=True)
class Culprit:
    """An operation of a form, its largest local error in ulps (inf for a failure), and where."""

    node: Expr
    error: float
    at: float


def culprits(form: Expr, x: Symbol, points: Sequence[float]) -> list[Culprit]:
    """The operations of ``form`` with a local error above one ulp at some of ``points``, worst first."""
    found = []
    for node in operations(form, x):
        worst, at = 0.0, None
        operands = [Dummy() for _ in node.args]
        operation = float64_function(node.func(*operands), *operands)
        for point in points:
            error = _local_error(node, operation, x, point)
            if error is not None and error > worst:
                worst, at = error, point
        if at is not None and worst > 1.0:
            found.append(Culprit(node, worst, at))
    return sorted(found, key=lambda c: (-c.error, str(c.node)))


def operations(form: Expr, x: Symbol) -> list[Expr]:
    """The distinct operations of ``form`` that depend on ``x``, outermost first."""
    found, stack = [], [form]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Piecewise):
            stack.extend(value for value, _ in node.args)
        if node.is_Atom or node in found or not node.has(x) or isinstance(node, (Piecewise, Relational)):
            continue
        found.append(node)
        stack.extend(node.args)
    return found


@cache
def _exact_function(expr: Expr, x: Symbol):
    return lambdify(x, spelt_out(expr), modules="mpmath")


def _exact(expr: Expr, x: Symbol, point: float) -> mpmath.mpf | None:
    with mpmath.workdps(50):
        try:
            value = _exact_function(expr, x)(mpmath.mpf(point))
        except (ArithmeticError, ValueError, TypeError):
            return None
        if isinstance(value, (int, float)):
            value = mpmath.mpf(value)
        return value if isinstance(value, mpmath.mpf) and mpmath.isfinite(value) else None


def _local_error(node: Expr, operation, x: Symbol, point: float) -> float | None:
    """The ulps between ``node``'s operation on its rounded exact operands and its exact value."""
    exact = _exact(node, x, point)
    inputs = [_exact(argument, x, point) for argument in node.args]
    if exact is None or any(value is None or abs(value) > _MAX for value in inputs):
        return None
    if abs(exact) > _MAX:
        return float("inf")
    computed = values_at(operation, np.array([[float(value) for value in inputs]]))[0]
    if not np.isfinite(computed):
        return float("inf")
    return float(abs(mpmath.mpf(computed) - exact) / ulp(exact))
