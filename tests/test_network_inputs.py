"""Arguments of a generated network module are checked: a clear ValueError naming the argument and both shapes.

Before these checks, ``y`` of shape ``(N, 1)`` broadcast into wrong
gradients, 1-D and 3-D ``x`` ran, lists raised AttributeError and an empty
batch ZeroDivisionError.  Values a converted argument gives are compared
with the same call on float64 arrays, whose gradients the other tests
check against finite differences.
"""

import re

import numpy as np
import pytest

from network_modules import module_of, spec_of

LAYERS = [{"units": 4, "activation": "tanh"}, {"units": 3, "activation": "linear"}]


@pytest.fixture(scope="module")
def net():
    return module_of(spec_of({"name": "checked", "inputs": 2, "layers": LAYERS, "loss": "mse"}))


@pytest.fixture(scope="module")
def heavy():
    return module_of(spec_of({"name": "heavy", "inputs": 2, "layers": LAYERS, "loss": "mse",
                              "optimizer": {"name": "momentum"}}))


X = np.random.default_rng(0).normal(size=(5, 2))
Y = np.random.default_rng(1).normal(size=(5, 3))


def raises(message, call, *args, **kwargs):
    with pytest.raises(ValueError, match=re.escape(message)):
        call(*args, **kwargs)


def test_backward_refuses_targets_of_one_column(net):
    params = net["init_params"](0)
    cache = net["forward"](params, X, training=True)
    raises("y: expected an array of shape (N, 3), got shape (5, 1)", net["backward"], params, X, Y[:, :1], cache)


def test_the_trainer_refuses_targets_of_one_column(net):
    trainer = net["Trainer"](net["init_params"](0))
    raises("y: expected an array of shape (N, 3), got shape (5, 1)", trainer.train_step, X, Y[:, :1])


@pytest.mark.parametrize("x, shape", [(np.zeros(2), "(2,)"), (np.zeros((5, 2, 1)), "(5, 2, 1)")])
def test_forward_refuses_x_of_one_or_three_dimensions(net, x, shape):
    raises(f"x: expected an array of shape (N, 2), got shape {shape}", net["forward"], net["init_params"](0), x)


def test_forward_takes_lists_as_the_arrays_they_hold(net):
    params = net["init_params"](0)
    listed = {name: value.tolist() for name, value in params.items()}
    np.testing.assert_array_equal(net["forward"](listed, X.tolist())["out"], net["forward"](params, X)["out"])


@pytest.mark.parametrize("call", ["forward", "loss", "backward", "train_step", "Trainer", "fit", "gradient_check"])
def test_an_empty_batch_is_refused(net, call):
    params, x, y = net["init_params"](0), X[:0], Y[:0]
    argument = "y" if call == "loss" else "x"
    calls = {
        "forward": lambda: net["forward"](params, x),
        "loss": lambda: net["loss"](y, y),
        "backward": lambda: net["backward"](params, x, y, {}),
        "train_step": lambda: net["train_step"](params, x, y),
        "Trainer": lambda: net["Trainer"](params).train_step(x, y),
        "fit": lambda: net["fit"](params, x, y, 1, verbose=0),
        "gradient_check": lambda: net["gradient_check"](params, x, y),
    }
    raises(f"{argument}: expected at least one row of shape (N, {2 if argument == 'x' else 3}), got shape (0,",
           calls[call])


def test_complex_numbers_are_refused(net):
    raises("x: expected real numbers of shape (N, 2), got complex numbers", net["forward"], net["init_params"](0),
           X + 1j)


def test_text_is_refused_naming_the_argument(net):
    raises("x: expected an array of real numbers of shape (N, 2), got list", net["forward"], net["init_params"](0),
           [["a", "b"]])


def test_backward_names_a_cache_entry_it_lacks(net):
    params = net["init_params"](0)
    raises("cache: missing h1", net["backward"], params, X, Y, {"out": np.zeros((5, 3))})


def test_backward_refuses_the_cache_of_another_batch(net):
    params = net["init_params"](0)
    cache = net["forward"](params, X[:2], training=True)
    raises("cache: expected the cache of the 5 rows of x, got out of shape (2, 3)",
           net["backward"], params, X, Y, cache)


def test_update_names_a_gradient_of_the_wrong_shape(net):
    params = net["init_params"](0)
    grads = {f"d{name}": np.zeros_like(value) for name, value in params.items()}
    raises("dw1: expected an array of shape (4, 2), got shape (2, 4)",
           net["update"], params, {**grads, "dw1": np.zeros((2, 4))})


def test_update_refuses_a_nan_gradient(net):
    params = net["init_params"](0)
    grads = {f"d{name}": np.zeros_like(value) for name, value in params.items()}
    grads["db2"][0, 1] = np.nan
    raises("db2: expected finite numbers, got nan at (0, 1)", net["update"], params, grads)


def test_a_learning_rate_must_be_a_number(net):
    trainer = net["Trainer"](net["init_params"](0))
    raises("learning_rate: expected a finite real number, got '0.1'", trainer.train_step, X, Y, "0.1")


def test_momentum_must_not_be_negative(heavy):
    params = heavy["init_params"](0)
    grads = {f"d{name}": np.zeros_like(value) for name, value in params.items()}
    raises("momentum: expected a finite real number >= 0, got -0.5", heavy["update"], params, grads,
           0.1, -0.5, state=heavy["init_state"](params))


def test_a_trainers_state_names_what_it_lacks(heavy):
    params = heavy["init_params"](0)
    raises("state: missing vb1, vw2, vb2", heavy["Trainer"], params, {"vw1": np.zeros((4, 2))})


def test_an_epoch_is_a_whole_number_from_zero(net):
    raises("epoch: expected an integer >= 0, got -1", net["learning_rate"], -1)
    raises("epochs: expected an integer >= 0, got 2.5", net["fit"], net["init_params"](0), X, Y, 2.5)


def test_gradient_check_needs_a_positive_step(net):
    raises("eps: expected a finite real number > 0, got 0.0", net["gradient_check"], net["init_params"](0), X, Y, 0.0)


def test_params_must_be_a_dict(net):
    raises("params: expected a dict of w1, b1, w2, b2", net["forward"], [1, 2], X)
