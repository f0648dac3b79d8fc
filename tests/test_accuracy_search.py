"""The accuracy search: its measure, its rules, its rewrites, and the forms it finds, checked against mpmath."""

import mpmath
import numpy as np
import pytest
from sympy import Abs, Piecewise, Symbol, cosh, diff, exp, log, sinh, sqrt, tanh
from sympy.codegen.numpy_nodes import logaddexp

from codegen.printer import to_numpy
from derive.core.errors import DefinitionError
from derive.core.functions import Hypot, Logistic, Reciprocal
from derive.core.stable_forms import Clamp
from derive.core.symbols import x
from derive.stability.clamping import clamped_parts
from derive.stability.float64 import float64_function, values_at
from derive.stability.localise import culprits
from derive.stability.regimes import simple_between
from derive.stability.replay import found_holds
from derive.stability.rules import RULES, rewrites
from derive.stability.sample import sample
from derive.stability.score import score
from derive.stability.search import SEARCH, Derivation, Found, Step, most_accurate
from generated import activations

POINTS = np.array([-1e308, -1e154, -745.0, -40.0, -3.5, -1.0, -1e-8, 0.0, 1e-300, 0.5, 2.0, 37.0, 710.0, 1e200])


def _exact(expr, point: float) -> mpmath.mpf:
    """``expr`` at ``point`` by mpmath at 1200 digits: enough for any cancellation of float64 inputs here."""
    from sympy import lambdify

    with mpmath.workdps(1200):
        return lambdify(x, expr, modules="mpmath")(mpmath.mpf(point))


def _ulps(computed: float, exact: mpmath.mpf) -> float:
    return float(abs(mpmath.mpf(computed) - exact) / np.spacing(abs(float(exact))))


@pytest.mark.parametrize("form", [
    x * Logistic(x), Reciprocal(Abs(x) + 1) ** 2, x * Reciprocal(Hypot(x, 1)) / 2 + 1, (Abs(x) + 1) ** -2,
    Piecewise((exp(Clamp(x, 40.0)), x <= 0), (x, True)), logaddexp(0, x) - x**2 / 3,
])
def test_the_search_evaluates_a_form_as_the_array_printer_prints_it_to_within_an_ulp(form):
    printed = eval(f"lambda x: {to_numpy(form)}", {"np": np, "_sigmoid": activations._sigmoid})
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(printed(POINTS), POINTS.shape)
        computed = float64_function(form, x)(POINTS)
    assert np.array_equal(np.isfinite(computed), np.isfinite(expected))
    finite = np.isfinite(expected)
    assert np.all(np.abs(computed[finite] - expected[finite]) <= np.spacing(np.abs(expected[finite])))


def test_a_point_that_overflows_reads_as_nan_and_the_others_are_computed():
    values = values_at(float64_function(exp(x), x), np.array([1.0, 1000.0, -2.0]))
    assert np.isnan(values[1]) and values[0] == np.exp(1.0) and values[2] == np.exp(-2.0)


def test_the_condition_number_is_x_times_the_slope_over_the_value():
    measured = sample(exp(-x**2), x)
    at = np.flatnonzero(measured.points == 20.0)[0]
    assert measured.condition[at] == pytest.approx(2 * 20.0**2, rel=1e-12)  # |x f'/f| = 2x² for exp(-x²)


def test_one_correctly_rounded_operation_scores_at_most_half_an_ulp():
    measured = sample(x - 1, x)
    assert score(x - 1, x, measured).max_ulp <= 0.5


def test_a_rule_applies_to_some_factors_of_a_product():
    (logistic,) = [rule for rule in RULES if rule.name == "logistic of a ratio"]
    form = x * exp(x) / (1 + exp(x))
    assert x * Logistic(x) in [form.xreplace({node: after}) for node, after in rewrites(form, logistic)]


def test_localising_blames_the_exponential_that_overflows():
    worst = culprits(exp(x) / (1 + exp(x)), x, [1000.0])[0]
    assert worst.node in (exp(x), 1 + exp(x)) and worst.error == float("inf")


def test_a_clamp_is_placed_where_the_part_saturates_and_the_bound_is_past_float64_saturation():
    ((part, clamped),) = clamped_parts(Logistic(2 * x), x, (1.7e308,))
    (clamp,) = clamped.atoms(Clamp)
    bound = float(clamp.args[1])
    with mpmath.workdps(50):
        assert float(1 / (1 + mpmath.exp(-2 * mpmath.mpf(bound)))) == 1.0
        assert float(1 / (1 + mpmath.exp(2 * mpmath.mpf(bound)))) == 0.0


