"""A penalty of strength 0 (or -0.0) folds to the number 0: every function prints it in its shape and runs.

Expected values come from the same network derived without any penalty,
which a strength of 0 must equal, and from central finite differences.
"""

import numpy as np
import pytest

from finite_differences import gradient
from network_modules import module_of, spec_of

X = np.random.default_rng(0).normal(size=(4, 2))
Y = np.random.default_rng(1).normal(size=(4, 2))


def network(strength, optimizer="sgd"):
    penalty = {} if strength is None else {"penalty": "l2", "penalty_strength": strength}
    layers = [{"units": 3, "activation": "tanh", **penalty}, {"units": 2, "activation": "linear", **penalty}]
    data = {"name": "zero", "inputs": 2, "layers": layers, "loss": "mse", "optimizer": {"name": optimizer}}
    return module_of(spec_of(data))


@pytest.fixture(scope="module")
def plain():
    return network(None)


@pytest.mark.parametrize("strength", [0.0, -0.0])
def test_a_zero_penalty_is_the_float_zero(strength):
    module = network(strength)
    value = module["penalty"](module["init_params"](0))
    assert value == 0 and isinstance(value, float)


@pytest.mark.parametrize("strength", [0.0, -0.0])
def test_backward_with_a_zero_penalty_equals_finite_differences(strength):
    module = network(strength)
    params = module["init_params"](0)
    grads = module["backward"](params, X, Y, module["forward"](params, X, training=True))
    for name in module["PARAMETERS"]:
        cost = lambda value: module["loss"](Y, module["forward"]({**params, name: value}, X)["out"])  # noqa: E731
        assert grads[f"d{name}"].shape == params[name].shape
        np.testing.assert_allclose(grads[f"d{name}"], gradient(cost, params[name]), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("strength", [0.0, -0.0])
def test_train_step_with_a_zero_penalty_equals_the_unpenalised_step(strength, plain):
    module = network(strength)
    params = module["init_params"](0)
    stepped, cost = module["train_step"](params, X, Y)
    expected, expected_cost = plain["train_step"](params, X, Y)
    assert cost == pytest.approx(expected_cost, rel=1e-15)
    for name in params:
        np.testing.assert_allclose(stepped[name], expected[name], rtol=1e-15)


@pytest.mark.parametrize("strength", [0.0, -0.0])
def test_the_trainer_with_a_zero_penalty_equals_the_unpenalised_step(strength, plain):
    module = network(strength)
    params = module["init_params"](0)
    trainer, reference = module["Trainer"](params), plain["Trainer"](params)
    assert trainer.train_step(X, Y, 0.1) == pytest.approx(reference.train_step(X, Y, 0.1), rel=1e-15)
    for name in params:
        np.testing.assert_allclose(trainer.params[name], reference.params[name], rtol=1e-15)


def test_gradient_check_passes_with_a_zero_penalty():
    module = network(0.0)
    errors = module["gradient_check"](module["init_params"](0), X, Y)
    assert max(errors.values()) < 1e-6


def test_fit_with_validation_and_a_zero_penalty_follows_the_unpenalised_fit(plain):
    module = network(0.0)
    params = module["init_params"](0)
    _, history = module["fit"](params, X, Y, 3, x_val=X, y_val=Y, verbose=0)
    _, expected = plain["fit"](params, X, Y, 3, x_val=X, y_val=Y, verbose=0)
    np.testing.assert_allclose(history["val_cost"], expected["val_cost"], rtol=1e-14)


def test_momentum_with_a_zero_penalty_equals_the_unpenalised_step():
    module, reference = network(0.0, "momentum"), network(None, "momentum")
    params = module["init_params"](0)
    stepped, _, _ = module["train_step"](params, X, Y, state=module["init_state"](params))
    expected, _, _ = reference["train_step"](params, X, Y, state=reference["init_state"](params))
    for name in params:
        np.testing.assert_allclose(stepped[name], expected[name], rtol=1e-15)
