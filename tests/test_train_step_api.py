"""One training call for every optimiser: ``train_step(params, x, y, state=None)`` and ``update`` likewise."""

import numpy as np
import pytest

from classifiers import example2, example2_params, inputs, labels, one_hot
from network_modules import module_of, spec_of

X, Y = inputs(6, 3), one_hot(labels(6, 3), 3)
RATE, MOMENTUM = 0.1, 0.9


def momentum_module():
    """example2's layers trained by momentum."""
    return module_of(spec_of({
        "name": "heavy", "inputs": 3, "loss": "softmax_neg_log_likelihood",
        "optimizer": {"name": "momentum", "learning_rate": RATE, "momentum": MOMENTUM},
        "layers": [{"units": 3, "activation": "relu"}, {"units": 3, "activation": "sigmoid"},
                   {"units": 3, "activation": "linear"}],
    }))


def gradients(module, params):
    """Every gradient of the training cost at ``params``."""
    return module["backward"](params, X, Y, module["forward"](params, X, training=True))


def test_the_readme_sgd_call_returns_the_parameters_and_the_cost():
    params, cost = example2.train_step(example2_params(), X, Y)
    assert set(params) == set(example2.PARAMETERS) and isinstance(cost, float)


def test_an_sgd_step_given_a_state_returns_it_third():
    params = example2_params()
    _, _, state = example2.train_step(params, X, Y, state=example2.init_state(params))
    assert state == {}


def test_an_sgd_step_given_a_state_is_the_step_without_it():
    params = example2_params()
    with_state, cost, _ = example2.train_step(params, X, Y, state={})
    without, expected_cost = example2.train_step(params, X, Y)
    assert cost == expected_cost and all(np.array_equal(with_state[k], without[k]) for k in without)


def test_the_readme_call_works_on_a_momentum_module():
    module = momentum_module()
    params, cost = module["train_step"](module["init_params"](0), X, Y)
    assert set(params) == set(module["PARAMETERS"]) and isinstance(cost, float)


def test_a_momentum_step_without_state_starts_from_zero_velocity():
    module = momentum_module()
    params = module["init_params"](0)
    stepped, _ = module["train_step"](params, X, Y)
    grads = gradients(module, params)
    for name in module["PARAMETERS"]:
        np.testing.assert_allclose(stepped[name], params[name] - RATE * grads["d" + name], rtol=1e-14, atol=1e-16)


def test_a_momentum_step_carries_the_state_it_is_given():
    module = momentum_module()
    params = module["init_params"](0)
    first, _, state = module["train_step"](params, X, Y, state=module["init_state"](params))
    second, _, _ = module["train_step"](first, X, Y, state=state)
    grads0, grads1 = gradients(module, params), gradients(module, first)
    for name in module["PARAMETERS"]:
        velocity = MOMENTUM * (-RATE * grads0["d" + name]) - RATE * grads1["d" + name]
        np.testing.assert_allclose(second[name], first[name] + velocity, rtol=1e-13, atol=1e-15)


def test_a_momentum_step_returns_the_new_velocities():
    module = momentum_module()
    params = module["init_params"](0)
    _, _, state = module["train_step"](params, X, Y, state=module["init_state"](params))
    grads = gradients(module, params)
    for name in module["PARAMETERS"]:
        np.testing.assert_allclose(state["v" + name], -RATE * grads["d" + name], rtol=1e-14, atol=1e-16)


def test_a_momentum_update_without_state_returns_the_parameters_alone():
    module = momentum_module()
    params = module["init_params"](0)
    assert set(module["update"](params, gradients(module, params))) == set(module["PARAMETERS"])


def test_a_momentum_update_given_a_state_returns_it_too():
    module = momentum_module()
    params = module["init_params"](0)
    _, state = module["update"](params, gradients(module, params), state=module["init_state"](params))
    assert set(state) == {"v" + name for name in module["PARAMETERS"]}


def test_a_momentum_step_refuses_a_state_missing_a_velocity():
    module = momentum_module()
    params = module["init_params"](0)
    state = module["init_state"](params)
    del state["vw1"]
    with pytest.raises(ValueError, match="state: missing vw1"):
        module["train_step"](params, X, Y, state=state)
