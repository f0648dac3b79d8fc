"""Functions written out as expressions of elementwise operations, for printers that compile operations.

The in-place printer (``codegen.inplace``) writes one NumPy call per
operation into a buffer.  A function it has no call for would be computed
whole and copied in, allocating an array of the batch's size every step; each
function a catalogue activation or loss uses is therefore replaced by an
expression of operations first: ``NormalCDF`` by
``derive.core.normal_cdf.NORMAL_CDF``, the form every other printer
evaluates, ``Logistic`` and ``ShiftRows`` by their ``computed_form`` (the
bodies of the array printer's ``_sigmoid`` and ``_shift_rows``), and
``XLogY``/``XDivY`` by their convention (0 where the first argument is 0) as
a ``Piecewise``, the same ``np.where`` the array printer writes.  ``FORMS`` maps a function class to its replacement; a new class adds
an entry (``tests/test_operation_forms.py`` proves each one equal to the function).
"""

from collections.abc import Callable

from sympy import Basic, Eq, Expr, Piecewise, S, log

from .functions import Logistic, NormalCDF, XDivY, XLogY
from .normal_cdf import NORMAL_CDF, normal_cdf_input
from .row_shift import ShiftRows

__all__ = ["FORMS", "expand_forms"]


def _normal_cdf(x: Expr) -> Expr:
    return NORMAL_CDF.xreplace({normal_cdf_input: x})


def _guarded(a: Expr, b: Expr) -> Expr:
    """``b``, with 1 where ``a`` is 0: the argument ``log`` and division read, never 0 there."""
    return Piecewise((S.One, Eq(a, 0)), (b, True))


def _x_log_y(a: Expr, b: Expr) -> Expr:
    return a * log(_guarded(a, b))


def _x_div_y(a: Expr, b: Expr) -> Expr:
    return a / _guarded(a, b)


#: Function class -> the expression of elementwise operations equal to it, given its arguments.
FORMS: dict[type, Callable[..., Expr]] = {
    NormalCDF: _normal_cdf, XLogY: _x_log_y, XDivY: _x_div_y,
    Logistic: lambda a: Logistic(a).computed_form, ShiftRows: lambda z: ShiftRows(z).computed_form,
}


def expand_forms(expr: Basic) -> Basic:
    """``expr`` with every function in ``FORMS`` replaced by its expression, innermost first."""
    for function, form in FORMS.items():
        expr = expr.replace(lambda e, f=function: isinstance(e, f), lambda e, g=form: g(*e.args))
    return expr
