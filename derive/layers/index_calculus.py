"""Vector–Jacobian products of layers written as one indexed sum, derived by SymPy.

A layer is ``Z[out] = expr`` over ``IndexedBase`` arrays, with a range for
every index.  For an upstream gradient ``G`` the loss near ``Z`` is
``Σ_out G[out]·Z[out]``; ``sympy.diff`` of that sum with respect to one
entry ``A[a]`` of an input or parameter gives a sum of ``KroneckerDelta``
products, which ``eliminate_deltas`` sums out, each delta fixing one summed
index and leaving the range of that index as a condition on the others.
What remains is the VJP as an ``IndexForm``: a sum, over the indices the
deltas left, of a product, under conditions (the shifted ranges).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from itertools import product
from operator import mul

from sympy import (
    Add, And, Basic, Eq, Expr, Indexed, IndexedBase, KroneckerDelta, Mod, Mul, Piecewise, S, Sum, Symbol, degree,
    expand, solve, true,
)
from sympy.core.relational import GreaterThan, LessThan, StrictGreaterThan, StrictLessThan

__all__ = [
    "Ranges", "IndexForm", "IndexedLayer", "definition_terms", "derive_vjp", "eliminate_deltas", "holds_over",
    "flip_into_window",
]

#: Each index symbol and its inclusive range ``(low, high)``.
Ranges = Mapping[Symbol, tuple[Expr, Expr]]


@dataclass(frozen=True)
class IndexForm:
    """``target = Σ_limits [conditions] · summand``: an indexed sum over ranges shifted by ``conditions``.

    ``limits`` are ``(index, low, high)``; ``conditions`` are relations the
    summed and free indices must meet for the term to count (an index of an
    array kept inside its range, a window offset that divides by the stride).
    """

    target: Indexed
    summand: Expr
    limits: tuple[tuple[Symbol, Expr, Expr], ...]
    conditions: tuple[Basic, ...] = ()

    @property
    def expr(self) -> Expr:
        """The right-hand side as one SymPy expression: a ``Sum`` of a guarded ``Piecewise``."""
        body = self.summand
        if self.conditions:
            body = Piecewise((body, And(*self.conditions)), (S.Zero, True))
        return Sum(body, *self.limits) if self.limits else body

    def __str__(self) -> str:
        return f"{self.target} = {self.expr}"


@dataclass(frozen=True)
class IndexedLayer:
    """A layer defined by one indexed equation ``output = definition`` and the range of every index.

    ``inputs`` are the arrays a VJP is taken for (data and parameters);
    ``upstream`` is the gradient of the loss with respect to ``output``.
    ``over`` names the indices that enumerate the output's entries once
    each when the output is indexed by expressions (flatten's
    ``Z[n, k·H·W + h·W + w]``); by default the output's own indices.
    """

    name: str
    output: Indexed
    definition: Expr
    ranges: Ranges
    inputs: tuple[IndexedBase, ...]
    upstream: IndexedBase
    over: tuple[Symbol, ...] = ()

    @property
    def equation(self) -> Eq:
        return Eq(self.output, self.definition, evaluate=False)

    def surrogate(self) -> Expr:
        """``Σ_out G[out]·Z[out]``: the loss to first order near ``Z``, whose gradients are the VJPs.

        Each sum of the definition joins the outer sum, so a guard inside it
        stays inside one ``Sum`` when SymPy differentiates.
        """
        outer = tuple((index, *self.ranges[index]) for index in self.over or self.output.indices)
        upstream = self.upstream[self.output.indices]
        terms = []
        for term in Add.make_args(self.definition):
            coefficient, inner = term.as_independent(Sum, as_Add=False)
            if isinstance(inner, Sum):
                terms.append(Sum(coefficient * upstream * inner.function, *outer, *inner.limits))
            else:
                terms.append(Sum(upstream * term, *outer))
        return Add(*terms)


def definition_terms(layer: IndexedLayer) -> list[IndexForm]:
    """The layer's definition as one ``IndexForm`` per term (``Σ X·W`` and ``b``), guards taken as conditions."""
    result = []
    for term in Add.make_args(layer.definition):
        coefficient, inner = term.as_independent(Sum, as_Add=False)
        limits = tuple(tuple(limit) for limit in inner.limits) if isinstance(inner, Sum) else ()
        body, conditions = _unguarded(coefficient * (inner.function if isinstance(inner, Sum) else inner))
        result.append(IndexForm(layer.output, body, limits, tuple(conditions)))
    return result


