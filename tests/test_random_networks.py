"""Networks built from random specs: every catalogue activation, loss, bias kind, penalty and batch norm.

The specs also draw penalties of strength 0 (which fold to the number 0),
deep stacks of layers, networks with every layer frozen under momentum, and
image networks: conv2d (kernel, stride, padding), max and average pooling
(size, stride, padding), flatten and dense layers over random image shapes.

Each spec is generated through the same path as ``make generate`` (in memory),
and every gradient of its ``backward`` is checked against central finite
differences of its own training cost, ``loss(y, forward(params, x, training=True)["out"]) + penalty(params)``.
"""

import numpy as np
import pytest

from derive.catalog.registry import CATALOG
from derive.catalog.losses import Inputs
from derive.spec import parse_spec
from finite_differences import gradient
from network_modules import module_of

VOCABULARY = CATALOG.vocabulary()

ACTIVATIONS = CATALOG.names("activation")
LOSSES = CATALOG.names("loss")
# Losses of probabilities need outputs in (0, 1): their last layer is a sigmoid.
PROBABILITIES = {Inputs.ONE_HOT_PROBABILITIES, Inputs.BINARY_PROBABILITIES}


def random_spec(loss, seed, depth=3, frozen=False):
    """A spec of ``depth`` layers for ``loss``; over seeds and losses, activations take turns so each one is used.

    With ``frozen``, every layer has ``trainable = false`` and the optimiser is momentum.
    """
    turn = (seed * len(LOSSES) + LOSSES.index(loss)) * depth
    rng = np.random.default_rng([seed, LOSSES.index(loss)])
    zeros = np.random.default_rng([seed, LOSSES.index(loss), 0])
    widths = rng.integers(1, 4, size=depth)
    kinds = ["per_neuron", "shared", "none"]
    layers = [
        {"units": int(w), "activation": ACTIVATIONS[(turn + k) % len(ACTIVATIONS)], "bias": str(rng.choice(kinds))}
        for k, w in enumerate(widths)
    ]
    for layer in layers:
        penalty = str(rng.choice(["none", *CATALOG.names("penalty")]))
        if penalty != "none":
            strength = float(rng.uniform(0.01, 0.1))
            if zeros.uniform() < 0.3:
                strength = float(zeros.choice([0.0, -0.0]))  # folds the penalty to the number 0
            layer.update(penalty=penalty, penalty_strength=strength)
        if rng.uniform() < 0.5:
            # Batch normalisation's beta is the layer's shift: it takes no bias.
            layer.update(batch_norm=True, bias="none")
    layers[-1]["units"] = 3
    if CATALOG.get(loss).inputs in PROBABILITIES:
        layers[-1]["activation"] = "sigmoid"
    for layer in layers if frozen else []:
        layer["trainable"] = False
    data = {"name": f"random_{loss}", "inputs": 2, "layers": layers, "loss": loss}
    if frozen:
        data["optimizer"] = {"name": "momentum", "momentum": float(rng.uniform(0.1, 0.9))}
    return parse_spec(data, VOCABULARY, source="random", default_name="random")


def random_params(module, rng):
    """Normal random parameters, and the module's own starting statistics."""
    params = module["init_params"](0)
    params.update({name: rng.normal(scale=0.8, size=shape) for name, shape in module["PARAMETERS"].items()})
    return params


def targets(loss, rng, rows):
    inputs = CATALOG.get(loss).inputs
    if inputs in (Inputs.ONE_HOT_PROBABILITIES, Inputs.ONE_HOT_LOGITS):
        return np.eye(3)[rng.integers(0, 3, size=rows)]
    if inputs in (Inputs.BINARY_PROBABILITIES, Inputs.BINARY_LOGITS):
        return rng.uniform(size=(rows, 3))
    return rng.normal(size=(rows, 3))


def check_gradients(spec, seed):
    """Every gradient of ``spec``'s ``backward`` against central differences of its training cost."""
    module = module_of(spec)
    rng = np.random.default_rng(100 + seed)
    params = random_params(module, rng)
    x, y = rng.normal(size=(4, spec.inputs)), targets(spec.loss, rng, 4)
    grads = module["backward"](params, x, y, module["forward"](params, x, training=True))

    def cost_at(name, value):
        changed = {**params, name: value}
        return module["loss"](y, module["forward"](changed, x, training=True)["out"]) + module["penalty"](changed)

    for name in module["PARAMETERS"]:
        expected = gradient(lambda value: cost_at(name, value), params[name])
        np.testing.assert_allclose(grads[f"d{name}"], expected, rtol=1e-5, atol=1e-7, err_msg=f"{spec.layers} d{name}")


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("loss", LOSSES)
def test_every_gradient_equals_finite_differences(loss, seed):
    check_gradients(random_spec(loss, seed), seed)


