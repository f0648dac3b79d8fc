"""The ledger's obligations for the accuracy search: each rule's identity, and each found form's derivation."""

from sympy import Expr, S, Symbol, exp, expand_log

from derive.core.functions import Reciprocal
from derive.core.obligation import Discharge, Obligation, definition_of, derived, proven, proves_equal
from derive.core.proof import is_zero
from derive.stability.replay import found_holds
from derive.stability.rules import RULES, Rule, pattern_symbols
from derive.stability.search import AS_IS, Found
from derive.stability.series import SERIES, SERIES_GRID

__all__ = ["rule_obligations", "found_obligations"]


def _identity(rule: Rule) -> Obligation:
    symbols = pattern_symbols(rule)
    before, after = rule.before.xreplace(symbols), rule.after.xreplace(symbols)
    return Obligation("accuracy rule", rule.name, str(after), Discharge.SYMBOLIC,
                      f"equals {before} for real pattern variables (case by case on their signs where needed)",
                      lambda: _written_out(after) == before or proves_equal(after, before) or _by_signs(after, before))


def _written_out(expr: Expr) -> Expr:
    """``expr`` with each ``Reciprocal(a)`` as ``1/a``: SymPy's own arithmetic then writes ``(1/a)**k`` as ``a**-k``."""
    return expr.replace(lambda e: isinstance(e, Reciprocal), lambda e: 1 / e.args[0])


def _by_signs(after: Expr, before: Expr) -> bool:
    """``after == before`` proven separately for each real variable positive, negative and zero.

    ``|a|`` and ``sign(a)`` are then polynomials SymPy simplifies; at 0 both
    sides must agree, or both be undefined.
    """
    real = sorted((s for s in after.free_symbols | before.free_symbols if s.is_real and s.is_positive is None),
                  key=str)
    cases: list[dict] = [{}]
    for symbol in real:
        t = Symbol(f"{symbol.name}_t", positive=True)
        cases = [{**case, symbol: value} for case in cases for value in (t, -t, S.Zero)]
    for case in cases:
        a, b = after.xreplace(case), before.xreplace(case)
        if a.has(S.NaN, S.ComplexInfinity) or b.has(S.NaN, S.ComplexInfinity):
            if not (a.has(S.NaN, S.ComplexInfinity) and b.has(S.NaN, S.ComplexInfinity)):
                return False
            continue
        if not (proves_equal(a, b) or _exponentials_equal(a, b)):
            return False
    return True


def _exponentials_equal(a: Expr, b: Expr) -> bool:
    """``exp(a) == exp(b)`` proven: for real ``a`` and ``b`` that is ``a == b`` (``exp`` is one-to-one on the reals)."""
    return a.is_extended_real is True and b.is_extended_real is True and is_zero(
        expand_log(exp(definition_of(a)) - exp(definition_of(b)), force=True))


def rule_obligations() -> list[Obligation]:
    """One per rule of the search's database: ``after`` proven equal to ``before``."""
    return [_identity(rule) for rule in RULES]


def found_obligations(item: str, what: str, printed: Expr, found: Found, function: Expr,
                      x: Symbol) -> list[Obligation]:
    """How the ``printed`` form, the search's ``found.form``, equals ``function``: SymPy's own form, or a
    derivation replayed from the function or from a seed proven equal to it."""
    if found.how == AS_IS:
        return [derived(item, what, printed, lambda: function, "the function as SymPy writes it")]
    starts = {derivation.start: derivation.origin for derivation, _ in found.pieces if derivation.origin != AS_IS}
    result = [proven(item, f"{what}, {origin} form", start, function, f"a {origin} form, equal to the function")
              for start, origin in starts.items()]
    series = any(step.rule == SERIES for derivation, _ in found.pieces for step in derivation.steps)
    result.append(Obligation(item, what, str(printed), Discharge.NUMERICAL if series else Discharge.SYMBOLIC,
                             "the accuracy search's form: each step a proven rule, SymPy's algebra, a branch clip, "
                             "a checked clamp or a Taylor polynomial checked on its branch, replayed from the "
                             "function or a form proven equal to it",
                             lambda: printed == found.form and found_holds(found, function, x),
                             SERIES_GRID if series else None))
    return result
