"""``Logistic`` and ``ShiftRows``: each computed form proven equal to its definition with SymPy,
their numeric values checked against mpmath, their LaTeX and their place in ``FORMS``."""

import mpmath
import pytest
from sympy import (
    Float, IndexedBase, Max, Piecewise, S, Symbol, exp, lambdify, latex, log, oo, simplify,
)

from derive.core.functions import Logistic
from derive.core.operation_forms import FORMS
from derive.core.row_shift import Largest, RowMax, ShiftRows
from derive.core.stable_forms import stable_sigmoids
from derive.core.symbols import i, indexed, n

POSITIVE, NONNEGATIVE = Symbol("p", positive=True), Symbol("q", nonnegative=True)


def _max_decided(expr):
    """``expr`` with each ``Max(u, v)`` replaced by the larger argument, where SymPy shows ``u - v``'s sign."""

    def larger(e):
        u, v = e.args
        difference = simplify(u - v)
        if difference.is_nonnegative:
            return u
        if difference.is_nonpositive:
            return v
        raise AssertionError(f"the sign of {difference} is not decided")

    return expr.replace(lambda e: isinstance(e, Max) and len(e.args) == 2, larger)


# a > 0 written a = log(1 + w), w > 0, so that exp(-a) = 1/(1 + w) <= 1 is decided; a = 0; a < 0.
SIGNS = [log(1 + POSITIVE), S.Zero, -POSITIVE]


@pytest.mark.parametrize("a", SIGNS, ids=["a > 0", "a = 0", "a < 0"])
def test_the_logistic_computed_form_equals_its_definition_for_each_sign(a):
    call = Logistic(a)
    assert simplify(_max_decided(call.computed_form) - call.definition) == 0


def test_the_logistic_definition_is_one_over_one_plus_exp_minus_a():
    a = Symbol("a", real=True)
    assert Logistic(a).definition == 1 / (1 + exp(-a))


def test_the_logistic_computed_form_reads_exp_only_at_minus_the_absolute_value():
    a = Symbol("a", real=True)
    arguments = {e.args[0] for e in Logistic(a).computed_form.atoms(exp)}
    assert all(argument.is_nonpositive for argument in arguments)


def test_the_logistic_is_its_limits_at_the_infinities():
    assert (Logistic(oo), Logistic(-oo)) == (1, 0)


@pytest.mark.parametrize("value", ["-745.5", "-3.25", "0", "0.5", "40"])
def test_the_logistic_evaluates_as_mpmath_does(value):
    with mpmath.workdps(40):
        expected = 1 / (1 + mpmath.exp(-mpmath.mpf(value)))
        assert abs(Logistic(Float(value, 40)).evalf(40) - Float(str(expected), 40)) <= 1e-35 * expected


def test_the_logistic_lambdifies_to_mpmath():
    a = Symbol("a", real=True)
    function = lambdify(a, Logistic(a), modules="mpmath")
    with mpmath.workdps(30):
        assert abs(function(mpmath.mpf(2)) - 1 / (1 + mpmath.exp(-2))) < mpmath.mpf(10) ** -28


def test_the_logistic_is_real():
    assert Logistic(Symbol("a", real=True)).is_real


def test_the_logistic_shows_as_sigma_in_latex():
    assert latex(Logistic(Symbol("a", real=True))) == r"\sigma\left(a\right)"


def test_stable_sigmoids_names_every_logistic_term():
    a = Symbol("a", real=True)
    assert stable_sigmoids(1 / (1 + exp(-a)) + 1 / (1 + exp(a))) == Logistic(a) + Logistic(-a)


def test_the_row_shift_definition_is_the_entry_minus_its_row_maximum():
    z = indexed("z")
    assert ShiftRows(z[n, i]).definition == z[n, i] - RowMax(z, n)


def test_the_row_shift_computed_form_equals_its_definition_above_the_floor():
    # The floor max(M, 0) - Largest only binds where z - M is below the float range; above it the two agree.
    z = indexed("z")
    floor = Max(RowMax(z, n), 0) - Largest(z)
    call = ShiftRows(z[n, i])
    above = call.computed_form.xreplace({z[n, i]: floor + NONNEGATIVE})
    assert simplify(above - call.definition.xreplace({z[n, i]: floor + NONNEGATIVE})) == 0


def test_the_row_shift_of_a_lowered_array_reads_its_entries():
    assert ShiftRows(Symbol("z", real=True)).definition == indexed("z")[n, i] - RowMax(IndexedBase("z", real=True), n)


def test_the_row_shift_shows_the_subtracted_maximum_in_latex():
    assert latex(ShiftRows(indexed("z")[n, i])) == r"\left(z_{n, i} - \max_{k} z_{n, k}\right)"


@pytest.mark.parametrize("function", [Logistic, ShiftRows])
def test_each_named_form_is_registered_for_the_in_place_printer(function):
    argument = Symbol("a", real=True)
    assert FORMS[function](argument) == function(argument).computed_form


def test_the_logistic_indicator_is_a_piecewise_of_the_sign():
    a = Symbol("a", real=True)
    (indicator,) = Logistic(a).computed_form.atoms(Piecewise)
    assert indicator == Piecewise((1, a >= 0), (0, True))
