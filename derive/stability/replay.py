"""Check a found form: replay its derivation from the function, each step justified.

A step is justified when it is an instance of a rule of the database (whose
identity the ledger proves), SymPy's own algebra reproduces it, it clips a
branch's input to the range the branch is taken in, it clamps ``x``
where the part saturates (the ledger checks each clamp at 50 digits), or it
is the Taylor polynomial, checked at 50 digits on the branch it serves.  A
found form equal to the function then follows by substitution of equals.
"""

from sympy import Abs, Expr, LessThan, Piecewise, Symbol, true

from derive.core.stable_forms import unclamp
from derive.stability.branch_clips import clip_branches, unclip_branches
from derive.stability.rules import RULES
from derive.stability.search import ALGEBRA, AS_IS, CLIP, SATURATE, Derivation, Found, Step
from derive.stability.series import SERIES, series_holds, taylor

__all__ = ["step_holds", "derivation_holds", "found_holds"]

_RULES = {rule.name: rule for rule in RULES}


def step_holds(step: Step, x: Symbol) -> bool:
    """True when ``step`` rewrites ``before`` into ``after`` by a rule, SymPy's algebra, a clip or a clamp."""
    if step.rule in _RULES:
        return step.after in _RULES[step.rule].applied(step.before)
    if step.rule in ALGEBRA:
        return ALGEBRA[step.rule](step.before) == step.after
    if step.rule == CLIP:
        return step.after == clip_branches(step.before, x) and unclip_branches(step.after, x) == step.before
    if step.rule == SATURATE:
        return unclamp(step.after) == unclamp(step.before) and step.after != step.before
    return False


def _series_holds(step: Step, x: Symbol, condition: object) -> bool:
    """The step is SymPy's Taylor polynomial of what it replaces, within 2**-60 wherever ``condition`` holds."""
    if not (isinstance(condition, LessThan) and condition.lhs == Abs(x) and condition.rhs.is_Number):
        return False
    return step.after == taylor(step.before, x) and series_holds(step.before, step.after, x, float(condition.rhs))


def derivation_holds(derivation: Derivation, x: Symbol, condition: object = true) -> bool:
    """True when ``derivation``'s steps, applied to its start in order, each justified, give its form.

    A Taylor polynomial is justified only where ``condition`` is ``|x| <= r`` and it holds there.
    """
    form = derivation.start
    for step in derivation.steps:
        if step.rule == SERIES:
            if not _series_holds(step, x, condition):
                return False
        elif not form.has(step.before) or not step_holds(step, x):
            return False
        form = form.xreplace({step.before: step.after})
    return form == derivation.form


def found_holds(found: Found, function: Expr, x: Symbol) -> bool:
    """True when every piece of ``found`` replays, from ``function`` unless it starts from a seed (proven
    equal on its own), and joining them gives ``found.form``."""
    for derivation, condition in found.pieces:
        if derivation.origin == AS_IS and derivation.start != function or not derivation_holds(
                derivation, x, condition):
            return False
    if len(found.pieces) == 1:
        return found.pieces[0][0].form == found.form
    joined = Piecewise(*[(derivation.form, condition) for derivation, condition in found.pieces])
    return found.pieces[-1][1] == true and clip_branches(joined, x) == found.form
