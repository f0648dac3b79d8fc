"""Proof obligations as data: one record per form that reaches a printer, and the checks that discharge them.

Every printed form is SymPy's derivation, an equality SymPy proves, a
numerical check at 50 digits over a stated grid, or a definition taken as
given.  An ``Obligation`` names the form, says which, and carries the check,
so ``python -m derive proofs`` and the tests discharge the same ledger.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sympy import Basic, Expr, Float, Max, Min, Rational, erf, exp, log

from derive.core.functions import unscaled
from derive.core.proof import prove_equal
from derive.core.stable_forms import rewrite_guarded_branches, unclamp

__all__ = ["Discharge", "Obligation", "Outcome", "derived", "proven", "defined", "checked", "proves_equal",
           "definition_of", "restored_clips"]


class Discharge(str, Enum):
    """How an obligation is met."""

    DERIVATION = "derivation"
    SYMBOLIC = "symbolic proof"
    NUMERICAL = "numerical check"
    DEFINITION = "definition"


@dataclass(frozen=True)
class Outcome:
    """The result of discharging one obligation: whether it held, why not, and how long it took."""

    held: bool
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class Obligation:
    """``form`` of ``item`` (what ``what`` names), met by ``kind``; ``check`` returns True when it holds.

    ``grid`` states where a numerical check looks; ``how`` says in a phrase
    what the check establishes.
    """

    item: str
    what: str
    form: str
    kind: Discharge
    how: str
    check: Callable[[], bool]
    grid: str | None = None

    @property
    def name(self) -> str:
        return f"{self.item}: {self.what}"

    def discharge(self) -> Outcome:
        """Run the check and time it; an exception is a failure, reported by its message."""
        start = time.perf_counter()
        try:
            held, detail = bool(self.check()), ""
        except Exception as error:  # a failing check of any kind is reported, not raised
            held, detail = False, f"{type(error).__name__}: {error}"
        return Outcome(held, time.perf_counter() - start, detail)


def _text(form: Basic | str) -> str:
    return form if isinstance(form, str) else str(form)


def derived(item: str, what: str, form: Basic, rederive: Callable[[], Basic], how: str) -> Obligation:
    """``form`` is what SymPy's derivation gives: ``rederive()`` must return it again."""
    return Obligation(item, what, _text(form), Discharge.DERIVATION, how, lambda: rederive() == form)


def proven(item: str, what: str, form: Expr, reference: Expr, how: str) -> Obligation:
    """SymPy proves ``form`` equal to ``reference`` (clamps aside, a ``ScaledDifference`` as its quotient)."""
    return Obligation(item, what, _text(form), Discharge.SYMBOLIC, how, lambda: proves_equal(form, reference))


def defined(item: str, what: str, form: Basic, how: str) -> Obligation:
    """``form`` is a definition: there is nothing to prove, only to record."""
    return Obligation(item, what, _text(form), Discharge.DEFINITION, how, lambda: True)


def checked(item: str, what: str, form: Basic | str, check: Callable[[], bool], how: str, grid: str) -> Obligation:
    """``check()`` verifies ``form`` numerically at 50 digits over ``grid``."""
    return Obligation(item, what, _text(form), Discharge.NUMERICAL, how, check, grid)


def proves_equal(form: Expr, reference: Expr) -> bool:
    """True when SymPy proves ``form == reference``.

    Guarded clips are first read back (the exact inverse of a proven
    rewrite), Floats taken as the binary numbers they are, and custom
    functions on both sides written as their definitions.
    """
    form = restored_clips(unscaled(unclamp(form)))
    form = form.xreplace({f: Rational(f) for f in form.atoms(Float)})
    return prove_equal(definition_of(form), definition_of(reference))


def definition_of(expr: Expr) -> Expr:
    """``expr`` with every custom function written as its defining expression (its ``rewrite``)."""
    expr = unscaled(expr)
    for target in (log, exp, erf):
        expr = expr.rewrite(target)
    return expr


def restored_clips(expr: Expr) -> Expr:
    """In a Piecewise branch taken only where ``c*|u| <= d``, ``clip(u, -d/c, d/c)`` read back as ``u``.

    The inverse of ``numeric``'s guarded clip; the two are equal in that
    branch (an obligation of the ledger: ``Min(u, d) = u`` for ``u <= d``,
    ``Max(u, -d) = u`` for ``u >= -d``).
    """

    return rewrite_guarded_branches(expr, lambda value, u, limit: value.xreplace({Max(Min(u, limit), -limit): u}))
