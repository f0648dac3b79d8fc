"""Module-private helpers (``_sigmoid``, ``_shift_rows``, ``_normal_cdf``), printed from their forms in ``derive``.

The array printer writes a function of ``codegen.printer.HELPERS`` as a call;
each generated module that makes such a call defines the helper once, its
body printed by SymPy from the function's form in
``derive.core.operation_forms.FORMS`` and its docstring from the definition.
"""

from collections.abc import Iterable

from sympy import Basic, Expr, Symbol

from derive.core.functions import Logistic, NormalCDF
from derive.core.normal_cdf import normal_cdf_input
from derive.core.operation_forms import FORMS
from derive.core.row_shift import ShiftRows
from derive.core.stable_forms import Shifted
from derive.core.symbols import x

from .emit import Body
from .formula import formula
from .catalogue_module import Function
from .printer import HELPERS

__all__ = ["helper_functions", "printed_expressions"]

#: Fields of catalogue items (activations, vector functions, losses, penalties) that code evaluates.
_PRINTED_FIELDS = (
    "computed_as", "derivative_computed_as", "output_form", "jacobian_diagonal", "vjp_output_form",
    "cost_computed_as", "gradient_computed_as",
)


def printed_expressions(items: Iterable[object]) -> list[Basic]:
    """The expressions generated code evaluates for catalogue ``items``, shifted logits included."""
    found: list[Basic] = []
    for item in items:
        fields = _PRINTED_FIELDS + (("cost", "gradient") if not hasattr(item, "cost_computed_as") else ())
        for value in (getattr(item, name, None) for name in fields):
            if isinstance(value, Shifted):
                found += [value.expr, *(let.value for let in value.lets)]
            elif isinstance(value, Basic):
                found.append(value)
    return found


def helper_functions(exprs: Iterable[Basic]) -> list[Function]:
    """The helpers ``exprs`` call, each once, in the order of ``HELPERS``."""
    exprs = list(exprs)
    return [_helper(function) for function in HELPERS if any(e.has(function) for e in exprs)]


def _helper(function: type) -> Function:
    """``function``'s helper: one argument, the body printed from ``FORMS[function]``."""
    argument = _ARGUMENTS[function]
    body = Body()
    result = body.code(FORMS[function](argument))
    return Function(
        name=HELPERS[function], arguments=[str(argument)], doc=_DOCS[function](function(argument)),
        result=result, forward=body.statements,
    )


def _logistic_doc(call: Expr) -> str:
    return (
        f"The logistic sigmoid {formula(call)} = {formula(call.definition)}, computed as\n"
        f"    {formula(call.computed_form)}: exp never overflows; printed from derive/core/functions.py."
    )


def _shift_doc(call: Expr) -> str:
    return (
        f"Each row of {call.args[0]} shifted by its maximum, {formula(call.definition)}, computed as\n"
        f"    {formula(call.computed_form)}:\n"
        "    floored so that no row overflows; printed from derive/core/row_shift.py."
    )


def _normal_cdf_doc(call: Expr) -> str:
    return (
        "The standard normal CDF Phi(x), from the Cephes rational approximations of erf and erfc\n"
        "    (NumPy has none); printed from derive/core/normal_cdf.py."
    )


_ARGUMENTS: dict[type, Symbol] = {NormalCDF: normal_cdf_input, Logistic: x, ShiftRows: Symbol("z", real=True)}
_DOCS = {NormalCDF: _normal_cdf_doc, Logistic: _logistic_doc, ShiftRows: _shift_doc}
