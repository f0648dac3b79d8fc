"""Freezing layers between training calls: ``frozen=`` on ``fit``, ``train_step``, ``update``, ``step`` and ``Trainer``.

The network is 2 -> 3 (tanh) -> 3 (tanh) -> 1 (linear) with the ``mse`` cost
``0.5*mean((out - y)**2)``; expected updates are gradient-descent steps from
central finite differences of that cost, written here in plain NumPy, or
come from a run in which nothing was frozen.
"""

import numpy as np
import pytest

from finite_differences import gradient
from generated import example2
from network_modules import module_of, spec_of

RNG = np.random.default_rng(11)
X = RNG.normal(size=(6, 2))
Y = np.sin(X[:, :1]) - 0.5 * X[:, 1:]
RATE = 0.1
LAYERS = [{"units": 3, "activation": "tanh"}, {"units": 3, "activation": "tanh"}, {"units": 1, "activation": "linear"}]


def network(optimizer="sgd", trainable=(True, True, True)):
    """The module of the 3-layer network, each layer trainable or not as the spec says."""
    layers = [{**layer, "trainable": flag} for layer, flag in zip(LAYERS, trainable)]
    return module_of(spec_of({"name": "frozen_" + optimizer, "inputs": 2, "loss": "mse", "layers": layers,
                              "optimizer": {"name": optimizer, "learning_rate": RATE}}))


SGD, MOMENTUM = network(), network("momentum")
START = SGD["init_params"](3)


def cost(params):
    """The mse cost of the network on X, Y, written out layer by layer."""
    h1 = np.tanh(X @ params["w1"].T + params["b1"])
    h2 = np.tanh(h1 @ params["w2"].T + params["b2"])
    return 0.5 * np.mean((h2 @ params["w3"].T + params["b3"] - Y) ** 2)


def descended(params, frozen=()):
    """One gradient-descent step from finite differences, the arrays of ``frozen`` kept."""
    return {name: value if name in frozen else value - RATE * gradient(lambda a: cost({**params, name: a}), value)
            for name, value in params.items()}


def assert_same(got, expected, names):
    for name in names:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


def assert_close(got, expected, names, rtol=1e-7):
    for name in names:
        np.testing.assert_allclose(got[name], expected[name], rtol=rtol, atol=1e-12, err_msg=name)


OTHERS = ("w2", "b2", "w3", "b3")


# -- the tables ------------------------------------------------------------------------------------------------


def test_layers_maps_each_layer_counted_from_1_to_its_parameters():
    assert example2.LAYERS == {1: ("w1", "b1"), 2: ("w2", "b2"), 3: ("w3", "b3")}


def test_layers_of_a_batch_normalised_layer_hold_its_scale_and_shift_but_not_its_statistics():
    module = module_of(spec_of({"name": "normed", "inputs": 2, "loss": "mse",
                                "layers": [{"units": 3, "activation": "relu", "batch_norm": True},
                                           {"units": 1, "activation": "linear"}]}))
    assert module["LAYERS"][1] == ("w1", "gamma1", "beta1")  # beta1 stands for the bias


# -- each entry point --------------------------------------------------------------------------------------------


def test_fit_leaves_a_frozen_layer_bitwise_unchanged():
    trained, _ = SGD["fit"](START, X, Y, 5, verbose=0, frozen=1)
    assert_same(trained, START, ("w1", "b1"))


def test_fit_steps_the_other_layers_by_gradient_descent():
    trained, _ = SGD["fit"](START, X, Y, 2, verbose=0, frozen=[1])
    expected = descended(descended(START, ("w1", "b1")), ("w1", "b1"))
    assert_close(trained, expected, OTHERS)


def test_train_step_keeps_a_frozen_parameter_and_steps_the_rest():
    new, _ = SGD["train_step"](START, X, Y, RATE, frozen=["w2"])
    assert_same(new, START, ("w2",))
    assert_close(new, descended(START, ("w2",)), ("w1", "b1", "b2", "w3", "b3"))


