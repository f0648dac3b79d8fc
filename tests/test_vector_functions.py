"""Every catalogue vector function (softmax, log_softmax, ...): derivatives and stability.

Parametrised over the catalogue: a new vector function is covered without a
new test.  Derivatives are checked against central finite differences of the
generated function itself.
"""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from derive.catalog.registry import CATALOG
from finite_differences import jacobian_column
from generated import activations

VECTORS = CATALOG.names("vector")
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}
LOGITS = st.integers(1, 3).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda columns: arrays(np.float64, (rows, columns), elements=st.floats(-30, 30))
    )
)


def numerical_jacobian(function, x, row):
    """J[i, j] = d function(x)[row, i] / d x[row, j] by central differences."""
    columns = [jacobian_column(lambda z: function(z)[row], x, (row, j)) for j in range(x.shape[1])]
    return np.stack(columns, axis=1)


def test_catalogue_has_softmax_and_log_softmax():
    assert {"softmax", "log_softmax"} <= set(VECTORS)


@pytest.mark.parametrize("name", VECTORS)
@given(x=LOGITS, seed=st.integers(0, 2**32 - 1))
def test_vjp_equals_upstream_times_finite_difference_jacobian(name, x, seed):
    function, vjp = getattr(activations, name), getattr(activations, f"{name}_vjp")
    g = np.random.default_rng(seed).normal(size=x.shape)
    result = vjp(x, g)
    for row in range(x.shape[0]):
        np.testing.assert_allclose(result[row], g[row] @ numerical_jacobian(function, x, row), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", VECTORS)
@given(x=LOGITS)
def test_derivative_is_the_finite_difference_jacobian_diagonal(name, x):
    function = getattr(activations, name)
    diagonal = function(x, derivative=True)
    for row in range(x.shape[0]):
        np.testing.assert_allclose(diagonal[row], np.diag(numerical_jacobian(function, x, row)), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", VECTORS)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_logits_of_a_thousand_are_finite_without_warnings(name, derivative_flag):
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0]])
    with np.errstate(**STRICT):
        result = getattr(activations, name)(x, derivative=derivative_flag)
    assert np.all(np.isfinite(result))


def test_log_softmax_is_the_log_of_softmax():
    x = np.array([[0.5, -1.0, 2.0], [3.0, 3.0, -4.0]])
    np.testing.assert_allclose(activations.log_softmax(x), np.log(activations.softmax(x)), rtol=1e-14)


def test_log_softmax_keeps_precision_where_softmax_underflows():
    x = np.array([[0.0, -800.0]])
    # log(softmax) is -800 - log(1 + exp(-800)) = -800 exactly in float64; softmax itself is 0 there.
    assert activations.log_softmax(x)[0, 1] == -800.0
