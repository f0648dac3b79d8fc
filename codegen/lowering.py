"""Lower indexed expressions (``z[n, i]``, ``Sum``) to whole-array expressions.

Every array is indexed ``[sample, feature]``, so an ``Indexed`` becomes the
plain array name and a ``Sum`` over an index becomes a sum over that index's
axis.  After lowering, equal array subexpressions are literally equal, which
lets ``cse`` share ``exp(z)`` between a numerator and its row sum.
"""

from sympy import Basic, Expr, Function, Indexed, Integer, MatMul, MatrixExpr, OneMatrix, Piecewise, S, Sum, Symbol

from derive.core.stable_forms import Largest, RowMax
from derive.layers.indexed_step import FirstMaximum, IndexedStep
from derive.core.symbols import C, N

__all__ = [
    "AxisSum", "AxisMax", "LoweringError", "lower", "reads_size", "size_bindings", "indicator_condition",
    "product_parts",
]

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
    """True when the printed ``expr`` uses ``size`` (``1/N``), not merely a sum's bounds or a shape.

    A window layer's step (``derive.layers.indexed_step``) reads no size: its reshapes leave the batch to NumPy.
    """
    return not isinstance(expr, (MatrixExpr, IndexedStep, FirstMaximum)) and size in lower(expr).free_symbols


def size_bindings(exprs: list[Expr], rows_of: str, columns_of: str) -> list[tuple[str, str]]:
    """``(size, code)`` for each size a printed expression reads: ``N = x.shape[0]``, ``C = y.shape[1]``.

    ``N`` (the batch) is read off the array ``rows_of``, ``C`` (the output layer's width) off ``columns_of``.
    """
    sizes = ((N, f"{rows_of}.shape[0]"), (C, f"{columns_of}.shape[1]"))
    return [(str(size), code) for size, code in sizes if any(reads_size(e, size) for e in exprs)]


def indicator_condition(expr: Basic) -> Basic | None:
    """The condition ``c`` of an indicator ``[c]`` (``Piecewise((1, c), (0, True))`` or its complement), else None.

    Printed as a boolean array, an indicator keeps the dtype of what it multiplies.
    """
    if not (isinstance(expr, Piecewise) and len(expr.args) == 2):
        return None
    (first, condition), (second, _) = expr.args
    if {first, second} != {S.Zero, S.One}:
        return None
    return condition if first == 1 else ~condition


def product_parts(expr: MatMul) -> tuple[Expr, list[MatrixExpr], tuple[int, ...]]:
    """``(coefficient, matrices, summed axes)`` of a matrix product whose ``OneMatrix`` factors sum or broadcast.

    ``1 (1 x N) @ G`` sums ``G`` over axis 0 and ``G @ 1 (k x 1)`` over axis 1;
    a ``OneMatrix`` with a side of 1 (``1 (N x 1) @ b``) only repeats ``b``'s row,
    which NumPy's broadcasting does, so it is dropped with no axis.
    """
    coefficient, matrices = expr.as_coeff_matrices()
    matrices, axes = list(matrices), []
    if matrices and isinstance(matrices[0], OneMatrix) and matrices.pop(0).shape[1] != 1:
        axes.append(0)
    if matrices and isinstance(matrices[-1], OneMatrix) and matrices.pop().shape[0] != 1:
        axes.append(1)
    return coefficient, matrices, tuple(axes)


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
