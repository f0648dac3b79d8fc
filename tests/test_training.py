"""Training with a generated module: ``init_params``, ``fit``, ``step``, ``learning_rate``, ``save``/``load``.

Expected numbers come from the notebook (Example 2) or from plain NumPy
written here: a one-layer linear network with the ``mse`` cost
``0.5*mean((p - y)**2)``, whose gradients are ``(p - y)ᵀx/(N·C)`` and
``Σ(p - y)/(N·C)``.
"""

import re

import numpy as np
import pytest

from generated import example2
from network_modules import module_of, spec_of
from notebook import EXAMPLE_2_COSTS, EXAMPLE_2_FINAL, EXAMPLE_2_ITERATIONS, PRINTED_8_DECIMALS, example2_inputs

RNG = np.random.default_rng(7)
X = RNG.normal(size=(5, 2))
Y = X @ np.array([[1.5], [-2.0]]) + 0.5


def linear(optimizer=None, **layer):
    """A module for ``inputs = 2`` -> one linear unit, mse, with the given optimiser table."""
    data = {"name": "line", "inputs": 2, "loss": "mse", "layers": [{"units": 1, "activation": "linear", **layer}]}
    if optimizer is not None:
        data["optimizer"] = optimizer
    return module_of(spec_of(data))


def mse_gradients(params, x, y):
    error = (x @ params["w1"].T + params["b1"] - y) / y.size
    return {"w1": error.T @ x, "b1": error.sum(axis=0, keepdims=True)}


START = {"w1": np.array([[0.3, -0.1]]), "b1": np.array([[0.2]])}


def test_fit_reproduces_the_notebook_costs_and_final_weights():
    params, x, y = example2_inputs()
    trained, history = example2.fit(params, x, y, EXAMPLE_2_ITERATIONS, verbose=0)
    printed = history["cost"][::30]
    np.testing.assert_allclose(printed, EXAMPLE_2_COSTS, rtol=1e-12, atol=0)  # log-sum-exp: see test_notebook_example2
    for name, expected in EXAMPLE_2_FINAL.items():
        np.testing.assert_allclose(trained[name], expected, **PRINTED_8_DECIMALS)


def test_fit_leaves_its_arguments_untouched_and_returns_new_arrays():
    params, x, y = example2_inputs()
    before = {name: value.copy() for name, value in params.items()}
    trained, _ = example2.fit(params, x, y, 3, verbose=0)
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])
        assert not np.shares_memory(trained[name], params[name])


def test_the_last_smaller_batch_is_used():
    module = linear({"learning_rate": 0.1})
    trained, history = module["fit"](START, X, Y, 1, batch_size=2, verbose=0)
    expected, costs = dict(START), []
    for batch in ([0, 1], [2, 3], [4]):
        costs.append(0.5 * np.mean((X[batch] @ expected["w1"].T + expected["b1"] - Y[batch]) ** 2))
        grads = mse_gradients(expected, X[batch], Y[batch])
        expected = {name: expected[name] - 0.1 * grads[name] for name in expected}
    for name in expected:
        np.testing.assert_allclose(trained[name], expected[name], rtol=1e-14)
    assert history["cost"] == [pytest.approx((2 * costs[0] + 2 * costs[1] + costs[2]) / 5, rel=1e-14)]


def test_momentum_keeps_a_velocity_per_parameter():
    module = linear({"name": "momentum", "learning_rate": 0.1, "momentum": 0.8})
    trained, _ = module["fit"](START, X, Y, 4, verbose=0)
    expected = dict(START)
    velocity = {name: np.zeros_like(value) for name, value in START.items()}
    for _ in range(4):
        grads = mse_gradients(expected, X, Y)
        velocity = {name: 0.8 * velocity[name] - 0.1 * grads[name] for name in velocity}
        expected = {name: expected[name] + velocity[name] for name in expected}
    for name in expected:
        np.testing.assert_allclose(trained[name], expected[name], rtol=1e-14)


