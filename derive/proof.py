"""Proofs of equality between SymPy expressions.

A form of a function is only used when SymPy shows it equal to the definition.
``is_zero`` is deliberately conservative: ``False`` means "not proven", never
"proven different".
"""

from sympy import And, Expr, Not, Or, Piecewise, exp, piecewise_fold, refine, simplify, true
from sympy.logic.boolalg import BooleanFalse, simplify_logic

__all__ = ["is_zero", "prove_equal"]


def _simplifies_to_zero(expr: Expr) -> bool:
    """True when ``simplify`` (directly, or after rewriting in ``exp``) gives 0."""
    if simplify(expr) == 0:
        return True
    return simplify(expr.rewrite(exp)) == 0


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
        return all(
            _simplifies_to_zero(refine(value, condition) if condition is not true else value)
            for value, condition in _pieces(folded)
        )
    return _simplifies_to_zero(folded)


def prove_equal(a: Expr, b: Expr) -> bool:
    """True when SymPy proves ``a == b`` for every value of their free symbols."""
    return is_zero(a - b)