def derive_vjp(
    layer: IndexedLayer, array: IndexedBase, at: tuple[Symbol, ...], ranges: Ranges, gradient: IndexedBase,
    prove: bool = True,
) -> IndexForm:
    """``gradient[at] = ∂(Σ G·Z)/∂array[at]``, differentiated by SymPy and its deltas summed out.

    ``ranges`` gives the range of each index in ``at``: a condition every
    such index meets by its range (``k <= K - 1``) is dropped, unless
    ``prove`` is false (a window's bounds kept for ``flip_into_window`` even
    where one output row covers the whole input).  The entry is
    differentiated at primed stand-ins of ``at``, so ``at`` may reuse the
    names of the layer's own indices.
    """
    primed = {index: Symbol(f"{index.name}'", **index.assumptions0) for index in at}
    entry = array[tuple(primed.values())]
    derivative = layer.surrogate().diff(entry)
    kept = frozenset() if prove else frozenset(primed.values())
    form = eliminate_deltas(derivative, entry, {**layer.ranges, **{primed[a]: ranges[a] for a in at}}, kept)
    clashes = {v for v, _, _ in form.limits} & set(at)
    if clashes:
        raise ValueError(f"{form}: the indices {sorted(map(str, clashes))} are still summed; name the entry otherwise")
    back = {stand_in: index for index, stand_in in primed.items()}
    return IndexForm(gradient[at], form.summand.xreplace(back), form.limits,
                     tuple(c.xreplace(back) for c in form.conditions))


def eliminate_deltas(derivative: Expr, target: Indexed, ranges: Ranges, kept: frozenset = frozenset()) -> IndexForm:
    """A derivative of nested sums, each ``KroneckerDelta(v, e)`` of a summed ``v`` summed out.

    The sums are flattened into one product over all their limits, the
    ``Piecewise`` guards of the summand taken as conditions; each delta
    whose one side is a summed index with coefficient ±1 fixes that index,
    and its range becomes a condition.  Conditions that hold for every value
    in ``ranges`` are dropped, but for those reading an index in ``kept``.
    Terms of an ``Add`` must reduce to one form.
    """
    terms = [_eliminated(term, ranges, kept) for term in expand(derivative).as_ordered_terms()]
    terms = [t for t in terms if t is not None]
    if len(terms) != 1:
        raise ValueError(f"{derivative}: expected one term after summing out the deltas, got {len(terms)}")
    summand, limits, conditions = terms[0]
    return IndexForm(target, summand, limits, conditions)


def _eliminated(term: Expr, ranges: Ranges, kept: frozenset) -> tuple[Expr, tuple, tuple] | None:
    """One flattened term with its deltas summed out: ``(summand, limits, conditions)``, None if it is 0."""
    limits, conditions = [], []
    while isinstance(term, Sum) or isinstance(term, Mul) and any(isinstance(f, Sum) for f in term.args):
        if isinstance(term, Sum):
            limits += list(term.limits)
            term = term.function
            continue
        outer = [f for f in term.args if not isinstance(f, Sum)]
        (inner,) = [f for f in term.args if isinstance(f, Sum)]
        limits += list(inner.limits)
        term = Mul(*outer) * inner.function
    term, guards = _unguarded(expand(term))
    conditions += guards
    if term == 0:
        return None
    factors = list(Mul.make_args(term))
    deltas = [f for f in factors if isinstance(f, KroneckerDelta)]
    rest = [f for f in factors if not isinstance(f, KroneckerDelta)]
    summand = reduce(mul, rest, S.One)
    limits = [tuple(limit) for limit in limits]
    for delta in deltas:
        summand, limits, conditions, used = _sum_out(delta, summand, limits, conditions)
        if not used:
            summand = summand * delta
    bounds = {**ranges, **{v: (lo, hi) for v, lo, hi in limits}}
    conditions = [c for c in dict.fromkeys(conditions)
                  if c is not true and (c.free_symbols & kept or not holds_over(c, bounds))]
    return summand, tuple(limits), tuple(conditions)


def _unguarded(term: Expr) -> tuple[Expr, list[Basic]]:
    """``term`` with each guard ``Piecewise((e, c), (0, True))`` factor replaced by ``e``, and the guards ``c``."""
    guards = []
    factors = []
    for factor in Mul.make_args(term):
        while isinstance(factor, Piecewise) and len(factor.args) == 2 and factor.args[1] == (S.Zero, true):
            guards += list(And.make_args(factor.args[0][1]))
            factor = factor.args[0][0]
        if isinstance(factor, Piecewise):
            raise ValueError(f"{factor}: only guards Piecewise((e, condition), (0, True)) can be summed over")
        factors.append(factor)
    return expand(reduce(mul, factors, S.One)), guards


