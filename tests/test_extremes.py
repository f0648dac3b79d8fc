"""Activations at extreme inputs: finite results, no floating-point errors.

``np.errstate`` raises on overflow, division by zero and invalid operations.
Underflow is left alone on purpose: exp(-1000) is 5e-435, below the smallest
float64, so any correct float64 sigmoid(-1000) or softmax of logits 2000
apart must underflow to 0 (NumPy ignores underflow by default for this reason).
"""

import mpmath
import numpy as np
import pytest

from generated.activations import linear, relu, sigmoid, softmax

STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}

HUGE = np.finfo(np.float64).max
EXTREMES = np.array([-HUGE, -1000.0, -40.0, 40.0, 1000.0, HUGE])


@pytest.mark.parametrize("function", [sigmoid, relu, linear], ids=["sigmoid", "relu", "linear"])
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_extreme_inputs_give_finite_results_without_errors(function, derivative_flag):
    with np.errstate(**STRICT):
        result = function(EXTREMES, derivative=derivative_flag)
    assert np.all(np.isfinite(result))


@pytest.mark.parametrize("value, expected", [(1000.0, 1.0), (HUGE, 1.0), (-1000.0, 0.0), (-HUGE, 0.0)])
def test_sigmoid_saturates_at_extreme_inputs(value, expected):
    with np.errstate(**STRICT):
        assert sigmoid(np.array([value]))[0] == expected


def test_sigmoid_of_minus_1000_is_finite_without_warnings():
    with np.errstate(**STRICT):
        assert 0.0 <= sigmoid(np.array([-1000.0]))[0] < 1e-300


def test_sigmoid_of_minus_40_has_full_relative_precision():
    with mpmath.workdps(40):
        expected = float(1 / (1 + mpmath.exp(40)))
    assert sigmoid(np.array([-40.0]))[0] == pytest.approx(expected, rel=1e-14, abs=0)


def test_relu_of_extreme_inputs_is_exact():
    with np.errstate(**STRICT):
        np.testing.assert_array_equal(relu(EXTREMES), [0.0, 0.0, 0.0, 40.0, 1000.0, HUGE])


def test_linear_of_extreme_inputs_is_the_input():
    np.testing.assert_array_equal(linear(EXTREMES), EXTREMES)


@pytest.mark.parametrize(
    "logits",
    [[[1000.0, 0.0, -1000.0]], [[1000.0, 1000.0, 1000.0]], [[-1000.0, -1000.0, -1000.0]]],
    ids=["spread", "all-large", "all-small"],
)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_softmax_of_logits_of_a_thousand_is_finite(logits, derivative_flag):
    with np.errstate(**STRICT):
        result = softmax(np.array(logits), derivative=derivative_flag)
    assert np.all(np.isfinite(result))
