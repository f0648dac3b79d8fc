"""Every catalogue loss: its gradient is the true gradient of its cost; arguments are kept.

Gradients are checked against central finite differences of the generated
cost; the fused softmax loss is also checked against plain NumPy written here.
"""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from derive.catalog.registry import CATALOG
from derive.catalog.losses import Inputs
from finite_differences import gradient
from generated import losses

LOSSES = CATALOG.names("loss")

STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


def plain_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(rng, rows, columns):
    return np.eye(columns)[rng.integers(0, columns, size=rows)]


def plain_sigmoid(z):
    return 1 / (1 + np.exp(-z))


# Targets and predictions of each kind of loss (derive.catalog.losses.Inputs), so every
# catalogue loss, present or future, is tested on inputs it is meant for.
INPUTS = {
    Inputs.REGRESSION: lambda rng, r, c: (rng.normal(size=(r, c)), rng.normal(size=(r, c))),
    Inputs.ONE_HOT_PROBABILITIES: lambda rng, r, c: (one_hot(rng, r, c), plain_softmax(rng.normal(size=(r, c)))),
    Inputs.ONE_HOT_LOGITS: lambda rng, r, c: (one_hot(rng, r, c), rng.normal(scale=3.0, size=(r, c))),
    Inputs.BINARY_PROBABILITIES: lambda rng, r, c: (
        rng.uniform(size=(r, c)), plain_sigmoid(rng.normal(size=(r, c)))
    ),
    Inputs.BINARY_LOGITS: lambda rng, r, c: (rng.uniform(size=(r, c)), rng.normal(scale=3.0, size=(r, c))),
}

# The costs as the notebook writes them, in plain NumPy.
NOTEBOOK_COSTS = {
    "squared_error": lambda y, p: 0.5 * np.sum((y - p) ** 2),
    "neg_log_likelihood": lambda y, p: np.mean(-np.log(p[np.nonzero(y)])),
    "softmax_neg_log_likelihood": lambda y, z: np.mean(-np.log(plain_softmax(z)[np.nonzero(y)])),
}

BATCHES = st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 5))


def batch(name, seed, rows, columns):
    return INPUTS[CATALOG.get(name).inputs](np.random.default_rng(seed), rows, columns)


def test_catalogue_has_the_notebook_losses():
    assert {"squared_error", "neg_log_likelihood", "softmax_neg_log_likelihood"} <= set(LOSSES)


# The other catalogue costs as a from-scratch course writes them (mean over every entry).
def _huber(y, p, delta=1.0):
    r = np.abs(y - p)
    return np.mean(np.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)))


COURSE_COSTS = {
    "mse": lambda y, p: 0.5 * np.mean((y - p) ** 2),
    "mae": lambda y, p: np.mean(np.abs(y - p)),
    "huber": _huber,
    "binary_cross_entropy": lambda y, p: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
    "sigmoid_cross_entropy": lambda y, z: -np.mean(
        y * np.log(plain_sigmoid(z)) + (1 - y) * np.log(1 - plain_sigmoid(z))
    ),
}


@pytest.mark.parametrize("name", sorted(COURSE_COSTS))
@given(BATCHES)
def test_cost_equals_the_course_formula(name, sizes):
    y, p = batch(name, *sizes)
    assert getattr(losses, name)(y, p) == pytest.approx(COURSE_COSTS[name](y, p), rel=1e-12, abs=1e-15)


@given(BATCHES)
def test_sigmoid_cross_entropy_gradient_is_sigmoid_minus_targets_over_entries(sizes):
    y, z = batch("sigmoid_cross_entropy", *sizes)
    expected = (plain_sigmoid(z) - y) / z.size
    np.testing.assert_allclose(losses.sigmoid_cross_entropy(y, z, derivative=True), expected, rtol=1e-12, atol=1e-15)


def test_sigmoid_cross_entropy_of_logits_of_a_thousand_is_finite():
    y, z = np.array([[1.0, 0.0]]), np.array([[-1000.0, -1000.0]])
    with np.errstate(**STRICT):
        cost = losses.sigmoid_cross_entropy(y, z)
    # -log sigmoid(-1000) = 1000 for the first entry, -log(1 - sigmoid(-1000)) = 0 for the second.
    assert cost == pytest.approx(1000.0 / 2, rel=1e-15, abs=0)


def test_huber_delta_is_a_keyword_argument():
    y, p = np.array([[0.0]]), np.array([[3.0]])
    assert losses.huber(y, p, delta=2.0) == pytest.approx(2.0 * (3.0 - 1.0), rel=1e-15, abs=0)


@pytest.mark.parametrize("name", sorted(NOTEBOOK_COSTS))
@given(BATCHES)
def test_cost_equals_the_notebooks_formula(name, sizes):
    y, p = batch(name, *sizes)
    assert getattr(losses, name)(y, p) == pytest.approx(NOTEBOOK_COSTS[name](y, p), rel=1e-12, abs=0)