def test_update_returns_a_frozen_parameter_as_it_was():
    grads = SGD["backward"](START, X, Y, SGD["forward"](START, X, training=True))
    new = SGD["update"](START, grads, RATE, frozen=("b3", 2))
    assert_same(new, START, ("b3", "w2", "b2"))
    assert_close(new, descended(START), ("w1", "b1", "w3"))


def test_step_passes_frozen_to_the_update():
    grads = SGD["backward"](START, X, Y, SGD["forward"](START, X, training=True))
    new, _ = SGD["step"](START, grads, {}, 0, frozen=3)
    assert_same(new, START, ("w3", "b3"))
    assert_close(new, descended(START), ("w1", "b1", "w2", "b2"))


def test_the_trainer_keeps_a_frozen_layer_and_steps_the_rest_as_without_freezing():
    frozen, free = SGD["Trainer"](START), SGD["Trainer"](START)
    frozen.train_step(X, Y, RATE, frozen=1)
    free.train_step(X, Y, RATE)
    assert_same(frozen.params, START, ("w1", "b1"))
    assert_same(frozen.params, free.params, OTHERS)


def test_frozen_none_freezes_nothing_more_than_the_spec():
    new, _ = SGD["train_step"](START, X, Y, RATE, frozen=None)
    assert_close(new, descended(START), START)


def test_a_frozen_batch_normalised_layer_keeps_its_scale_and_shift_while_its_running_statistics_move():
    module = module_of(spec_of({"name": "normed", "inputs": 2, "loss": "mse",
                                "layers": [{"units": 3, "activation": "relu", "batch_norm": True},
                                           {"units": 1, "activation": "linear"}]}))
    params = module["init_params"](0)
    trained, _ = module["fit"](params, X, Y, 3, verbose=0, frozen=1)
    assert_same(trained, params, ("w1", "gamma1", "beta1"))
    assert not np.array_equal(trained["running_mean1"], params["running_mean1"])


def test_the_trainer_still_computes_a_frozen_layers_gradient():
    frozen, free = SGD["Trainer"](START), SGD["Trainer"](START)
    frozen.train_step(X, Y, RATE, frozen=1)
    free.train_step(X, Y, RATE)
    assert_same(frozen.scaled_grads, free.scaled_grads, ("dw1", "db1"))


# -- the course's experiment: train, freeze layer 1, train on -----------------------------------------------


@pytest.fixture(scope="module")
def phases():
    """101 epochs of everything, then 101 with layer 1 frozen, by the same module: both phases' parameters."""
    first, _ = SGD["fit"](START, X, Y, 101, verbose=0)
    second, history = SGD["fit"](first, X, Y, 101, verbose=0, frozen=1)
    return first, second, history


def test_after_freezing_layer_1_it_keeps_the_first_phases_values(phases):
    first, second, _ = phases
    assert_same(second, first, ("w1", "b1"))


def test_after_freezing_layer_1_the_other_layers_go_on_learning(phases):
    first, second, history = phases
    assert all(not np.array_equal(second[name], first[name]) for name in OTHERS)
    assert history["cost"][-1] < history["cost"][0]


def test_the_second_phase_equals_training_a_module_generated_with_layer_1_frozen(phases):
    first, second, _ = phases
    regenerated, _ = network(trainable=(False, True, True))["fit"](first, X, Y, 101, verbose=0)
    assert_close(second, regenerated, OTHERS, rtol=1e-12)


# -- momentum: a frozen parameter's velocity stays ---------------------------------------------------------


def test_the_trainer_keeps_a_frozen_layers_velocity():
    trainer = MOMENTUM["Trainer"](START)
    trainer.train_step(X, Y, RATE)
    velocity = {name: value.copy() for name, value in trainer.state.items()}
    trainer.train_step(X, Y, RATE, frozen=1)
    assert_same(trainer.state, velocity, ("vw1", "vb1"))
    assert not np.array_equal(trainer.state["vw2"], velocity["vw2"])


def test_update_returns_a_frozen_parameters_velocity_as_it_was():
    state = {name: np.full(value.shape, 0.5) for name, value in MOMENTUM["init_state"](START).items()}
    grads = MOMENTUM["backward"](START, X, Y, MOMENTUM["forward"](START, X, training=True))
    new, new_state = MOMENTUM["update"](START, grads, RATE, state=state, frozen="w3")
    assert_same(new, START, ("w3",))
    assert_same(new_state, state, ("vw3",))
    assert not np.array_equal(new_state["vb3"], state["vb3"])


