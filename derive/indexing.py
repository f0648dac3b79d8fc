"""Helpers for expressions over indexed arrays: range guards and whole-row sums."""

from sympy import Expr, Indexed, IndexedBase, Piecewise, Sum, Symbol, diff

from .symbols import C, i, j, m, n

__all__ = ["drop_range_guards", "entrywise_gradient", "replace_row_sums", "rename_feature"]


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


def entrywise_gradient(cost: Expr, predictions: IndexedBase) -> Expr | None:
    """``d cost / d p[m, j]`` for ``cost = c * Sum(g(entries at [n, i]), over n and i)``, or None.

    Each entry appears in one term only, so the gradient is ``c * dg/dp`` at
    ``[m, j]``: differentiating the term as a function of one scalar avoids
    SymPy's KroneckerDelta bookkeeping, which mishandles piecewise terms.
    """
    coefficient, sums = cost.as_independent(Sum, as_Add=False)
    if not isinstance(sums, Sum) or {limit[0] for limit in sums.limits} != {n, i}:
        return None
    body = sums.function
    if any(not isinstance(a, Indexed) or a.indices != (n, i) for a in body.atoms(Indexed)) or body.has(Sum):
        return None
    entry = Symbol("entry", real=True)
    derivative = diff(body.xreplace({predictions[n, i]: entry}), entry).xreplace({entry: predictions[n, i]})
    return (coefficient * derivative).xreplace({n: m, i: j})