@pytest.mark.parametrize(("low", "high"), [(2.5, 2.75), (0.1, 0.11), (-3.3, -3.2), (7.0, 9.0)])
def test_a_split_point_is_a_short_binary_number_between_its_neighbours(low, high):
    point = float(simple_between(low, high))
    assert low <= point < high and float(np.float64(point) * 2.0**20).is_integer()


def _mish_derivative():
    return diff(x * tanh(log(1 + exp(x))), x)


@pytest.fixture(scope="module")
def mish_derivative():
    return most_accurate(_mish_derivative(), x, "activation 'mish'", "f'")


def test_the_search_removes_every_failure_of_the_mish_derivative(mish_derivative):
    assert mish_derivative.as_is.failures > 0 and mish_derivative.accuracy.failures == 0


@pytest.mark.parametrize("point", [-1000.0, -30.0, -1.0, 0.5, 30.0, 1000.0])
def test_the_found_mish_derivative_is_accurate(mish_derivative, point):
    computed = float64_function(mish_derivative.form, x)(np.array([point]))[0]
    assert _ulps(computed, _exact(_mish_derivative(), point)) <= 4


def test_the_found_form_replays_from_the_function(mish_derivative):
    assert mish_derivative.how == SEARCH and found_holds(mish_derivative, _mish_derivative(), x)


def test_a_step_no_rule_justifies_fails_the_replay(mish_derivative):
    function = _mish_derivative()
    step = Step("logistic", exp(x), exp(2 * x))
    forged = Derivation(function, function.xreplace({exp(x): exp(2 * x)}), steps=(step,))
    found = Found(forged.form, SEARCH, ((forged, True),), mish_derivative.accuracy, mish_derivative.as_is, None)
    assert not found_holds(found, function, x)


def test_log_cosh_is_split_where_no_single_form_serves():
    found = most_accurate(log(cosh(x)), x, "activation 'log_cosh'", "f")
    assert isinstance(found.form, Piecewise) and found.accuracy.meets_targets
    for point in (1e-5, 0.3, 20.0, 800.0, 1e300):
        computed = float64_function(found.form, x)(np.array([point]))[0]
        assert _ulps(computed, _exact(log(cosh(x)), point)) <= 4


def test_the_hypot_rule_keeps_the_bent_identity_finite_where_its_square_overflows():
    found = most_accurate((sqrt(x**2 + 1) - 1) / 2 + x, x, "activation 'bent_identity'", "f")
    assert found.form.has(Hypot)
    computed = float64_function(found.form, x)(np.array([1e300]))[0]
    assert _ulps(computed, _exact((sqrt(x**2 + 1) - 1) / 2 + x, 1e300)) <= 4


def test_a_function_no_rule_can_keep_finite_is_refused_naming_the_region():
    with pytest.raises(DefinitionError, match=r"activation 'ratio': no form of f found that is finite .* x in \["):
        most_accurate(cosh(x) / sinh(x) - 1 / tanh(x) + sinh(x) / cosh(x), x, "activation 'ratio'", "f")


def test_a_function_numpy_cannot_compute_is_refused_as_unprintable():
    from sympy import besselj

    with pytest.raises(DefinitionError, match="cannot be printed as NumPy"):
        most_accurate(besselj(0, x), x, "activation 'bessel'", "f")


def test_a_parameter_is_measured_at_its_default_and_kept_in_the_form():
    alpha = Symbol("alpha", positive=True)
    definition = Piecewise((alpha * (exp(x) - 1), x <= 0), (x, True))
    found = most_accurate(definition, x, "activation 'elu'", "f", params={alpha: 1.5})
    assert found.as_is.failures > 0 and found.accuracy.failures == 0 and found.form.has(alpha)


def test_a_taylor_polynomial_serves_near_zero_where_the_closed_form_cancels():
    found = most_accurate(x - tanh(x), x, "activation 'tanhshrink'", "f")
    assert found.as_is.mean_bits - found.accuracy.mean_bits > 1 and found_holds(found, x - tanh(x), x)
    for point in (1e-300, 1e-5, 0.01, -0.1):
        computed = float64_function(found.form, x)(np.array([point]))[0]
        assert _ulps(computed, _exact(x - tanh(x), point)) <= 4