def _sum_out(delta: KroneckerDelta, summand: Expr, limits: list, conditions: list):
    """Sum ``delta · summand`` over the summed index it fixes: substitute it, keep its range as conditions.

    The innermost summed index is tried first: a window offset ``p`` rather
    than the output row ``i`` in ``KroneckerDelta(h, i + p)``.
    """
    for variable, low, high in reversed(limits):
        difference = delta.args[0] - delta.args[1]
        if variable not in difference.free_symbols or degree(difference, variable) != 1:
            continue
        if difference.coeff(variable) not in (1, -1):
            continue
        (value,) = solve(difference, variable)
        substitute = lambda e: e.xreplace({variable: value})  # noqa: E731
        kept = [limit for limit in limits if limit[0] != variable]
        moved = [substitute(c) for c in conditions] + [low <= value, value <= high]
        return substitute(summand), kept, moved, True
    return summand, limits, conditions, False


def holds_over(condition: Basic, ranges: Ranges) -> bool:
    """True when ``condition`` is proven for every value of its indices in ``ranges``.

    A conjunction of ``<=``/``>=``/``<``/``>`` linear in the indices holds on
    the whole box when it holds at each corner, which SymPy decides from the
    sizes' assumptions; anything else (a divisibility, a free index with no
    range) is not proven.
    """
    relations = And.make_args(condition)
    for relation in relations:
        if not isinstance(relation, (GreaterThan, StrictGreaterThan, LessThan, StrictLessThan)):
            return False
        margin = relation.gts - relation.lts
        indices = sorted(margin.free_symbols & set(ranges), key=str)
        if not indices or any(not margin.is_polynomial(s) or degree(margin, s) > 1 for s in indices):
            return False
        for corner in product(*(ranges[s] for s in indices)):
            value = margin.subs(dict(zip(indices, corner)))
            strict = isinstance(relation, (StrictGreaterThan, StrictLessThan))
            if not (value.is_positive if strict else value.is_nonnegative):
                return False
    return True


def flip_into_window(form: IndexForm, window: Mapping[Symbol, tuple[Symbol, Expr]]) -> IndexForm:
    """Re-index ``form`` so that a window is read flipped, over window indices of its own.

    ``window`` maps a summed index ``v`` to a fresh index ``r`` and the
    window's size ``P``.  The conditions say where ``v`` counts:
    ``e = a - s·v`` in ``0 <= e <= P - 1`` (``e`` is found as the condition
    ``e >= 0`` whose ``v`` has a negative coefficient, ``s`` the stride).
    ``v`` is replaced by ``(a - (P - 1) + r)/s``, so ``e`` becomes
    ``P - 1 - r``: the kernel read flipped, ``0 <= r <= P - 1`` the range of
    ``r``.  The old range of ``v`` becomes a condition on the array that read
    ``v`` (the upstream gradient, zero outside its range), and, for
    ``s ≠ 1``, ``s`` dividing ``a - (P - 1) + r`` (the upstream gradient
    dilated by the stride).
    """
    summand, limits, conditions = form.summand, list(form.limits), list(form.conditions)
    for variable, (fresh, size) in window.items():
        read = _window_read(conditions, variable)
        stride = -read.coeff(variable)
        shifted = read + stride * variable - (size - 1) + fresh
        value = shifted / stride
        low, high = next((lo, hi) for v, lo, hi in limits if v == variable)
        summand = summand.xreplace({variable: value})
        limits = [limit if limit[0] != variable else (fresh, S.Zero, size - 1) for limit in limits]
        conditions = [c.xreplace({variable: value}) for c in conditions if not _bounds(c, read, size)]
        conditions += [low <= value, value <= high]
        if stride != 1:
            conditions.append(Eq(Mod(shifted, stride), 0))
    return IndexForm(form.target, summand, tuple(limits), tuple(c for c in dict.fromkeys(conditions) if c is not true))


def _margin(condition: Basic) -> Expr | None:
    """``g - l`` of an inequality ``g >= l`` (or ``g > l``), else None."""
    if not isinstance(condition, (GreaterThan, StrictGreaterThan, LessThan, StrictLessThan)):
        return None
    return expand(condition.gts - condition.lts)


def _window_read(conditions: list, variable: Symbol) -> Expr:
    """The ``e = a - s·v`` of the condition ``e >= 0`` that bounds ``variable`` from above."""
    for condition in conditions:
        margin = _margin(condition)
        if margin is not None and margin.is_polynomial(variable) and degree(margin, variable) == 1 \
                and margin.coeff(variable).is_negative:
            return margin
    raise ValueError(f"no condition bounds {variable} by a window: {conditions}")


def _bounds(condition: Basic, read: Expr, size: Expr) -> bool:
    """True for ``read >= 0`` or ``read <= size - 1``, in any of SymPy's spellings."""
    return _margin(condition) in (expand(read), expand(size - 1 - read))
