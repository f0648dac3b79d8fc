"""Helpers for expressions over indexed arrays: range guards and whole-row sums."""

from itertools import product

from sympy import And, Basic, Expr, Indexed, IndexedBase, Piecewise, Sum, Symbol, degree, diff, true
from sympy.core.relational import GreaterThan, LessThan, StrictGreaterThan, StrictLessThan

from derive.core.symbols import C, N, feature_indices, i, j, m, n, sample_indices

__all__ = ["drop_range_guards", "entrywise_gradient", "rename_feature"]


#: The range every index symbol runs over: samples over the batch, features over a row.
INDEX_RANGES = {**{s: (0, N - 1) for s in sample_indices}, **{s: (0, C - 1) for s in feature_indices}}


def _holds_over_ranges(condition: Basic) -> bool:
    """True when ``condition`` is proven to hold for every index value in ``INDEX_RANGES``.

    Only conjunctions of ``<=``/``>=``/``<``/``>`` between expressions linear in the
    indices are decided: such a relation holds on the whole box of index values
    when it holds at each corner, which SymPy then checks from ``N, C >= 1``.
    Anything else (an equality such as ``Eq(i, j)``, a free size) is not proven.
    """
    relations = condition.args if isinstance(condition, And) else (condition,)
    for relation in relations:
        if not isinstance(relation, (GreaterThan, StrictGreaterThan, LessThan, StrictLessThan)):
            return False
        margin = relation.gts - relation.lts  # ``>= 0`` (or ``> 0``) when the relation holds
        indices = sorted(margin.free_symbols & INDEX_RANGES.keys(), key=str)
        if not indices or any(not margin.is_polynomial(s) or degree(margin, s) > 1 for s in indices):
            return False
        for corner in product(*(INDEX_RANGES[s] for s in indices)):
            value = margin.subs(dict(zip(indices, corner)))
            strict = isinstance(relation, (StrictGreaterThan, StrictLessThan))
            if not (value.is_positive if strict else value.is_nonnegative):
                return False
    return True


def _is_range_guard(expr: Piecewise) -> bool:
    """True for ``Piecewise((e, 0 <= j <= C-1), (0, True))`` whose condition every index in range meets."""
    if len(expr.args) != 2 or expr.args[1][1] is not true or expr.args[1][0].doit() != 0:
        return False
    return _holds_over_ranges(expr.args[0][1])


def drop_range_guards(expr: Expr) -> Expr:
    """Remove the index-range guards ``Sum(...).doit()`` leaves around KroneckerDelta results.

    A guard is dropped only when its condition is proven to hold for every
    index in its range (``_holds_over_ranges``), so the guarded branch is the
    one every generated array entry takes; any other ``Piecewise`` is kept.
    """
    return expr.replace(lambda e: isinstance(e, Piecewise) and _is_range_guard(e), lambda e: e.args[0][0])


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
