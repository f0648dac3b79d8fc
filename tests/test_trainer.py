"""``Trainer``: the in-place training step of a generated network module.

Its gradients are checked against central finite differences of the
training cost, its update against the optimiser's rule computed here, and
its memory with ``tracemalloc``: after the first step of a batch size, a
step allocates nothing the size of an activation.
"""

import tracemalloc

import numpy as np
import pytest

from finite_differences import gradient
from network_modules import module_of, spec_of
from test_random_networks import LOSSES, random_params, random_spec, targets


def training_cost(module, params, x, y):
    """The cost ``train_step`` reports and differentiates: training mode, penalties included."""
    return module["loss"](y, module["forward"](params, x, training=True)["out"]) + module["penalty"](params)


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("loss", LOSSES)
def test_trainer_gradients_equal_finite_differences(loss, seed):
    module = module_of(random_spec(loss, seed))
    rng = np.random.default_rng(300 + seed)
    params = random_params(module, rng)
    x, y = rng.normal(size=(5, 2)), targets(loss, rng, 5)
    trainer = module["Trainer"](params)
    cost = trainer.train_step(x, y, 0.25)
    assert cost == pytest.approx(training_cost(module, params, x, y), rel=1e-12)
    for name in module["PARAMETERS"]:
        expected = gradient(lambda value: training_cost(module, {**params, name: value}, x, y), params[name])
        np.testing.assert_allclose(trainer.scaled_grads[f"d{name}"] / 0.25, expected, rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_trainer_steps_by_gradient_descent_and_leaves_its_argument_alone():
    module = module_of(random_spec("mse", 0))
    params = random_params(module, np.random.default_rng(1))
    before = {name: value.copy() for name, value in params.items()}
    x, y = np.random.default_rng(2).normal(size=(4, 2)), np.random.default_rng(3).normal(size=(4, 3))
    trainer = module["Trainer"](params)
    trainer.train_step(x, y, 0.25)
    for name in module["PARAMETERS"]:
        np.testing.assert_array_equal(params[name], before[name])
        np.testing.assert_allclose(trainer.params[name], before[name] - trainer.scaled_grads[f"d{name}"], rtol=1e-14)


def test_trainer_keeps_momentum_velocities_across_steps():
    layers = [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "linear"}]
    module = module_of(spec_of({"name": "heavy", "inputs": 2, "layers": layers, "loss": "mse",
                                "optimizer": {"name": "momentum", "momentum": 0.5}}))
    params = module["init_params"](0)
    x, y = np.ones((3, 2)), np.zeros((3, 2))
    trainer = module["Trainer"](params)
    trainer.train_step(x, y, 0.1)
    first = {name: value.copy() for name, value in trainer.scaled_grads.items()}
    velocity = {name: value.copy() for name, value in trainer.state.items()}
    start = trainer.copy_params()
    trainer.train_step(x, y, 0.1)
    for name in module["PARAMETERS"]:
        np.testing.assert_allclose(velocity[f"v{name}"], -first[f"d{name}"], rtol=1e-14)
        expected = 0.5 * velocity[f"v{name}"] - trainer.scaled_grads[f"d{name}"]
        np.testing.assert_allclose(trainer.params[name], start[name] + expected, rtol=1e-13, atol=1e-16)


def test_a_frozen_layer_stays_as_it_was():
    layers = [{"units": 3, "activation": "relu", "trainable": False}, {"units": 2, "activation": "linear"}]
    module = module_of(spec_of({"name": "frozen", "inputs": 2, "layers": layers, "loss": "mse"}))
    params = module["init_params"](0)
    trainer = module["Trainer"](params)
    trainer.train_step(np.ones((3, 2)), np.zeros((3, 2)), 0.1)
    np.testing.assert_array_equal(trainer.params["w1"], params["w1"])
    assert not np.array_equal(trainer.params["w2"], params["w2"])


def test_a_step_allocates_no_array_of_a_batch_or_a_weight():
    layers = [{"units": 256, "activation": "relu"}, {"units": 128, "activation": "sigmoid"},
              {"units": 10, "activation": "linear"}]
    module = module_of(spec_of({"name": "wide", "inputs": 64, "layers": layers, "loss": "softmax_neg_log_likelihood"}))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2048, 64)), np.eye(10)[rng.integers(0, 10, size=2048)]
    trainer = module["Trainer"](module["init_params"](0))
    trainer.train_step(x, y, 0.01)  # allocates this batch size's buffers
    tracemalloc.start()
    trainer.train_step(x, y, 0.01)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    smallest_activation = 2048 * 10 * 8
    assert peak < smallest_activation, peak


def test_dropout_masks_come_from_the_trainers_generator():
    layers = [{"units": 8, "activation": "relu", "dropout": 0.5}, {"units": 2, "activation": "linear"}]
    module = module_of(spec_of({"name": "dropped", "inputs": 2, "layers": layers, "loss": "mse"}))
    params, x, y = module["init_params"](0), np.ones((4, 2)), np.zeros((4, 2))
    runs = [module["Trainer"](params, rng=seed) for seed in (7, 7, 8)]
    costs = [[trainer.train_step(x, y, 0.1) for _ in range(3)] for trainer in runs]
    assert costs[0] == costs[1] and costs[0] != costs[2]



@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_an_all_frozen_network_does_not_change(optimizer):
    layers = [{"units": 3, "activation": "tanh", "trainable": False},
              {"units": 2, "activation": "linear", "trainable": False}]
    module = module_of(spec_of({"name": "still", "inputs": 2, "layers": layers, "loss": "mse",
                                "optimizer": {"name": optimizer}}))
    params = module["init_params"](0)
    x, y = np.ones((3, 2)), np.zeros((3, 2))
    trainer = module["Trainer"](params)
    costs = [trainer.train_step(x, y, 0.1) for _ in range(2)]
    assert costs[0] == costs[1] == pytest.approx(training_cost(module, params, x, y), rel=1e-14)
    for name in params:
        np.testing.assert_array_equal(trainer.params[name], params[name])
