"""An index form over two-axis arrays read as a matrix product, so it prints as ``@``.

``Σ_o G[n, o]·W[o, i]`` is ``(G W)[n, i]``, ``Σ_n G[n, o]·X[n, i]`` is
``(Gᵀ X)[o, i]`` and ``Σ_n G[n, o]`` is ``(1ᵀ G)[0, o]``: each factor is
transposed so that the summed index is the inner one.  The dense layer's
VJPs derived from its indexed sum come out as the matrix calculus of
``derive.layers.dense`` (an obligation of the ledger).
"""

from collections.abc import Mapping

from sympy import Expr, Indexed, IndexedBase, MatrixExpr, MatrixSymbol, Mul, OneMatrix, Sum, Symbol
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.layers.index_calculus import IndexForm

__all__ = ["as_matrix", "as_indexed", "same_sum"]


def as_matrix(form: IndexForm, shapes: Mapping[str, tuple[Expr, Expr]]) -> MatrixExpr:
    """``form`` as a product of ``MatrixSymbol``s (shapes by name), transposed where its indices ask.

    Accepts one summed index over a product of two two-axis arrays (a
    matrix product), or over one array (a sum over its rows: ``1ᵀ G``).
    """
    factors = [f for f in Mul.make_args(form.summand) if isinstance(f, Indexed)]
    if form.conditions or len(form.limits) != 1 or len(factors) != len(Mul.make_args(form.summand)):
        raise ValueError(f"{form}: not a matrix product")
    (summed, _, _), target = form.limits[0], form.target.indices
    matrices = {f.base.label: MatrixSymbol(str(f.base.label), *shapes[str(f.base.label)]) for f in factors}
    if len(factors) == 1:
        (entry,) = factors
        if entry.indices != (summed, target[-1]):
            raise ValueError(f"{form}: not a sum over rows")
        rows = matrices[entry.base.label].shape[0]
        return OneMatrix(1, rows) * matrices[entry.base.label]
    left = next(f for f in factors if target[0] in f.indices)
    right = next(f for f in factors if f is not left)
    return _oriented(left, matrices, (target[0], summed)) * _oriented(right, matrices, (summed, target[1]))


def _oriented(entry: Indexed, matrices: dict, order: tuple[Symbol, Symbol]) -> MatrixExpr:
    """The matrix of ``entry``, transposed when its indices run ``order`` reversed."""
    matrix = matrices[entry.base.label]
    if entry.indices == order:
        return matrix
    if entry.indices == order[::-1]:
        return matrix.T
    raise ValueError(f"{entry}: indices {entry.indices} are not {order} in either order")


def as_indexed(expr: Expr) -> Expr:
    """``expr`` with each matrix entry ``M[a, b]`` written as the indexed entry of the same name."""
    return expr.replace(lambda e: isinstance(e, MatrixElement),
                        lambda e: IndexedBase(e.parent.name, real=True)[e.i, e.j])


def same_sum(left: Expr, right: Expr) -> bool:
    """True when two one-index sums are equal term by term once the summed index has one name."""
    if not (isinstance(left, Sum) and isinstance(right, Sum) and len(left.limits) == len(right.limits) == 1):
        return left == right
    (a, low, high), (b, low_b, high_b) = left.limits[0], right.limits[0]
    return (low, high) == (low_b, high_b) and (left.function.xreplace({a: b}) - right.function).expand() == 0
