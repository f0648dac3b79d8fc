"""``codegen.inplace_forms``: each function's in-place form, proven equal to it by SymPy."""

import pytest
from sympy import Eq, Symbol, log, simplify

from codegen.inplace_forms import FORMS, expand_forms
from derive.normal_cdf import NORMAL_CDF, normal_cdf_input
from derive.special import NormalCDF, XDivY, XLogY

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
