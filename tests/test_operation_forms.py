"""``derive.core.operation_forms``: each function written out as operations, proven equal to it by SymPy;
``codegen.inplace_forms``: a split stands for the written-out form."""

import pytest
from sympy import Eq, Float, Max, Min, Symbol, log, simplify

from codegen.inplace_forms import split_form
from derive.core.operation_forms import FORMS, expand_forms
from derive.core.normal_cdf import NORMAL_CDF, normal_cdf_input
from derive.core.functions import NormalCDF, XDivY, XLogY
from derive.core.stable_forms import Clamp

A, B = Symbol("a", real=True), Symbol("b", positive=True)


@pytest.mark.parametrize("function", [XLogY, XDivY])
def test_the_form_is_zero_where_the_first_argument_is_zero(function):
    assert simplify(FORMS[function](A, B).subs(A, 0)) == 0
    assert function(0, B) == 0


@pytest.mark.parametrize("function", [XLogY, XDivY])
def test_the_form_equals_the_function_where_the_first_argument_is_not_zero(function):
    nonzero = FORMS[function](A, B).xreplace({Eq(A, 0): False})
    assert simplify(nonzero - function(A, B).rewrite(log)) == 0


def test_the_normal_cdf_form_is_the_one_every_printer_evaluates():
    assert FORMS[NormalCDF](A) == NORMAL_CDF.xreplace({normal_cdf_input: A})


def test_expand_forms_replaces_every_function_it_knows():
    expanded = expand_forms(XLogY(A, B) + XDivY(A, B) * NormalCDF(A))
    assert not expanded.has(XLogY, XDivY, NormalCDF)


def _recomposed(temporaries, reduced):
    """The expression a split stands for: each temporary put back, last first."""
    for name, value in reversed(temporaries):
        reduced = reduced.xreplace({name: value})
    return reduced


@pytest.mark.parametrize("expr", [NormalCDF(A), NormalCDF(Symbol("inp3", real=True)), XLogY(A, B), XDivY(A, B),
                                  NormalCDF(A + 1) * A])
def test_a_split_stands_for_the_written_out_form(expr):
    temporaries, reduced = split_form(expr, (Symbol(f"_t{n}") for n in range(10**6)))
    recomposed, written_out = _recomposed(temporaries, reduced), expand_forms(expr)
    for a, b in [(-3.5, 0.25), (-0.5, 1.0), (0.0, 2.0), (0.7, 7.5), (4.0, 30.0)]:
        point = {s: Float(v, 30) for s, v in zip(sorted(expr.free_symbols, key=str), (a, b))}
        assert _value(recomposed, point) == pytest.approx(_value(written_out, point), rel=1e-15)


def _value(expr, point) -> float:
    """``expr`` at ``point``, a clamp evaluated as the clip it prints."""
    at_point = expr.xreplace(point).replace(
        lambda e: isinstance(e, Clamp), lambda e: Min(Max(e.args[0], -e.args[1]), e.args[1]),
    )
    return float(at_point.evalf(30))


def test_a_split_names_its_temporaries_from_the_names_given():
    names = iter([Symbol("first"), Symbol("second")] + [Symbol(f"_t{n}") for n in range(10**3)])
    temporaries, _ = split_form(NormalCDF(A), names)
    assert [str(name) for name, _ in temporaries[:2]] == ["first", "second"]
