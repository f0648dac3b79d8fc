"""Helpers for expressions over indexed arrays: range guards and whole-row sums."""

from sympy import Expr, Indexed, IndexedBase, Piecewise, Sum, Symbol

from .symbols import C

__all__ = ["drop_range_guards", "replace_row_sums", "rename_feature"]


def _is_range_guard(expr: Piecewise) -> bool:
    """True for ``Piecewise((e, 0 <= j <= C-1), (0, True))``: a guard on integer indices only."""
    if len(expr.args) != 2 or expr.args[1][0].doit() != 0:
        return False
    condition = expr.args[0][1]
    return all(s.is_integer for s in condition.free_symbols)


def drop_range_guards(expr: Expr) -> Expr:
    """Remove the index-range guards ``Sum(...).doit()`` leaves around KroneckerDelta results.

    Every index of a generated array lies in its range by construction, so the
    guarded branch is the one that holds.
    """
    return expr.replace(lambda e: isinstance(e, Piecewise) and _is_range_guard(e), lambda e: e.args[0][0])


def replace_row_sums(expr: Expr, base: IndexedBase, value: Expr) -> Expr:
    """Replace every whole-row sum ``Sum(base[r, w], (w, 0, C-1))`` by ``value``."""

    def is_row_sum(e: Expr) -> bool:
        if not isinstance(e, Sum) or len(e.limits) != 1:
            return False
        index, low, high = e.limits[0]
        body = e.function
        return (
            isinstance(body, Indexed) and body.base == base and body.indices[1] == index
            and low == 0 and high == C - 1
        )

    return expr.replace(is_row_sum, lambda e: value)


def rename_feature(expr: Expr, old: Symbol, new: Symbol) -> Expr:
    """The same expression with its free feature index ``old`` called ``new``."""
    return expr.xreplace({old: new})