def test_train_step_with_momentum_keeps_a_frozen_layer_and_its_velocity():
    state = MOMENTUM["init_state"](START)
    params, _, state = MOMENTUM["train_step"](START, X, Y, RATE, state=state)
    new, _, new_state = MOMENTUM["train_step"](params, X, Y, RATE, state=state, frozen=2)
    assert_same(new, params, ("w2", "b2"))
    assert_same(new_state, state, ("vw2", "vb2"))


# -- bad values --------------------------------------------------------------------------------------------


ACCEPTED = r"expected layer numbers 1 to 3 or parameter names \(w1, b1, w2, b2, w3, b3\), one or a list of them"


@pytest.mark.parametrize("value, message", [
    (0, "there is no layer 0"),
    (4, "there is no layer 4"),
    ([1, -1], "there is no layer -1"),
    ("w9", "there is no parameter 'w9'"),
    (["w1", "layer1"], "there is no parameter 'layer1'"),
    (1.5, "got 1.5"),
    (True, "got True"),
    ([None], "got None"),
    ({1: True}, r"got \{1: True\}"),
], ids=["layer 0", "past the end", "negative", "unknown name", "a layer's name", "float", "bool", "None in a list",
        "dict"])
def test_a_bad_frozen_value_is_a_one_line_error_naming_what_is_accepted(value, message):
    with pytest.raises(ValueError, match=rf"^frozen: ({message}; {ACCEPTED}|{ACCEPTED}, {message})$"):
        SGD["fit"](START, X, Y, 1, verbose=0, frozen=value)


@pytest.mark.parametrize("call", [
    lambda m: m["fit"](START, X, Y, 1, verbose=0, frozen=0),
    lambda m: m["train_step"](START, X, Y, frozen=0),
    lambda m: m["update"](START, m["backward"](START, X, Y, m["forward"](START, X, training=True)), frozen=0),
    lambda m: m["step"](START, m["backward"](START, X, Y, m["forward"](START, X, training=True)), {}, 0, frozen=0),
    lambda m: m["Trainer"](START).train_step(X, Y, frozen=0),
], ids=["fit", "train_step", "update", "step", "Trainer.train_step"])
def test_every_entry_point_refuses_a_bad_frozen_value(call):
    with pytest.raises(ValueError, match="frozen: there is no layer 0"):
        call(SGD)


def test_a_refused_frozen_value_leaves_the_trainer_unchanged():
    trainer = SGD["Trainer"](START)
    with pytest.raises(ValueError):
        trainer.train_step(X, Y, RATE, frozen="w9")
    assert_same(trainer.params, START, START)


# -- the spec's frozen layers ------------------------------------------------------------------------------


SPEC_FROZEN = network(trainable=(True, False, True))


def test_a_layer_frozen_by_the_spec_cannot_be_unfrozen():
    with pytest.raises(ValueError, match=r"^frozen: w2, b2 cannot be unfrozen \(their layer has trainable = false"):
        SPEC_FROZEN["fit"](START, X, Y, 1, verbose=0, frozen=1)


def test_an_empty_frozen_would_unfreeze_the_specs_layer_and_is_refused():
    with pytest.raises(ValueError, match="frozen: w2, b2 cannot be unfrozen"):
        SPEC_FROZEN["train_step"](START, X, Y, frozen=())


def test_naming_the_specs_frozen_layer_too_freezes_both():
    trained, _ = SPEC_FROZEN["fit"](START, X, Y, 3, verbose=0, frozen=[1, 2])
    assert_same(trained, START, ("w1", "b1", "w2", "b2"))
    assert not np.array_equal(trained["w3"], START["w3"])


def test_frozen_none_keeps_the_specs_frozen_layer():
    trained, _ = SPEC_FROZEN["fit"](START, X, Y, 3, verbose=0)
    assert_same(trained, START, ("w2", "b2"))
