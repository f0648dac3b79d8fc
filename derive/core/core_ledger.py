"""The obligations of ``derive.core``: custom functions' derivative rules, ``FORMS``, stable forms, printer conventions.

Built by iterating the custom functions of ``derive.core.functions`` and the
entries of ``derive.core.operation_forms.FORMS``, so a new function or form
gets an obligation, and fails it until SymPy proves it (or, for an
approximation listed in ``APPROXIMATIONS``, until it passes its 50-digit check).
"""

import inspect
from collections.abc import Callable

import mpmath
from sympy import (
    Dummy, Eq, Expr, FiniteSet, Function, IndexedBase, Piecewise, Symbol, diff, exp, lambdify, log, simplify,
)

from derive.core import functions
from derive.core.functions import Logistic, NormalCDF, XDivY, XLogY
from derive.core.normal_cdf import NORMAL_CDF, normal_cdf_input
from derive.core.obligation import Discharge, Obligation, checked, definition_of, proven
from derive.core.operation_forms import FORMS
from derive.core.saturation import GRID, clamps_of, saturated_parts, saturates
from derive.core.row_shift import Largest, RowMax, ShiftRows
from derive.core.stable_forms import stable_sigmoids, unclamp

__all__ = ["core_obligations", "custom_functions", "APPROXIMATIONS", "HALVES", "GUARDS"]

_A, _B = Symbol("a", real=True), Symbol("b", real=True)
_K = Symbol("k", positive=True)


def custom_functions() -> list[type]:
    """The SymPy function classes ``derive.core.functions`` defines, in source order."""
    found = [c for _, c in inspect.getmembers(functions, inspect.isclass)
             if issubclass(c, Function) and c.__module__ == functions.__name__]
    return sorted(found, key=lambda c: inspect.getsourcelines(c)[1])


def _arguments(function: type) -> tuple[Symbol, ...]:
    """Symbols for a call of ``function``; a third argument (a scale) is positive."""
    return (_A, _B, _K)[:_arity(function)]


def _arity(function: type) -> int:
    """The number of arguments: from ``nargs`` when SymPy knows it, else from a ``rewrite`` method's signature."""
    if isinstance(function.nargs, FiniteSet):
        return int(min(function.nargs))
    for name, method in vars(function).items():
        if name.startswith("_eval_rewrite_as_"):
            return sum(p.kind is p.POSITIONAL_OR_KEYWORD for p in inspect.signature(method).parameters.values()) - 1
    return 1


def _fdiff_obligations(function: type) -> list[Obligation]:
    """One per argument: the hand-written ``fdiff`` equals ``diff`` of the definition."""
    if "fdiff" not in vars(function):
        return []
    call = function(*_arguments(function))
    defined = definition_of(call)
    if defined.has(function):
        return [Obligation(f"function {function.__name__}", "definition", str(call), Discharge.SYMBOLIC,
                           "no rewrite gives its definition: add one", lambda: False)]
    return [
        proven(f"function {function.__name__}", f"fdiff, argument {k}", call.fdiff(k),
               diff(defined, argument), f"equals diff of {defined} with respect to {argument}")
        for k, argument in enumerate(call.args, start=1)
    ]


def _phi_matches(form: Callable[[Expr], Expr]) -> bool:
    """``form(x)`` at 50 digits within 1e-15 relative of mpmath's normal CDF on the grid of ``PHI_GRID``."""
    t = Dummy("t", real=True)
    evaluate = lambdify(t, unclamp(form(t)), modules="mpmath")
    with mpmath.workdps(50):
        for step in range(-640, 641):
            point = mpmath.mpf(step) / 16
            exact = mpmath.ncdf(point)
            if abs(evaluate(point) - exact) > mpmath.mpf("1e-15") * exact:
                return False
    return True


#: FORMS entries that approximate their function: a 50-digit check and its grid instead of a proof.
APPROXIMATIONS: dict[type, tuple[Callable[[Callable[[Expr], Expr]], bool], str]] = {
    NormalCDF: (_phi_matches,
                "x = -40, -40 + 1/16, ..., 40 (1281 points); |form - Phi| <= 1e-15 Phi, Phi by mpmath.ncdf"),
}


