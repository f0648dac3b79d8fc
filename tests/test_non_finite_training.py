"""Training stops at a NaN or infinite cost or gradient with a FloatingPointError, before any update.

Before, ``fit`` on data holding a NaN trained every parameter to NaN and
returned them without a word.
"""

import re

import numpy as np
import pytest

from network_modules import module_of, spec_of


def network(optimizer="sgd", activation="tanh"):
    layers = [{"units": 2, "activation": activation}, {"units": 1, "activation": "linear"}]
    return module_of(spec_of({"name": "nan", "inputs": 1, "layers": layers, "loss": "mse",
                              "optimizer": {"name": optimizer}}))


X = np.arange(6.0).reshape(6, 1) / 6
Y = np.ones((6, 1))


@pytest.fixture(scope="module")
def net():
    return network()


def with_nan(row):
    x = X.copy()
    x[row, 0] = np.nan
    return x


def test_fit_names_the_epoch_and_batch_of_a_nan_cost(net):
    message = "fit: epoch 0, batch 2 (rows 4 to 5): the cost is nan"
    with pytest.raises(FloatingPointError, match=re.escape(message)):
        net["fit"](net["init_params"](0), with_nan(5), Y, 3, batch_size=2, verbose=0)


def test_fit_names_a_nan_validation_cost(net):
    with pytest.raises(FloatingPointError, match=re.escape("fit: epoch 0: the validation cost is nan")):
        net["fit"](net["init_params"](0), X, Y, 3, x_val=with_nan(0), y_val=Y, verbose=0)


def test_the_trainer_refuses_a_nan_cost_and_keeps_its_parameters(net):
    params = net["init_params"](0)
    trainer = net["Trainer"](params)
    with pytest.raises(FloatingPointError, match="the cost is nan"):
        trainer.train_step(with_nan(3), Y, 0.1)
    for name, value in params.items():
        np.testing.assert_array_equal(trainer.params[name], value)


def relu_network_with_a_nan_gradient():
    """A relu layer whose unit is off for an infinite input: the cost is finite, ``dw1 = 0 * inf`` is NaN."""
    module = network(activation="relu")
    params = {"w1": np.array([[-1.0], [-2.0]]), "b1": np.zeros((1, 2)), "w2": np.ones((1, 2)), "b2": np.zeros((1, 1))}
    return module, params, np.array([[np.inf]]), np.ones((1, 1))


def test_the_trainer_refuses_a_nan_gradient_and_keeps_its_parameters():
    module, params, x, y = relu_network_with_a_nan_gradient()
    trainer = module["Trainer"](params)
    with np.errstate(invalid="ignore"), pytest.raises(FloatingPointError, match=re.escape("the gradient dw1 is nan")):
        trainer.train_step(x, y, 0.1)
    for name, value in params.items():
        np.testing.assert_array_equal(trainer.params[name], value)


def test_backward_names_a_nan_gradient():
    module, params, x, y = relu_network_with_a_nan_gradient()
    cache = module["forward"](params, x, training=True)
    assert np.isfinite(module["loss"](y, cache["out"]))
    with np.errstate(invalid="ignore"), pytest.raises(FloatingPointError, match=re.escape("the gradient dw1 is nan")):
        module["backward"](params, x, y, cache)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_train_step_refuses_a_nan_cost(optimizer):
    module = network(optimizer)
    params = module["init_params"](0)
    with pytest.raises(FloatingPointError, match="the cost is nan"):
        module["train_step"](params, with_nan(0), Y, state=module["init_state"](params))


def test_a_finite_run_is_unchanged_by_the_checks(net):
    params = net["init_params"](0)
    trainer = net["Trainer"](params)
    cost = trainer.train_step(X, Y, 0.1)
    stepped, expected = net["train_step"](params, X, Y, 0.1)
    assert cost == pytest.approx(expected, rel=1e-14)
    for name in params:
        np.testing.assert_allclose(trainer.params[name], stepped[name], rtol=1e-14)