SCHEDULES = {
    "none": ({"kind": "none"}, lambda e: 0.1),
    "time_based": ({"kind": "time_based", "rate": 0.5}, lambda e: 0.1 / (1 + 0.5 * e)),
    "exponential": ({"kind": "exponential", "rate": 0.9}, lambda e: 0.1 * 0.9**e),
    "staircase": ({"kind": "staircase", "rate": 0.5, "step": 3}, lambda e: 0.1 * 0.5 ** (e // 3)),
}


@pytest.mark.parametrize("kind", SCHEDULES)
def test_learning_rate_follows_the_schedule(kind):
    table, rate = SCHEDULES[kind]
    module = linear({"learning_rate": 0.1, "schedule": table})
    for epoch in range(12):
        assert module["learning_rate"](epoch) == pytest.approx(rate(epoch), rel=1e-15)


@pytest.mark.parametrize("kind", SCHEDULES)
def test_fit_steps_at_each_epochs_learning_rate(kind):
    table, rate = SCHEDULES[kind]
    module = linear({"learning_rate": 0.1, "schedule": table})
    trained, _ = module["fit"](START, X, Y, 7, verbose=0)
    expected = dict(START)
    for epoch in range(7):
        grads = mse_gradients(expected, X, Y)
        expected = {name: expected[name] - rate(epoch) * grads[name] for name in expected}
    for name in expected:
        np.testing.assert_allclose(trained[name], expected[name], rtol=1e-13)


def test_a_frozen_layer_does_not_change():
    layers = [
        {"units": 3, "activation": "tanh", "trainable": False},
        {"units": 1, "activation": "linear"},
    ]
    module = module_of(spec_of({"name": "frozen", "inputs": 2, "loss": "mse", "layers": layers}))
    params = module["init_params"](3)
    trained, _ = module["fit"](params, X, Y, 5, verbose=0)
    assert module["FROZEN"] == ("w1", "b1")
    np.testing.assert_array_equal(trained["w1"], params["w1"])
    np.testing.assert_array_equal(trained["b1"], params["b1"])
    assert not np.array_equal(trained["w2"], params["w2"])


def test_early_stopping_restores_a_copy_of_the_best_parameters():
    module = linear({"learning_rate": 0.1})
    # Validation targets of the opposite sign: the validation cost rises from the first epoch on.
    trained, history = module["fit"](START, X, Y, 50, x_val=X, y_val=-Y, patience=3, verbose=0)
    assert history["best_epoch"] == 0 and len(history["cost"]) == 4
    assert np.argmin(history["val_cost"]) == 0
    grads = mse_gradients(START, X, Y)
    for name in START:
        np.testing.assert_allclose(trained[name], START[name] - 0.1 * grads[name], rtol=1e-14)
    trained["w1"][...] = 0  # the returned arrays are the caller's: a second run is unaffected
    again, _ = module["fit"](START, X, Y, 50, x_val=X, y_val=-Y, patience=3, verbose=0)
    assert not np.all(again["w1"] == 0)


def test_patience_needs_validation_data():
    with pytest.raises(ValueError, match="patience.*x_val and y_val"):
        linear()["fit"](START, X, Y, 5, patience=2, verbose=0)


def test_progress_lines_at_the_chosen_interval_and_silence_with_verbose_0(capsys):
    fit = linear()["fit"]
    fit(START, X, Y, 7, every=3)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["epoch 1/7", "epoch 3/7", "epoch 6/7", "epoch 7/7"]
    fit(START, X, Y, 7, verbose=0)
    assert capsys.readouterr().out == ""


def test_init_params_uses_each_layers_initialisers():
    layers = [{"units": 4, "activation": "relu", "weight_init": "he_uniform", "bias_init": "ones"},
              {"units": 1, "activation": "linear", "weight_init": "zeros"}]
    module = module_of(spec_of({"name": "inits", "inputs": 6, "loss": "mse", "layers": layers}))
    params = module["init_params"](0)
    assert {name: value.shape for name, value in params.items()} == module["PARAMETERS"]
    assert 0 < np.abs(params["w1"]).max() <= np.sqrt(6 / 6)  # He uniform limit sqrt(6/fan_in)
    np.testing.assert_array_equal(params["b1"], np.ones((1, 4)))
    np.testing.assert_array_equal(params["w2"], np.zeros((1, 4)))


def test_a_seed_makes_initialisation_and_shuffled_training_repeatable():
    first = example2.init_params(np.random.default_rng(11))
    again = example2.init_params(np.random.default_rng(11))
    other = example2.init_params(np.random.default_rng(12))
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
    assert not np.array_equal(first["w1"], other["w1"])
    x, y = RNG.normal(size=(9, 3)), np.eye(3)[RNG.integers(0, 3, size=9)]
    runs = [example2.fit(first, x, y, 5, batch_size=4, shuffle=True, rng=seed, verbose=0) for seed in (5, 5, 6)]
    assert runs[0][1]["cost"] == runs[1][1]["cost"] != runs[2][1]["cost"]


def test_save_and_load_round_trip(tmp_path):
    params = example2.init_params(0)
    example2.save(tmp_path / "params.npz", params)
    loaded = example2.load(tmp_path / "params.npz")
    assert loaded.keys() == params.keys()
    for name in params:
        np.testing.assert_array_equal(loaded[name], params[name])


def test_load_names_a_missing_parameter(tmp_path):
    np.savez(tmp_path / "partial.npz", w1=np.zeros((3, 3)))
    with pytest.raises(ValueError, match="missing parameter.*b1"):
        example2.load(tmp_path / "partial.npz")


def test_predict_is_the_forward_output():
    params, x, _ = example2_inputs()
    np.testing.assert_array_equal(example2.predict(params, x), example2.forward(params, x)["out"])


@pytest.mark.parametrize("call, message", [
    (lambda p: example2.predict(p, np.zeros((4, 2))), "x: expected an array of shape (N, 3), got shape (4, 2)"),
    (lambda p: example2.predict(p, np.zeros(3)), "x: expected an array of shape (N, 3), got shape (3,)"),
    (lambda p: example2.fit(p, np.zeros((4, 3)), np.zeros((4, 2)), 1),
     "y: expected an array of shape (N, 3), got shape (4, 2)"),
    (lambda p: example2.fit(p, np.zeros((4, 3)), np.zeros((5, 3)), 1), "y: expected 4 rows like x, got shape (5, 3)"),
    (lambda p: example2.gradient_check({**p, "w2": np.zeros((2, 3))}, np.zeros((1, 3)), np.zeros((1, 3))),
     "w2: expected an array of shape (3, 3), got shape (2, 3)"),
    (lambda p: example2.fit(p, np.zeros((4, 3)), np.zeros((4, 3)), 1, x_val=np.zeros((2, 4)), y_val=np.zeros((2, 3))),
     "x_val: expected an array of shape (N, 3), got shape (2, 4)"),
    (lambda p: example2.fit(p, np.array([[0, np.nan, 0]]), np.eye(3)[:1], 1, check_finite=True),
     "x: expected finite numbers, got nan at (0, 1) of shape (1, 3)"),
    (lambda p: example2.predict(p, np.array([[0, 0, 0], [np.inf, 0, 0]]), check_finite=True),
     "x: expected finite numbers, got inf at (1, 0) of shape (2, 3)"),
    (lambda p: example2.predict({k: v for k, v in p.items() if k != "b2"}, np.zeros((1, 3))),
     "params: missing b2"),
])
def test_bad_arrays_raise_value_error_naming_expected_and_actual_shapes(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call(example2_inputs()[0])