@pytest.mark.parametrize("name", LOSSES)
@given(BATCHES)
def test_gradient_equals_central_finite_differences_of_cost(name, sizes):
    loss = getattr(losses, name)
    y, p = batch(name, *sizes)
    expected = gradient(lambda q: loss(y, q), p)
    np.testing.assert_allclose(loss(y, p, derivative=True), expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_arguments_are_not_modified(name, derivative_flag):
    y, p = batch(name, 7, 3, 4)
    y_before, p_before = y.copy(), p.copy()
    getattr(losses, name)(y, p, derivative=derivative_flag)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(p, p_before)


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_float32_predictions_give_float32_results(name, derivative_flag):
    y, p = batch(name, 3, 2, 3)
    result = getattr(losses, name)(y.astype(np.float32), p.astype(np.float32), derivative=derivative_flag)
    assert result.dtype == np.float32


@given(BATCHES)
def test_softmax_neg_log_likelihood_equals_neg_log_likelihood_of_softmax(sizes):
    y, z = batch("softmax_neg_log_likelihood", *sizes)
    expected = losses.neg_log_likelihood(y, plain_softmax(z))
    assert losses.softmax_neg_log_likelihood(y, z) == pytest.approx(expected, rel=1e-12, abs=0)


@given(BATCHES)
def test_softmax_neg_log_likelihood_gradient_is_softmax_minus_targets_over_batch_size(sizes):
    y, z = batch("softmax_neg_log_likelihood", *sizes)
    expected = (plain_softmax(z) - y) / z.shape[0]
    np.testing.assert_allclose(losses.softmax_neg_log_likelihood(y, z, derivative=True), expected, rtol=1e-12, atol=1e-15)


def test_softmax_neg_log_likelihood_accepts_integer_one_hot_targets():
    z = np.array([[0.2, -1.0, 3.0]])
    integer, floating = np.array([[1, 0, 0]]), np.array([[1.0, 0.0, 0.0]])
    assert losses.softmax_neg_log_likelihood(integer, z) == losses.softmax_neg_log_likelihood(floating, z)


def test_softmax_neg_log_likelihood_of_logits_of_a_thousand_is_finite():
    y = np.array([[1, 0, 0], [0, 0, 1]])
    z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    with np.errstate(**STRICT):
        cost = losses.softmax_neg_log_likelihood(y, z)
    # Row 1 puts all mass on its true class (cost 0); row 2's true logit is 2000 below the max.
    assert cost == pytest.approx((0.0 + 2000.0) / 2, rel=1e-15, abs=0)


def test_softmax_neg_log_likelihood_gradient_at_logits_of_a_thousand_is_finite():
    y = np.array([[1, 0, 0], [0, 0, 1]])
    z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    with np.errstate(**STRICT):
        grad = losses.softmax_neg_log_likelihood(y, z, derivative=True)
    np.testing.assert_allclose(grad, ([[1, 0, 0], [1, 0, 0]] - y) / 2, rtol=0, atol=1e-300)


# Softmax of well-separated logits is exactly 0 at the other classes:
# softmax([[1000, 0, -1000]]) == [[1, 0, 0]].  Only the true class enters the
# cost -sum(y*log p)/N (0*log 0 counts as 0, as in the notebook, which reads
# p at the true class only), so zeros elsewhere must not matter.
def test_neg_log_likelihood_ignores_zero_probabilities_of_other_classes():
    y, p = np.array([[1, 0, 0]]), np.array([[0.5, 0.5, 0.0]])
    with np.errstate(divide="ignore", invalid="ignore"):  # show the value, not the warning
        cost = losses.neg_log_likelihood(y, p)
    assert cost == pytest.approx(-np.log(0.5), rel=1e-15, abs=0)


def test_neg_log_likelihood_gradient_is_zero_where_the_target_is_zero():
    y, p = np.array([[1, 0, 0]]), np.array([[0.5, 0.5, 0.0]])
    with np.errstate(divide="ignore", invalid="ignore"):  # show the value, not the warning
        grad = losses.neg_log_likelihood(y, p, derivative=True)
    # d/dp_j of -sum(y*log p)/N is -y_j/(N p_j): -2 at the true class, 0 where y_j = 0.
    np.testing.assert_array_equal(grad, [[-2.0, 0.0, 0.0]])


@pytest.mark.parametrize("name", LOSSES)
@given(BATCHES)
def test_gradient_equals_central_differences_for_targets_whose_rows_do_not_sum_to_one(name, sizes):
    loss = getattr(losses, name)
    _, p = batch(name, *sizes)
    y = np.random.default_rng(sizes[0] + 1).uniform(0.05, 0.95, size=p.shape)
    expected = gradient(lambda q: loss(y, q), p)
    np.testing.assert_allclose(loss(y, p, derivative=True), expected, rtol=1e-6, atol=1e-9)


def test_softmax_neg_log_likelihood_gradient_at_half_targets_is_the_central_difference():
    y, z = np.array([[0.5, 0.5, 0.5]]), np.array([[0.2, -1.0, 3.0]])
    expected = gradient(lambda q: losses.softmax_neg_log_likelihood(y, q), z)
    np.testing.assert_allclose(losses.softmax_neg_log_likelihood(y, z, derivative=True), expected, rtol=1e-7)
