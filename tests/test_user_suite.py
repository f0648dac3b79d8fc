"""The user-style suite: the code generated for each activation a user would register, and its derivative.

Each item of ``tools/user_suite.py`` is registered as an extension file
registers it, printed by codegen and measured on the full grid against
mpmath (the ``suite`` fixture, once per run): finite and free of
floating-point warnings wherever the true value is finite, and within 4 ulp
wherever the function is well conditioned (condition number at most 16),
except the gaps of ``KNOWN_GAPS``.  A gap stays within its measured bound,
and an entry whose function has become accurate fails until it is deleted.
"""

import pytest
from sympy import Symbol, diff, lambdify

from derive.core.symbols import x
from derive.stability.sample import WELL_CONDITIONED
from tools.conditioning import Conditioned
from tools.user_suite import KNOWN_GAPS, SUITE

#: The target wherever a function is well conditioned.
TOLERANCE_ULPS = 4.0
LABELS = [label for item in SUITE for label in (item.name, f"{item.name}′")]
ACCURATE = [label for label in LABELS if label not in KNOWN_GAPS]


def _id(label: str) -> str:
    return label.replace("′", "'")


def test_known_gaps_name_suite_functions():
    assert sorted(KNOWN_GAPS.keys() - set(LABELS)) == []


def test_every_suite_function_is_measured(suite):
    assert list(suite) == LABELS


@pytest.mark.parametrize("label", LABELS, ids=_id)
def test_finite_without_warnings_wherever_the_true_value_is_finite(suite, label):
    assert suite[label].everywhere.violations == ()


@pytest.mark.parametrize("label", ACCURATE, ids=_id)
def test_within_4_ulp_wherever_well_conditioned(suite, label):
    measured = suite[label].well_conditioned
    assert measured.max_ulp <= TOLERANCE_ULPS, f"{measured.max_ulp:.3g} ulp at x = {measured.where!r}"


@pytest.mark.parametrize("label", KNOWN_GAPS, ids=_id)
def test_known_gap_stays_within_its_documented_bound(suite, label):
    measured = suite[label].well_conditioned
    assert measured.max_ulp <= KNOWN_GAPS[label].ulps, f"{measured.max_ulp:.3g} ulp; {KNOWN_GAPS[label].reason}"


@pytest.mark.parametrize("label", KNOWN_GAPS, ids=_id)
def test_known_gap_still_misses_the_tolerance(suite, label):
    """A gap closed by a better form must leave KNOWN_GAPS, so the tolerance guards that function again."""
    assert suite[label].well_conditioned.max_ulp > TOLERANCE_ULPS


@pytest.mark.parametrize("label", LABELS, ids=_id)
def test_the_accuracy_target_is_measured_on_most_of_the_domain(suite, label):
    """The target binds: at least two thirds of each function's points are well conditioned."""
    function = suite[label]
    assert function.well_conditioned.points + function.ill_conditioned == function.everywhere.points
    assert function.well_conditioned.points >= 2 * function.everywhere.points / 3


t = Symbol("t", real=True)


@pytest.mark.parametrize(("function", "point", "expected"), [
    (t * t, 3.0, 2.0), (t - 1, 1e-30, 1e-30), (t**3 / 3, -2.0, 3.0),
], ids=["square", "near its zero", "cubic"])
def test_condition_number_is_x_times_the_slope_over_the_value(function, point, expected):
    assert Conditioned(function, t).condition(point) == pytest.approx(expected, rel=1e-12)


def test_condition_number_at_a_zero_away_from_0_is_infinite():
    assert Conditioned(t - 1, t).condition(1.0) == float("inf")


def test_mish_is_ill_conditioned_in_its_left_tail():
    """|x f'/f| of mish grows like |x| for x << 0, computed here from the definition in float64."""
    (mish,) = [item.definition for item in SUITE if item.name == "mish"]
    f, slope = lambdify(x, mish), lambdify(x, diff(mish, x))
    assert abs(-30.0 * slope(-30.0) / f(-30.0)) > WELL_CONDITIONED
    assert Conditioned(mish.xreplace({x: t}), t).condition(-30.0) > WELL_CONDITIONED
