"""Functions the in-place printer writes out as operations it compiles with ``out=``.

``codegen.inplace`` prints one NumPy call per operation into a buffer.  A
function it has no call for would be computed whole and copied in, allocating
an array of the batch's size every step; each function a catalogue
activation or loss uses is therefore replaced here by an expression of
operations first: ``NormalCDF`` by ``derive.core.normal_cdf.NORMAL_CDF``, the
form every other printer evaluates, and ``XLogY``/``XDivY`` by their
convention (0 where the first argument is 0) as a ``Piecewise``, the same
``np.where`` the array printer writes.  ``FORMS`` maps a function class to
its replacement; a new class adds an entry (``tests/test_inplace_forms.py``
proves each one equal to the function).
"""

from collections.abc import Callable, Iterator
from functools import cache
from itertools import count

from sympy import Basic, Eq, Expr, Piecewise, S, Symbol, cse, evaluate, log

from derive.core.normal_cdf import NORMAL_CDF, normal_cdf_input
from derive.core.functions import NormalCDF, XDivY, XLogY

__all__ = ["FORMS", "expand_forms", "split_form"]


def _normal_cdf(x: Expr) -> Expr:
    return NORMAL_CDF.xreplace({normal_cdf_input: x})


def _guarded(a: Expr, b: Expr) -> Expr:
    """``b``, with 1 where ``a`` is 0: the argument ``log`` and division read, never 0 there."""
    return Piecewise((S.One, Eq(a, 0)), (b, True))


def _x_log_y(a: Expr, b: Expr) -> Expr:
    return a * log(_guarded(a, b))


def _x_div_y(a: Expr, b: Expr) -> Expr:
    return a / _guarded(a, b)


#: Function class -> the expression of in-place operations equal to it, given its arguments.
FORMS: dict[type, Callable[..., Expr]] = {NormalCDF: _normal_cdf, XLogY: _x_log_y, XDivY: _x_div_y}


def expand_forms(expr: Basic) -> Basic:
    """``expr`` with every function in ``FORMS`` replaced by its expression, innermost first."""
    for function, form in FORMS.items():
        expr = expr.replace(lambda e, f=function: isinstance(e, f), lambda e, g=form: g(*e.args))
    return expr


def split_form(expr: Basic, names: Iterator[Symbol]) -> tuple[list[tuple[Symbol, Basic]], Basic]:
    """``expr`` with its ``FORMS`` functions written out and split by ``cse``: temporaries named from ``names``.

    A function of real symbols (GELU's ``NormalCDF(inp3)``, once a layer) reuses
    the split of its form of generic arguments, the symbols put in without
    evaluating again: a deep network's hundred splits cost one ``cse``.
    """
    function = type(expr)
    if function in FORMS and all(isinstance(a, Symbol) and a.is_real for a in expr.args):
        arguments, temporaries, reduced = _generic_split(function, len(expr.args))
        renaming = {**dict(zip(arguments, expr.args)), **{name: next(names) for name, _ in temporaries}}
        with evaluate(False):
            return [(renaming[t], value.xreplace(renaming)) for t, value in temporaries], reduced.xreplace(renaming)
    expanded = expand_forms(expr)
    if expanded == expr:
        return [], expr
    temporaries, (reduced,) = cse(expanded, symbols=names)
    return temporaries, reduced


@cache
def _generic_split(function: type, arity: int) -> tuple[tuple[Symbol, ...], list[tuple[Symbol, Basic]], Basic]:
    """``function``'s form of ``arity`` real symbols, split by ``cse``; every name is replaced when it is used."""
    arguments = tuple(Symbol(f"_a{i}", real=True) for i in range(arity))
    temporaries, (reduced,) = cse(FORMS[function](*arguments), symbols=(Symbol(f"_t{n}") for n in count()))
    return arguments, temporaries, reduced