def _form_obligations(function: type, form: Callable[..., Expr]) -> list[Obligation]:
    """The form proven equal to the function (or, if an approximation, checked), and each of its clamps checked."""
    item = f"operation form of {function.__name__}"
    arguments = (IndexedBase("z")[Symbol("n"), Symbol("i")],) if function in CONDITIONAL else _arguments(function)
    try:
        written = form(*arguments)
    except Exception as error:  # an entry that cannot even be written out fails its obligation, loudly
        message = f"{type(error).__name__}: {error}"
        return [Obligation(item, "equals the function", "?", Discharge.SYMBOLIC, f"cannot be written: {message}",
                           lambda: False)]
    if function in CONDITIONAL:
        how, holds = CONDITIONAL[function]
        result = [Obligation(item, "equals the function", str(written), Discharge.SYMBOLIC, how, holds)]
    elif function in APPROXIMATIONS:
        check, grid = APPROXIMATIONS[function]
        result = [checked(item, "approximation", written, lambda: check(form),
                          "Cephes rational approximation, checked against the exact function", grid)]
    else:
        result = [proven(item, "equals the function", written, definition_of(function(*arguments)),
                         "equal to the definition, and to the function's value where its convention applies")]
    for clamp in clamps_of(written):
        result.append(checked(item, f"clamp ±{float(clamp.args[1]):g}", clamp,
                              lambda p=saturated_parts(written, clamp), c=clamp: all(saturates(q, c) for q in p),
                              "one float64 value beyond the bound, as at it", GRID))
    return result


#: The printed form of ``ScaledDifference(a, b, k)``: the halves cannot overflow.
HALVES = (_A / 2 - _B / 2) / (_K / 2)
#: ``XLogY``/``XDivY`` as printed: the second argument replaced by 1 where the first is 0.
GUARDS = {XLogY: _A * log(Piecewise((1, Eq(_A, 0)), (_B, True))), XDivY: _A / Piecewise((1, Eq(_A, 0)), (_B, True))}


def _stable_sigmoids_hold() -> bool:
    """``stable_sigmoids(1/(1 + exp(a)))`` is ``Logistic(-a)``, whose definition SymPy proves equal to it.

    The stable quotient ``Logistic`` is computed as is the operation form of ``Logistic``, an obligation of its own.
    """
    logistic = 1 / (1 + exp(_A))
    rewritten = stable_sigmoids(logistic)
    return isinstance(rewritten, Logistic) and simplify(definition_of(rewritten) - logistic) == 0


def _floored(value: Expr, maximum: Expr, logits: IndexedBase) -> Expr:
    """``ShiftRows``' computed form with the entry ``value`` and the row maximum ``maximum`` put in."""
    entry = logits[Symbol("n"), Symbol("i")]
    form = ShiftRows(entry).computed_form
    return form.xreplace({RowMax(logits, Symbol("n")): maximum}).xreplace({entry: value})


def _floored_difference_holds() -> bool:
    """``Max(z, max(M, 0) - L) - M = z - M`` wherever ``z >= -L`` and ``z - M >= -L`` (the float range).

    For ``M >= 0`` write ``z = M - L + e``; for ``M < 0`` write ``z = -L + e`` (``e >= 0``): SymPy's ``Max`` decides.
    """
    logits, largest = IndexedBase("z"), Symbol("L", positive=True)
    e, m_up, m_down = Symbol("e", nonnegative=True), Symbol("M", nonnegative=True), Symbol("M", negative=True)
    cases = [(m_up, m_up - largest + e), (m_down, -largest + e)]
    for maximum, value in cases:
        floored = _floored(value, maximum, logits).xreplace({Largest(logits): largest})
        if simplify(floored - (value - maximum)) != 0:
            return False
    return True


#: FORMS entries equal to their function only where the float range holds: each with its own proof.
CONDITIONAL: dict[type, tuple[str, Callable[[], bool]]] = {
    ShiftRows: ("equals z - max_k z wherever the difference fits the float range", _floored_difference_holds),
}


def core_obligations() -> list[Obligation]:
    """Every obligation of ``derive.core``, in a fixed order."""
    ledger = [o for function in custom_functions() for o in _fdiff_obligations(function)]
    ledger += [o for function, form in FORMS.items() for o in _form_obligations(function, form)]
    ledger.append(Obligation("normal CDF", "the helper _normal_cdf", "NORMAL_CDF", Discharge.SYMBOLIC,
                             "the same expression as the operation form of NormalCDF, whose checks cover it",
                             lambda: NormalCDF in FORMS and FORMS[NormalCDF](normal_cdf_input) == NORMAL_CDF))
    ledger.append(proven("printer convention", "ScaledDifference(a, b, k)", HALVES, (_A - _B) / _K,
                         "(a/2 - b/2)/(k/2) equals (a - b)/k"))
    for function, guarded in GUARDS.items():
        ledger.append(proven("printer convention", f"{function.__name__}(a, b)", guarded,
                             definition_of(function(_A, _B)), "0 where a = 0, the function elsewhere"))
    a = _A
    ledger.append(Obligation("stable form", "stable_sigmoids", str(stable_sigmoids(1 / (1 + exp(a)))),
                             Discharge.SYMBOLIC, "a Logistic whose definition equals 1/(1 + exp(a))",
                             _stable_sigmoids_hold))
    return ledger