@pytest.mark.parametrize("loss", LOSSES)
def test_every_gradient_of_a_deep_spec_equals_finite_differences(loss):
    check_gradients(random_spec(loss, 3, depth=6), 3)


@pytest.mark.parametrize("loss", LOSSES)
def test_every_gradient_of_an_all_frozen_momentum_spec_equals_finite_differences(loss):
    check_gradients(random_spec(loss, 4, frozen=True), 4)


@pytest.mark.parametrize("loss", LOSSES)
def test_an_all_frozen_momentum_spec_trains_nothing(loss):
    module = module_of(random_spec(loss, 4, frozen=True))
    rng = np.random.default_rng(5)
    params = random_params(module, rng)
    x, y = rng.normal(size=(4, 2)), targets(loss, rng, 4)
    trainer = module["Trainer"](params)
    trainer.train_step(x, y, 0.5)
    stepped, _, _ = module["train_step"](params, x, y, 0.5, state=module["init_state"](params))
    for name in module["PARAMETERS"]:
        np.testing.assert_array_equal(trainer.params[name], params[name])
        np.testing.assert_array_equal(stepped[name], params[name])


def test_the_random_specs_mix_every_activation_bias_kind_penalty_and_batch_norm():
    specs = [random_spec(loss, seed) for seed in range(3) for loss in LOSSES]
    layers = [layer for spec in specs for layer in spec.layers]
    assert {layer.activation for layer in layers} == set(ACTIVATIONS)
    assert {layer.bias.value for layer in layers} == {"per_neuron", "shared", "none"}
    assert {layer.penalty for layer in layers} == {None, *CATALOG.names("penalty")}
    assert {layer.batch_norm for layer in layers} == {True, False}
    assert 0.0 in {layer.penalty_strength for layer in layers if layer.penalty is not None}


def random_image_spec(loss, seed):
    """An image network for ``loss``: conv2d, a pooling, sometimes a second conv2d, flatten, dense to 3 outputs.

    Shapes, kernels, strides, paddings and pooling kinds are drawn; activations take turns over seeds and losses.
    """
    rng = np.random.default_rng([seed, LOSSES.index(loss), 7])
    turn = seed * len(LOSSES) + LOSSES.index(loss)
    shape = [int(rng.integers(1, 3)), int(rng.integers(5, 8)), int(rng.integers(5, 8))]

    def conv(k):
        layer = {"kind": "conv2d", "filters": int(rng.integers(1, 3)),
                 "kernel": [int(rng.integers(1, 4)), int(rng.integers(1, 4))], "stride": int(rng.integers(1, 3)),
                 "padding": str(rng.choice(["valid", "same"])), "bias": str(rng.choice(["per_neuron", "none"])),
                 "activation": ACTIVATIONS[(turn + k) % len(ACTIVATIONS)]}
        penalty = str(rng.choice(["none", *CATALOG.names("penalty")]))
        if penalty != "none":
            layer.update(penalty=penalty, penalty_strength=float(rng.uniform(0.01, 0.1)))
        return layer

    kind = str(rng.choice(["max_pool", "avg_pool"]))
    pool = {"kind": kind, "size": 2, "stride": int(rng.integers(1, 3))}
    if kind == "avg_pool":
        pool["padding"] = str(rng.choice(["valid", "same"]))
    layers = [conv(0), pool] + ([{**conv(1), "padding": "same"}] if rng.uniform() < 0.5 else [])  # fits any size
    layers += [{"kind": "flatten"}, {"units": 3, "activation": "linear"}]
    if CATALOG.get(loss).inputs in PROBABILITIES:
        layers[-1]["activation"] = "sigmoid"
    data = {"name": f"image_{loss}", "inputs": shape, "layers": layers, "loss": loss}
    return parse_spec(data, VOCABULARY, source="random", default_name="random")


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("loss", LOSSES)
def test_every_gradient_of_an_image_network_equals_finite_differences(loss, seed):
    check_gradients(random_image_spec(loss, seed), seed)


def test_the_random_image_specs_draw_every_window_option():
    layers = [layer for seed in range(2) for loss in LOSSES for layer in random_image_spec(loss, seed).layers]
    windows = [layer.window for layer in layers if layer.window is not None]
    assert {layer.kind.value for layer in layers} == {"conv2d", "max_pool", "avg_pool", "flatten", "dense"}
    assert {w.padding.value for w in windows} == {"valid", "same"}
    assert {w.stride for w in windows} == {1, 2}
    assert len({w.window for w in windows}) > 4
    assert {layer.bias.value for layer in layers if layer.kind.value == "conv2d"} == {"per_neuron", "none"}
