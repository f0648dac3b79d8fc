"""Numerically stable forms of expressions, derived and proven.

Three tools: shifting logits by their row maximum (softmax, log-sum-exp),
rewriting logistic terms so ``exp`` cannot overflow, and saturating a
function beyond the inputs where float64 can no longer tell it from its limit.

Softmax and log-sum-exp overflow when a logit is large.  Both are unchanged
when every logit of a row is shifted by the same amount, so the toolkit
substitutes ``z = z_shifted + max_k z`` and lets SymPy cancel the maximum:
``exp`` then only ever sees values ``<= 0``, and ``log(sum(exp(z)))`` becomes
``max + log(sum(exp(z_shifted)))``.  The result is proven equal to the input.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
from sympy import (
    Abs, Add, Expr, Float, Function, GreaterThan, Indexed, IndexedBase, Interval, LessThan, Limit, Mul, Number,
    NumberSymbol, Piecewise, Pow, S, Sum, Symbol, cosh, count_ops, erf, exp, expand, expand_log, expand_power_exp,
    lambdify, limit, log, nan, oo, preorder_traversal, simplify, sinh, tanh,
)
from sympy.calculus.accumulationbounds import AccumBounds
from sympy.core.function import PoleError
from sympy.series.gruntz import gruntz
from sympy.calculus.singularities import is_monotonic
from sympy.simplify.simplify import factor_sum

from derive.core.errors import DefinitionError
from derive.core.functions import Logistic
from derive.core.proof import is_zero
from derive.core.row_shift import Largest, RowMax, ShiftRows
from derive.core.symbols import i, indexed, n

__all__ = [
    "RowMax", "Largest", "ShiftRows", "Let", "Shifted", "shift_by_row_max", "Clamp", "unclamp", "saturate",
    "stable_sigmoids", "rewrite_guarded_branches", "limits_at_infinities", "holds_at_infinities", "with_limits",
]


@dataclass(frozen=True)
class Let:
    """A named intermediate array: ``name[n, i] = value`` (value indexed the same way)."""

    name: IndexedBase
    value: Expr


@dataclass(frozen=True)
class Shifted:
    """An expression rewritten over shifted logits, with the binding that defines them."""

    expr: Expr
    lets: tuple[Let, ...]


def shift_by_row_max(expr: Expr, logits: IndexedBase, item: str) -> Shifted:
    """Rewrite ``expr`` over ``logits - max(logits)`` and prove it unchanged."""
    shifted = indexed(f"{logits.label}_shifted")

    def as_shifted(a: Indexed) -> Expr:
        return shifted[a.indices] + RowMax(logits, a.indices[0])

    rewritten = expr.replace(lambda a: isinstance(a, Indexed) and a.base == logits, as_shifted)
    rewritten = expand_log(rewritten, force=True)
    rewritten = rewritten.replace(
        lambda a: a.func == exp, lambda a: expand_power_exp(exp(expand(a.args[0])))
    )
    rewritten = rewritten.replace(lambda a: isinstance(a, Sum), factor_sum)
    rewritten = simplify(expand_log(rewritten, force=True))
    if rewritten.has(RowMax):
        raise DefinitionError(item, "the row maximum does not cancel: the expression is not shift-invariant")
    _prove_shift(expr, rewritten, shifted, logits, item)
    let = Let(shifted, ShiftRows(logits[n, i]))
    return Shifted(rewritten, (let,) if rewritten.has(shifted) else ())


def _prove_shift(original: Expr, rewritten: Expr, shifted: IndexedBase, logits: IndexedBase, item: str) -> None:
    """Substitute the shifted logits back and check SymPy finds the original."""
    restored = rewritten.replace(
        lambda a: isinstance(a, Indexed) and a.base == shifted,
        lambda a: logits[a.indices] - RowMax(logits, a.indices[0]),
    )
    restored = restored.replace(lambda a: a.func == exp, lambda a: expand_power_exp(exp(expand(a.args[0]))))
    restored = restored.replace(lambda a: isinstance(a, Sum), factor_sum)
    difference = expand_log(restored, force=True) - expand_log(original, force=True)
    if not is_zero(difference.replace(lambda a: isinstance(a, Sum), factor_sum)):
        raise DefinitionError(item, "the shifted form is not proven equal to the definition")


class Clamp(Function):
    """``Clamp(x, b)``: ``x`` limited to ``[-b, b]``, made by ``saturate`` only.

    It stands for ``x`` in every proof; only printed code clamps.
    """

    is_real = True

    def _latex(self, printer, exp: str | None = None) -> str:
        # SymPy's printer passes ``exp`` when the clamped value is raised to a power.
        value, bound = self.args
        tex = rf"\operatorname{{clip}}_{{\pm {printer._print(bound)}}}\left({printer._print(value)}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


def unclamp(expr: Expr) -> Expr:
    """``expr`` with every ``Clamp(x, b)`` replaced by ``x``: the form proofs reason about."""
    return expr.replace(lambda e: isinstance(e, Clamp), lambda e: e.args[0])


def saturate(expr: Expr, x: Symbol, bound: float, item: str) -> Expr:
    """``expr`` with ``x`` clamped to ``[-bound, bound]``, checked exact in float64.

    Valid when every input beyond ``±bound`` gives the same float64 result as
    ``±bound`` itself: then clamping changes no result, and it keeps
    intermediate steps (``x**2``, ``x**3``) from overflowing.  The check
    evaluates ``expr`` at 50 digits at the bound and at the largest float64;
    between them it relies on monotonicity, proven by SymPy for small
    expressions, and otherwise checks a geometric grid from the bound outwards.
    """
    b = Float(bound)
    evaluate = lambdify(x, expr, modules="mpmath")
    largest = float(np.finfo(np.float64).max)
    for sign in (1, -1):
        tail = Interval(b, S.Infinity) if sign > 0 else Interval(-S.Infinity, -b)
        if count_ops(expr) <= _PROVABLE_SIZE and is_monotonic(expr, tail, x) is True:
            points = [bound, largest]
        else:
            points = [bound * 2.0**k for k in range(0, 1024 - int(math.log2(bound)))] + [largest]
        with mpmath.workdps(50):
            values = [(sign * p, float(evaluate(mpmath.mpf(sign * p)))) for p in points]
        for point, value in values:
            if value != values[0][1]:
                raise DefinitionError(
                    item, f"{expr} at x = {point:g} is {value!r} in float64, not {values[0][1]!r} as at "
                    f"x = {values[0][0]:g}", "raise the bound",
                )
    return expr.xreplace({x: Clamp(x, b)})


#: Expressions up to this many operations get SymPy's monotonicity proof; larger ones take minutes.
_PROVABLE_SIZE = 40


def stable_sigmoids(expr: Expr) -> Expr:
    """Write every ``1/(1 + exp(a))`` as ``Logistic(-a)``, the sigmoid code computes without overflow.

    ``1/(1 + exp(a))`` is ``sigmoid(-a)``; ``Logistic.computed_form`` evaluates
    it with ``exp`` seeing only ``-|a|`` (proven equal in ``tests``).
    """

    def is_logistic(e: Expr) -> bool:
        if not (isinstance(e, Pow) and e.exp == -1 and isinstance(e.base, Add) and len(e.base.args) == 2):
            return False
        powers = [a for a in e.base.args if isinstance(a, exp)]
        # An exponent known to be <= 0 (already -|a|) cannot overflow: leave it.
        return S.One in e.base.args and len(powers) == 1 and not powers[0].args[0].is_nonpositive

    def rewrite(e: Pow) -> Expr:
        (power,) = [a for a in e.base.args if isinstance(a, exp)]
        return Logistic(-power.args[0])

    return expr.replace(is_logistic, rewrite)


def rewrite_guarded_branches(expr: Expr, rewrite: Callable[[Expr, Expr, Expr], Expr]) -> Expr:
    """``expr`` with each Piecewise branch taken only where ``c*|u| <= d`` (``c > 0``) as ``rewrite(value, u, d/c)``.

    Such a branch bounds ``|u|``: the guarded clip of ``numeric`` and its
    inverse in the proofs both rewrite exactly these branches.
    """

    def branches(e: Piecewise) -> Piecewise:
        pieces = []
        for value, condition in e.args:
            if isinstance(condition, (LessThan, GreaterThan)):
                small, bound = (condition.lhs, condition.rhs) if isinstance(condition, LessThan) else (
                    condition.rhs, condition.lhs)
                scale, small = small.as_coeff_Mul()
                if isinstance(small, Abs) and scale.is_positive:
                    value = rewrite(value, small.args[0], bound / scale)
            pieces.append((value, condition))
        return Piecewise(*pieces)

    return expr.replace(lambda e: isinstance(e, Piecewise), branches)


#: A function's limits at ``(-oo, +oo)``, each None where SymPy finds none.
Limits = tuple[Expr | None, Expr | None]


def limits_at_infinities(expr: Expr, x: Symbol) -> Limits:
    """``sympy.limit`` of ``expr`` as ``x`` goes to -oo and to +oo, None where no limit exists or is found."""
    return _limit(expr, x, -oo), _limit(expr, x, oo)


#: The functions of an exp-log expression, which SymPy's Gruntz algorithm takes as they are.
_EXP_LOG = (Add, Mul, Pow, Symbol, Number, NumberSymbol, exp, log, tanh, sinh, cosh, erf)


def _limit(expr: Expr, x: Symbol, point: Expr) -> Expr | None:
    """The limit of ``expr`` (a Piecewise by its branch towards ``point``), None where there is none or it is not found.

    ``sympy.limit`` runs the Gruntz algorithm after heuristics meant for
    other functions; an expression of ``_EXP_LOG`` alone goes to ``gruntz``
    directly, twice as fast for gelu_tanh, and to ``limit`` only if that finds nothing.
    """
    try:
        expr = expr.replace(lambda e: isinstance(e, Piecewise), lambda e: _branch_towards(e, x, point))
    except NotImplementedError:
        return None
    if all(isinstance(node, _EXP_LOG) for node in preorder_traversal(expr)):
        value = _found(gruntz, expr, x, point)
        if value is not None:
            return value
    return _found(limit, expr, x, point)


def _found(method: Callable[[Expr, Symbol, Expr], Expr], expr: Expr, x: Symbol, point: Expr) -> Expr | None:
    """``method(expr, x, point)`` when it gives a real or infinite limit, else None."""
    try:
        value = method(expr, x, point)
    except (NotImplementedError, TypeError, ValueError, PoleError):
        return None
    if value is nan or value.has(Limit, AccumBounds) or value.is_extended_real is not True:
        return None
    return value


def _branch_towards(expr: Piecewise, x: Symbol, point: Expr) -> Expr:
    """The branch of ``expr`` taken for every ``x`` beyond some bound towards ``point`` (``±oo``).

    ``sympy.limit`` cannot take a Piecewise to infinity; its limit there is the limit of that branch.
    """
    for value, where in expr.as_expr_set_pairs(Interval(-oo, oo)):
        bounds = [abs(b) for b in where.boundary if b.is_finite]
        beyond = max(bounds, default=S.Zero) + 1
        tail = Interval.open(beyond, oo) if point == oo else Interval.open(-oo, -beyond)
        if tail.is_subset(where):
            return value
    raise NotImplementedError(f"no branch of {expr} holds towards {point}")


def holds_at_infinities(form: Expr, variable: Symbol, points: Limits, limits: Limits) -> bool:
    """True when SymPy's value of ``form`` at each of ``points`` (its variable's value there) is the limit.

    SymPy's arithmetic with ``oo`` follows IEEE 754 (``oo*0`` is nan,
    ``exp(-oo)`` is 0), so such a form already gives the limit in code.
    """
    for point, expected in zip(points, limits):
        if expected is None or point is None:
            continue
        try:
            value = form.subs(variable, point)
        except (TypeError, ValueError):
            return False
        if value != expected:
            return False
    return True


def with_limits(form: Expr, x: Symbol, limits: Limits) -> Expr:
    """``form``, evaluated at ``x = -inf`` and ``+inf`` as the limits there, where they exist.

    Unless SymPy's value of ``form`` at ``±oo`` already is the limit, infinite
    ``x`` (beyond ``Largest(x)``) takes the limit, and ``form`` sees ``x``
    clipped to the finite range, which changes no finite input and keeps
    ``inf*0`` and ``inf - inf`` out of the branch ``np.where`` discards.
    """
    if holds_at_infinities(form, x, (-oo, oo), limits):
        return form
    low, high = limits
    pieces = [(value, condition) for value, condition in (
        (high, x > Largest(x)), (low, x < -Largest(x))) if value is not None]
    return Piecewise(*pieces, (form.xreplace({x: Clamp(x, Largest(x))}), True))
