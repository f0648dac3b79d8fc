"""Clip the input of a Piecewise branch to the range the branch is taken in.

Generated code evaluates every branch of a Piecewise everywhere
(``np.where``) and keeps one; ``exp(x)`` in a branch taken only for
``x <= 0`` still overflows at ``x = 1000``, with a warning, in the result it
discards.  Where a branch's condition bounds ``x`` (``x <= c``, ``x > c``,
``|x| <= c``), its value reads ``x`` clipped to that bound instead: equal
wherever the branch is taken (``Min(x, c) = x`` for ``x <= c``), and finite
wherever it is not.
"""

from sympy import Abs, Expr, GreaterThan, LessThan, Max, Min, Piecewise, StrictGreaterThan, StrictLessThan, Symbol

__all__ = ["clip_branches", "unclip_branches"]


def _clip_for(condition, x: Symbol) -> Expr | None:
    """``x`` clipped to the range ``condition`` allows, or None when it does not bound ``x`` alone."""
    if isinstance(condition, (LessThan, StrictLessThan)):
        small, large = condition.lhs, condition.rhs
    elif isinstance(condition, (GreaterThan, StrictGreaterThan)):
        small, large = condition.rhs, condition.lhs
    else:
        return None
    if small == x and large.is_Number:
        return Min(x, large)
    if large == x and small.is_Number:
        return Max(x, small)
    if small == Abs(x) and large.is_Number and large.is_positive:
        return Max(Min(x, large), -large)
    return None


def clip_branches(form: Expr, x: Symbol) -> Expr:
    """``form`` with ``x`` clipped in every Piecewise branch whose own condition bounds it."""

    def clipped(piecewise: Piecewise) -> Piecewise:
        pieces = []
        for value, condition in piecewise.args:
            clip = _clip_for(condition, x)
            pieces.append((value if clip is None or not value.has(x) else value.xreplace({x: clip}), condition))
        return Piecewise(*pieces)

    return form.replace(lambda e: isinstance(e, Piecewise), clipped)


def unclip_branches(form: Expr, x: Symbol) -> Expr:
    """The inverse of ``clip_branches``: each branch's clip of ``x`` read back as ``x``."""

    def unclipped(piecewise: Piecewise) -> Piecewise:
        pieces = []
        for value, condition in piecewise.args:
            clip = _clip_for(condition, x)
            pieces.append((value if clip is None else value.xreplace({clip: x}), condition))
        return Piecewise(*pieces)

    return form.replace(lambda e: isinstance(e, Piecewise), unclipped)
