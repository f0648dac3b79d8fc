"""Lower indexed expressions (``z[n, i]``, ``Sum``) to whole-array expressions.

Every array is indexed ``[sample, feature]``, so an ``Indexed`` becomes the
plain array name and a ``Sum`` over an index becomes a sum over that index's
axis.  After lowering, equal array subexpressions are literally equal, which
lets ``cse`` share ``exp(z)`` between a numerator and its row sum.
"""

from sympy import Expr, Function, Indexed, Integer, MatrixExpr, Sum, Symbol

from derive.core.stable_forms import Largest, RowMax

__all__ = ["AxisSum", "AxisMax", "LoweringError", "lower", "reads_size"]

#: Axis code of a reduction over every axis, giving a scalar.
ALL_AXES = -1


class LoweringError(ValueError):
    """An indexed expression that does not follow the ``[sample, feature]`` convention."""


class AxisSum(Function):
    """``AxisSum(body, axis)``: sum over axis 0 or 1 (keeping it), or over all (``-1``)."""


class AxisMax(Function):
    """``AxisMax(array, axis)``: maximum over an axis, keeping it for broadcasting."""


def lower(expr: Expr) -> Expr:
    """The array expression equal to ``expr`` entry by entry."""
    expr = expr.replace(
        lambda e: isinstance(e, RowMax), lambda e: AxisMax(Symbol(str(e.args[0].label), real=True), Integer(1))
    )
    expr = expr.replace(lambda e: isinstance(e, Largest), lambda e: Largest(Symbol(str(e.args[0].label), real=True)))
    return _lower(expr)


def reads_size(expr: Expr, size: Symbol) -> bool:
    """True when the printed ``expr`` uses ``size`` (``1/N``), not merely a sum's bounds or a shape."""
    return not isinstance(expr, MatrixExpr) and size in lower(expr).free_symbols


def _lower(expr: Expr) -> Expr:
    if isinstance(expr, Indexed):
        return _array(expr)
    if isinstance(expr, Sum):
        return _sum(expr)
    if not expr.args:
        return expr
    return expr.func(*[_lower(a) for a in expr.args])


def _array(entry: Indexed) -> Symbol:
    """``z[n, i]`` -> ``z``; only plain index symbols in the two standard positions."""
    if len(entry.indices) != 2 or not all(isinstance(a, Symbol) for a in entry.indices):
        raise LoweringError(f"{entry}: arrays are indexed [sample, feature] by plain index symbols")
    return Symbol(str(entry.base.label), real=True)


def _axes_of(index: Symbol, body: Expr) -> set[int]:
    """The axis positions at which ``index`` appears in the arrays of ``body``."""
    return {
        position
        for entry in body.atoms(Indexed)
        for position, a in enumerate(entry.indices)
        if a == index
    }


def _sum(expr: Sum) -> Expr:
    """A ``Sum`` over one or both axes, checked to use each index in one position only."""
    axes = set()
    for index, low, high in expr.limits:
        found = _axes_of(index, expr.function)
        if len(found) != 1:
            raise LoweringError(f"{expr}: summed index {index} must index exactly one axis")
        axes |= found
    body = _lower(expr.function)
    if axes == {0, 1}:
        return AxisSum(body, Integer(ALL_AXES))
    (axis,) = axes
    return AxisSum(body, Integer(axis))
