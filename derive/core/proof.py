"""Proofs of equality between SymPy expressions.

A form of a function is only used when SymPy shows it equal to the definition.
``is_zero`` is deliberately conservative: ``False`` means "not proven", never
"proven different".
"""

from sympy import (
    And, Dummy, Expr, FiniteSet, Not, Or, Piecewise, cosh, count_ops, erf, exp, log, piecewise_fold, refine,
    simplify, sinh, tanh, true,
)
from sympy.logic.boolalg import BooleanFalse, simplify_logic

__all__ = ["is_zero", "prove_equal"]


def _simplifies_to_zero(expr: Expr) -> bool:
    """True when ``simplify`` gives 0 directly or after rewriting in ``exp`` or ``log``.

    The rewrites expand functions ``simplify`` treats as opaque, such as
    ``expm1``, ``tanh``, NumPy's ``logaddexp`` and symprop's ``NormalCDF``.
    """
    abstracted = _abstract_common_argument(expr)
    forms = [expr, expr.rewrite(exp), expr.rewrite(log), expr.rewrite(erf)]
    if abstracted is not None:
        forms.insert(0, abstracted.rewrite(exp))
    return any(simplify(form) == 0 for form in forms)


def _abstract_common_argument(expr: Expr) -> Expr | None:
    """Replace a shared inner argument ``u`` by a fresh symbol, or None if there is none.

    In ``(1 + tanh(u))/2 - 1/(1 + exp(-2u))`` with ``u`` a cubic in ``x``,
    ``simplify`` works on the cubic for minutes; over a symbol ``w`` it
    finishes at once.  Every function argument must be a rational multiple of
    the same ``u``, so the identity over ``w`` implies the original.
    """
    arguments = [f.args[0] for f in expr.atoms(exp, tanh, sinh, cosh) if not f.args[0].is_Atom]
    if not arguments:
        return None
    base = max(arguments, key=lambda a: (count_ops(a), str(a)))
    w = Dummy("w", real=True)
    replacements = {}
    for argument in arguments:
        ratio = simplify(argument / base)
        if not ratio.is_Rational:
            return None
        replacements[argument] = ratio * w
    return expr.xreplace(replacements)


def _pieces(expr: Piecewise):
    """Yield ``(value, condition)`` with each condition made exclusive of earlier ones."""
    earlier = []
    for value, condition in expr.args:
        effective = condition if not earlier else And(condition, Not(Or(*earlier)))
        effective = simplify_logic(effective) if effective is not true else effective
        earlier.append(condition)
        if isinstance(effective, BooleanFalse):
            continue
        yield value, effective


def is_zero(expr: Expr) -> bool:
    """True when SymPy proves ``expr`` identically zero, piece by piece for a Piecewise."""
    folded = piecewise_fold(expr.rewrite(Piecewise))
    if isinstance(folded, Piecewise):
        return all(_zero_where(value, condition) for value, condition in _pieces(folded))
    return _simplifies_to_zero(folded)


def _zero_where(value: Expr, condition) -> bool:
    """True when ``value`` is proven 0 wherever ``condition`` holds."""
    if condition is true:
        return _simplifies_to_zero(value)
    variables = condition.free_symbols
    if len(variables) == 1:
        (variable,) = variables
        where = condition.as_set()
        if isinstance(where, FiniteSet):
            return all(_simplifies_to_zero(value.subs(variable, point)) for point in where)
    return _simplifies_to_zero(refine(value, condition))


def prove_equal(a: Expr, b: Expr) -> bool:
    """True when SymPy proves ``a == b`` for every value of their free symbols."""
    return is_zero(a - b)
