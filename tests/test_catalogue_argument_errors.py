"""Bad arguments to the generated catalogue functions: a ValueError or TypeError naming the
function, the argument, what is accepted and what was given."""

import re

import numpy as np
import pytest

from derive.catalog.registry import CATALOG
from generated import activations, losses, penalties

LOSSES = CATALOG.names("loss")
PREDICTIONS = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("shape", [(2, 1), (1, 3)])
def test_loss_refuses_targets_that_would_broadcast(name, shape):
    message = re.escape(f"{name}: y") + r"(_oh)? must have the shape of y_pred \(2, 3\), got shape " + re.escape(
        str(shape))
    with pytest.raises(ValueError, match=message):
        getattr(losses, name)(np.full(shape, 0.5), PREDICTIONS)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_refuses_one_dimensional_predictions(name):
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred must be a 2-D array of shape (samples, "
                                                   "features), got shape (3,)")):
        getattr(losses, name)(PREDICTIONS[0], PREDICTIONS[0])


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("derivative", [False, True])
def test_loss_refuses_an_empty_batch(name, derivative):
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred must hold at least one sample, got shape (0, 3)")):
        getattr(losses, name)(PREDICTIONS[:0], PREDICTIONS[:0], derivative=derivative)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_refuses_infinite_predictions(name):
    p = PREDICTIONS.copy()
    p[1, 2] = np.inf
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred must be finite (NaN gives NaN), got inf at "
                                                   "index (1, 2)")):
        getattr(losses, name)(PREDICTIONS, p)


@pytest.mark.parametrize("name", [n for n in LOSSES if CATALOG.get(n).inputs.prediction_range is not None])
@pytest.mark.parametrize("value", [-0.25, 1.5])
def test_probability_loss_refuses_predictions_outside_0_1(name, value):
    p = PREDICTIONS.copy()
    p[0, 1] = value
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred must lie in [0, 1], got {value} at index (0, 1)")):
        getattr(losses, name)(PREDICTIONS, p)


@pytest.mark.parametrize("name", CATALOG.names("vector"))
def test_vector_function_refuses_one_dimensional_input(name):
    with pytest.raises(ValueError, match=re.escape(f"{name}: x must be a 2-D array of shape (samples, features), "
                                                   "got shape (3,)")):
        getattr(activations, name)(PREDICTIONS[0])


@pytest.mark.parametrize("name", CATALOG.names("vector"))
def test_vector_function_refuses_infinite_input(name):
    with pytest.raises(ValueError, match=re.escape(f"{name}: x must be finite (NaN gives NaN), got -inf at index (0, 0)")):
        getattr(activations, name)(np.array([[-np.inf, 0.0]]))


@pytest.mark.parametrize("name", CATALOG.names("vector"))
def test_vector_jacobian_product_refuses_an_upstream_gradient_of_another_shape(name):
    with pytest.raises(ValueError, match=re.escape(f"{name}_vjp: g must have the shape of x (2, 3), got shape (2, 1)")):
        getattr(activations, f"{name}_vjp")(PREDICTIONS, PREDICTIONS[:, :1])


@pytest.mark.parametrize("name", CATALOG.names("penalty"))
@pytest.mark.parametrize("strength", [-0.1, float("nan"), float("inf")])
def test_penalty_refuses_a_strength_that_is_not_finite_and_nonnegative(name, strength):
    with pytest.raises(ValueError, match=re.escape(f"{name}: strength must be a finite number >= 0, got {strength!r}")):
        getattr(penalties, name)(PREDICTIONS, strength)


@pytest.mark.parametrize("name", CATALOG.names("penalty"))
def test_penalty_refuses_an_array_strength(name):
    with pytest.raises(TypeError, match=re.escape(f"{name}: strength must be a finite number >= 0")):
        getattr(penalties, name)(PREDICTIONS, np.array([0.1, 0.2]))


@pytest.mark.parametrize(("module", "name", "parameter"), [
    (activations, "leaky_relu", "alpha"), (activations, "elu", "alpha"), (losses, "huber", "delta"),
])
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan")])
def test_positive_parameter_refuses_values_that_are_not_finite_and_positive(module, name, parameter, value):
    arguments = (PREDICTIONS, PREDICTIONS) if module is losses else (PREDICTIONS,)
    with pytest.raises(ValueError, match=re.escape(f"{name}: {parameter} must be a finite number > 0, got {value!r}")):
        getattr(module, name)(*arguments, **{parameter: value})


@pytest.mark.parametrize("name", CATALOG.names("activation"))
def test_activation_refuses_complex_input_naming_its_dtype(name):
    with pytest.raises(TypeError, match=re.escape(f"{name}: x must be an array of real numbers, got dtype complex128")):
        getattr(activations, name)(np.array([1 + 2j]))


@pytest.mark.parametrize("name", CATALOG.names("activation"))
def test_activation_refuses_a_ragged_list(name):
    with pytest.raises(TypeError, match=re.escape(f"{name}: x must be an array of real numbers")):
        getattr(activations, name)([[1.0, 2.0], [3.0]])
