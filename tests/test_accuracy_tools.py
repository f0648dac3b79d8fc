"""The measuring tools themselves: the ulp convention, the reference, the grid, violations.

The accuracy tests and docs/accuracy.md are only as good as these, so each
convention the page states is checked here on a case with a known answer.
"""

import mpmath
import numpy as np
from sympy import Symbol, exp, log, tanh

from tools.cases import Case
from derive.stability.grid import float64_grid
from tools.measure import measure
from derive.stability.reference import Reference
from derive.stability.ulp import ulp, ulp_error

t = Symbol("t", real=True)
SMALLEST_SUBNORMAL = 2.0 ** -1074


def test_ulp_of_one_is_machine_epsilon():
    assert ulp(mpmath.mpf(1)) == 2.0 ** -52


def test_ulp_below_the_normal_range_is_the_smallest_subnormal():
    assert ulp(mpmath.mpf("1e-320")) == ulp(mpmath.mpf("1e-400")) == SMALLEST_SUBNORMAL


def test_ulp_beyond_the_largest_float_is_the_spacing_at_the_largest_float():
    assert ulp(mpmath.mpf("1e400")) == 2.0 ** 971


def test_ulp_error_of_exact_zero_is_zero():
    assert ulp_error(0.0, mpmath.mpf(0)) == 0.0


def test_ulp_error_of_a_correctly_rounded_value_is_at_most_half():
    with mpmath.workdps(50):
        tenth = mpmath.mpf(1) / 10
    assert 0.0 < ulp_error(0.1, tenth) <= 0.5


def test_reference_raises_precision_until_a_cancelling_definition_settles():
    # At 50 digits log(1 + exp(-200)) is log(1) = 0; the true value is 1.4e-87.
    (value,) = Reference([log(1 + exp(t))], t)(-200.0)
    assert float(value) == float(mpmath.exp(-200))


def test_reference_of_a_logarithm_of_a_negative_number_is_outside_the_domain():
    assert Reference([log(t)], t)(-1.0) is None


def test_reference_beyond_the_largest_float_is_outside_the_domain():
    assert Reference([exp(t)], t)(1000.0) is None


def test_grid_holds_extremes_smallest_subnormals_and_kink_neighbours():
    largest = np.finfo(np.float64).max
    expected = [-largest, -SMALLEST_SUBNORMAL, SMALLEST_SUBNORMAL, np.nextafter(0.5, 0.0), 0.5, np.nextafter(0.5, 1.0),
                largest]
    assert np.isin(expected, float64_grid((0.5,))).all()


def test_measure_reports_an_overflow_as_a_violation_and_measures_the_other_points():
    ratio = Case("ratio", "ratio", "exp(t)/exp(t)", "t", lambda p: (np.exp(p) / np.exp(p)).reshape(-1, 1),
                 Reference([exp(t) / exp(t)], t))
    result = measure(ratio, np.array([0.0, 1.0, 800.0]))
    assert [v.point for v in result.violations] == [800.0]
    assert result.points == 3 and result.max_ulp == 0.0


def test_reference_confirms_an_exact_zero_at_higher_precision():
    # 1 - tanh(t)**2 cancels to exactly 0 at 50 and at 100 digits; the true value is 5.8e-102.
    (value,) = Reference([1 - tanh(t) ** 2], t)(-117.25)
    with mpmath.workdps(30):
        assert float(value) == float(mpmath.sech(117.25) ** 2)
