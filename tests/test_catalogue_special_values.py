"""The catalogue at ±inf, at NaN and in half precision, over every generated function.

Limits at ±inf are ``sympy.limit`` of the definition computed here
(``catalogue_reference.limit_at``); half precision is compared with the
float64 result rounded to float16.
"""

import warnings

import numpy as np
import pytest
from sympy import diff

from catalogue_reference import limit_at
from derive.catalog.registry import CATALOG
from derive.core.symbols import x
from generated import activations, losses, penalties

ACTIVATIONS = CATALOG.names("activation")
VECTORS = CATALOG.names("vector")
LOSSES = CATALOG.names("loss")
PENALTIES = CATALOG.names("penalty")
FLAGS = pytest.mark.parametrize("derivative", [False, True], ids=["f", "f'"])


def quietly(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with every warning raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args, **kwargs)


def _definition(name, derivative):
    item = CATALOG.get(name)
    expr = item.definition.subs({p.symbol: p.default for p in item.params})
    return diff(expr, x) if derivative else expr


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("sign", [-1, 1], ids=["-inf", "+inf"])
@FLAGS
def test_activation_at_infinity_is_the_limit_of_its_definition(name, sign, derivative):
    result = quietly(getattr(activations, name), np.array([sign * np.inf]), derivative=derivative)
    assert result[0] == limit_at(_definition(name, derivative), sign)


@pytest.mark.parametrize("name", ACTIVATIONS)
@FLAGS
def test_activation_gives_nan_exactly_where_the_input_is_nan(name, derivative):
    result = quietly(getattr(activations, name), np.array([np.nan, -1.0, np.nan, 2.0]), derivative=derivative)
    np.testing.assert_array_equal(np.isnan(result), [True, False, True, False])


@pytest.mark.parametrize("name", VECTORS)
@FLAGS
def test_vector_function_gives_nan_in_every_row_holding_a_nan(name, derivative):
    x_ = np.array([[0.5, np.nan, -1.0], [0.5, 2.0, -1.0]])
    result = quietly(getattr(activations, name), x_, derivative=derivative)
    np.testing.assert_array_equal(np.isnan(result), [[True] * 3, [False] * 3])


@pytest.mark.parametrize("name", VECTORS)
def test_vector_jacobian_product_gives_nan_in_every_row_holding_a_nan(name):
    x_, g = np.array([[0.5, 1.0, -1.0], [0.5, 2.0, -1.0]]), np.array([[1.0, 0.0, 2.0], [np.nan, 1.0, 0.0]])
    result = quietly(getattr(activations, f"{name}_vjp"), x_, g)
    np.testing.assert_array_equal(np.isnan(result), [[False] * 3, [True] * 3])


def _loss_inputs(name):
    probabilities = CATALOG.get(name).inputs.prediction_range is not None
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = np.array([[0.3, 0.6], [0.8, 0.1]]) if probabilities else np.array([[0.3, -1.2], [2.0, 0.1]])
    return y, p


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("argument", [0, 1], ids=["nan target", "nan prediction"])
def test_loss_cost_is_nan_when_an_input_is_nan(name, argument):
    inputs = list(_loss_inputs(name))
    inputs[argument][1, 1] = np.nan
    assert np.isnan(quietly(getattr(losses, name), *inputs))


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("argument", [0, 1], ids=["nan target", "nan prediction"])
def test_loss_gradient_is_nan_in_the_sample_holding_a_nan(name, argument):
    inputs = list(_loss_inputs(name))
    inputs[argument][1, 1] = np.nan
    gradient = quietly(getattr(losses, name), *inputs, derivative=True)
    np.testing.assert_array_equal(np.isnan(gradient), [[False, False], [True, True]])


@pytest.mark.parametrize("name", PENALTIES)
@FLAGS
def test_penalty_gives_nan_where_a_weight_is_nan(name, derivative):
    result = quietly(getattr(penalties, name), np.array([[np.nan, 1.0]]), 0.5, derivative=derivative)
    assert np.array_equal(np.isnan(result), [[True, False]] if derivative else True)


def _within_two_half_ulps(half, double):
    """Each float16 entry within two float16 ulps of the float64 result rounded to float16."""
    rounded = double.astype(np.float16)
    assert half.dtype == np.float16
    np.testing.assert_array_equal(np.isfinite(half), np.isfinite(rounded))
    finite = np.isfinite(rounded)
    error = np.abs(half[finite].astype(np.float64) - rounded[finite].astype(np.float64))
    assert np.all(error <= 2 * np.spacing(np.abs(rounded[finite])).astype(np.float64))


HALF_GRID = np.linspace(-12.0, 12.0, 4801).astype(np.float16)


@pytest.mark.parametrize("name", ACTIVATIONS)
@FLAGS
def test_activation_in_half_precision_is_the_float64_result_rounded(name, derivative):
    function = getattr(activations, name)
    half = quietly(function, HALF_GRID, derivative=derivative)
    _within_two_half_ulps(half, function(HALF_GRID.astype(np.float64), derivative=derivative))


def test_gaussian_in_half_precision_is_not_nan():
    assert activations.gaussian(np.float16([0.0, 1.0]))[0] == 1.0


def test_gelu_in_half_precision_between_minus_1_41_and_minus_0_83_is_the_float64_result_rounded():
    points = np.linspace(-1.41, -0.83, 200).astype(np.float16)
    _within_two_half_ulps(activations.gelu(points), activations.gelu(points.astype(np.float64)))


ROWS = np.array([[-2.0, 0.5, 3.0], [1.0, -0.25, 0.0]], dtype=np.float16)


@pytest.mark.parametrize("name", VECTORS)
@FLAGS
def test_vector_function_in_half_precision_is_the_float64_result_rounded(name, derivative):
    function = getattr(activations, name)
    _within_two_half_ulps(quietly(function, ROWS, derivative=derivative),
                          function(ROWS.astype(np.float64), derivative=derivative))


@pytest.mark.parametrize("name", VECTORS)
def test_vector_jacobian_product_in_half_precision_is_the_float64_result_rounded(name):
    function, g = getattr(activations, f"{name}_vjp"), np.float16([[1.0, 0.0, 0.0], [0.5, 1.0, -1.0]])
    _within_two_half_ulps(quietly(function, ROWS, g), function(ROWS.astype(np.float64), g.astype(np.float64)))


@pytest.mark.parametrize("name", LOSSES)
@FLAGS
def test_loss_in_half_precision_is_the_float64_result_rounded(name, derivative):
    y, p = _loss_inputs(name)
    function = getattr(losses, name)
    half = quietly(function, y.astype(np.float16), p.astype(np.float16), derivative=derivative)
    double = function(y.astype(np.float16).astype(np.float64), p.astype(np.float16).astype(np.float64),
                      derivative=derivative)
    _within_two_half_ulps(np.asarray(half), np.asarray(double))


@pytest.mark.parametrize("name", PENALTIES)
@FLAGS
def test_penalty_in_half_precision_is_the_float64_result_rounded(name, derivative):
    function = getattr(penalties, name)
    half = quietly(function, ROWS, 0.5, derivative=derivative)
    _within_two_half_ulps(np.asarray(half), np.asarray(function(ROWS.astype(np.float64), 0.5, derivative=derivative)))
