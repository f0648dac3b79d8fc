"""Choose the shortest of a few equivalent ways SymPy can write an expression."""

from sympy import Expr, collect, count_ops, factor, simplify

__all__ = ["shortest_form"]


def shortest_form(expr: Expr) -> Expr:
    """The form with the fewest operations among the given one, simplify, factor and collect.

    Fewer operations read better and run faster; ties keep the earlier form,
    so the choice is deterministic.
    """
    simplified = simplify(expr)
    forms = [expr, simplified, factor(simplified)]
    forms += [collect(simplified, s) for s in sorted(simplified.free_symbols, key=str)]
    return min(forms, key=count_ops)
