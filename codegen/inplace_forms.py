"""Split a function written out as operations (``derive.core.operation_forms``) into named temporaries.

``codegen.inplace`` compiles one NumPy call per operation; ``split_form``
writes out a ``FORMS`` function and shares its repeated parts, and does so
once per function class however many layers use it.
"""

from collections.abc import Iterator
from functools import cache
from itertools import count

from sympy import Basic, Indexed, Symbol, cse, evaluate

from derive.core.operation_forms import FORMS
from derive.core.row_shift import RowMax

from .lowering import lower

__all__ = ["split_form"]


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
    expanded = expr.replace(lambda e: type(e) in FORMS, lambda e: _written_out(type(e), e.args))
    if expanded == expr:
        return [], expr
    temporaries, (reduced,) = cse(expanded, symbols=names)
    return temporaries, reduced


@cache
def _generic_split(function: type, arity: int) -> tuple[tuple[Symbol, ...], list[tuple[Symbol, Basic]], Basic]:
    """``function``'s form of ``arity`` real symbols, split by ``cse``; every name is replaced when it is used."""
    arguments = tuple(Symbol(f"_a{i}", real=True) for i in range(arity))
    temporaries, (reduced,) = cse(_written_out(function, arguments), symbols=(Symbol(f"_t{n}") for n in count()))
    return arguments, temporaries, reduced


def _written_out(function: type, arguments: tuple) -> Basic:
    """``function``'s form of ``arguments``, lowered to whole arrays where it reads rows (``ShiftRows``)."""
    form = FORMS[function](*arguments)
    return lower(form) if form.has(Indexed, RowMax) else form
