"""generated.activations.softmax and softmax_vjp: probabilities, stability and derivatives.

Derivatives are checked against central finite differences of the generated
softmax itself.
"""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from finite_differences import jacobian_column
from generated.activations import softmax, softmax_vjp

# Over/underflow and invalid operations raise; underflow (exp of a very negative
# shifted logit becoming 0) is the correct result and stays allowed.
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}

LOGITS = st.integers(1, 4).flatmap(
    lambda rows: st.integers(2, 5).flatmap(
        lambda columns: arrays(np.float64, (rows, columns), elements=st.floats(-30, 30))
    )
)


def numerical_jacobian(x, row):
    """J[i, j] = d softmax(x)[row, i] / d x[row, j] by central differences."""
    columns = [jacobian_column(lambda z: softmax(z)[row], x, (row, j)) for j in range(x.shape[1])]
    return np.stack(columns, axis=1)


@given(LOGITS)
def test_rows_sum_to_one(x):
    np.testing.assert_allclose(softmax(x).sum(axis=1), 1.0, rtol=1e-13)


@given(LOGITS)
def test_outputs_are_probabilities(x):
    s = softmax(x)
    assert np.all((s >= 0) & (s <= 1))


def test_logits_of_a_thousand_give_finite_probabilities():
    x = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -999.0]])
    with np.errstate(**STRICT):
        s = softmax(x)
    e = np.exp(-1.0)
    expected = [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1)]]
    np.testing.assert_allclose(s, expected, rtol=1e-14, atol=0)


def test_softmax_ignores_a_shift_of_every_logit_in_a_row():
    x = np.array([[0.5, -1.0, 2.0]])
    np.testing.assert_allclose(softmax(x + 700.0), softmax(x), rtol=1e-12)


@given(LOGITS, st.integers(0, 2**32 - 1))
def test_vjp_equals_finite_difference_jacobian_times_upstream(x, seed):
    g = np.random.default_rng(seed).normal(size=x.shape)
    vjp = softmax_vjp(x, g)
    for row in range(x.shape[0]):
        expected = g[row] @ numerical_jacobian(x, row)
        np.testing.assert_allclose(vjp[row], expected, rtol=1e-6, atol=1e-9)


@given(LOGITS)
def test_derivative_is_the_finite_difference_jacobian_diagonal(x):
    diagonal = softmax(x, derivative=True)
    for row in range(x.shape[0]):
        np.testing.assert_allclose(diagonal[row], np.diag(numerical_jacobian(x, row)), rtol=1e-6, atol=1e-9)


def test_derivative_accepts_the_notebooks_one_hot_argument():
    x, y_oh = np.array([[0.3, -0.2, 1.1]]), np.array([[0, 0, 1]])
    np.testing.assert_array_equal(softmax(x, y_oh, derivative=True), softmax(x, derivative=True))


def test_float32_logits_give_float32_probabilities():
    x = np.array([[0.1, 2.0, -3.0]], dtype=np.float32)
    assert softmax(x).dtype == np.float32
    assert softmax(x, derivative=True).dtype == np.float32
    assert softmax_vjp(x, np.ones_like(x)).dtype == np.float32


@pytest.mark.parametrize("derivative_flag", [False, True])
def test_softmax_does_not_modify_its_input(derivative_flag):
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    before = x.copy()
    softmax(x, derivative=derivative_flag)
    np.testing.assert_array_equal(x, before)


def test_vjp_does_not_modify_its_inputs():
    x, g = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, -1.0, 2.0]])
    x_before, g_before = x.copy(), g.copy()
    softmax_vjp(x, g)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(g, g_before)
