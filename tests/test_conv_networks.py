"""Networks with conv2d, pooling and flatten layers: generated, checked, trained, and their specs' errors.

Gradients are compared with central differences (and, through tied maxima,
where differences do not apply, with a loop written from max pooling's
definition and its stated tie rule: the first maximum in row-major order).
"""

import importlib.util
import subprocess
import sys
import tomllib
import tracemalloc
from itertools import product

import numpy as np
import pytest

from codegen.errors import GenerationError
from codegen.generate import render_network
from codegen.rendering import render_numba_network
from derive.catalog.registry import CATALOG
from derive.spec import SpecError
from finite_differences import gradient
from indexed_reference import first_max_indicator
from network_modules import module_of, spec_of
from test_spec_errors import ROOT

CNN = """\
name = "small_cnn"
inputs = [1, 6, 6]
loss = "softmax_neg_log_likelihood"

[[layers]]
kind = "conv2d"
filters = 3
kernel = 3
padding = "same"
activation = "relu"
weight_init = "he_uniform"

[[layers]]
kind = "max_pool"
size = 2

[[layers]]
kind = "flatten"

[[layers]]
units = 4
activation = "linear"

[optimizer]
name = "momentum"
learning_rate = 0.05
"""


def _imported(path):
    loader = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def test_the_command_writes_a_conv_module_whose_gradient_check_passes_and_fit_trains(tmp_path):
    (tmp_path / "small_cnn.toml").write_text(CNN, encoding="utf-8")
    output = tmp_path / "small_cnn.py"
    subprocess.run([sys.executable, "-m", "codegen", "network", str(tmp_path / "small_cnn.toml"), "-o", str(output)],
                   cwd=ROOT, check=True, capture_output=True)
    module = _imported(output)
    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(12, 36)), rng.integers(0, 4, size=12)
    errors = module.gradient_check(module.init_params(0), x[:4], labels[:4])
    assert set(errors) == set(module.PARAMETERS) and max(errors.values()) < 1e-6, errors
    params, history = module.fit(module.init_params(0), x, labels, epochs=30, batch_size=4, verbose=0)
    assert history["cost"][-1] < 0.5 * history["cost"][0]


def test_the_trainer_takes_the_functional_step_of_a_conv_network_with_a_penalty():
    spec = spec_of({"name": "penalised", "inputs": [2, 5, 5], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 2, "kernel": [2, 3], "stride": 2, "activation": "tanh", "penalty": "l2",
         "penalty_strength": 0.1},
        {"kind": "avg_pool", "size": 2, "stride": 1, "padding": "same"},
        {"kind": "flatten"}, {"units": 2, "activation": "linear"}]})
    module = module_of(spec)
    rng = np.random.default_rng(3)
    params, x, y = module["init_params"](1), rng.normal(size=(6, 50)), rng.normal(size=(6, 2))
    trainer = module["Trainer"](params)
    trainer.train_step(x, y, 0.1)
    stepped, _, _ = module["train_step"](params, x, y, 0.1, state=module["init_state"](params))
    for name in module["PARAMETERS"]:
        np.testing.assert_allclose(trainer.params[name], stepped[name], rtol=1e-12, atol=1e-15)


def test_a_frozen_convolution_stays_as_it_was():
    spec = spec_of({"name": "frozen", "inputs": [1, 5, 5], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 2, "kernel": 2, "activation": "relu", "trainable": False},
        {"kind": "flatten"}, {"units": 2, "activation": "linear"}]})
    module = module_of(spec)
    params, rng = module["init_params"](0), np.random.default_rng(2)
    trainer = module["Trainer"](params)
    trainer.train_step(rng.normal(size=(3, 25)), rng.normal(size=(3, 2)), 0.1)
    np.testing.assert_array_equal(trainer.params["w1"], params["w1"])
    assert not np.array_equal(trainer.params["w3"], params["w3"])


def test_dropout_after_a_convolution_has_the_gradient_of_its_masked_cost():
    spec = spec_of({"name": "dropped", "inputs": [1, 5, 5], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 2, "kernel": 2, "activation": "sigmoid", "dropout": 0.3},
        {"kind": "flatten"}, {"units": 2, "activation": "linear"}]})
    module = module_of(spec)
    rng = np.random.default_rng(4)
    params, x, y = module["init_params"](0), rng.normal(size=(3, 25)), rng.normal(size=(3, 2))
    grads = module["backward"](params, x, y, module["forward"](params, x, training=True, rng=9))
    for name in module["PARAMETERS"]:
        def cost(value, name=name):
            return module["loss"](y, module["forward"]({**params, name: value}, x, training=True, rng=9)["out"])
        np.testing.assert_allclose(grads[f"d{name}"], gradient(cost, params[name]), rtol=1e-5, atol=1e-8)


def _tied_network():
    """A 1×1 convolution reading channel 0 only (weights fixed below), then max pooling: the output."""
    return module_of(spec_of({"name": "tied", "inputs": [2, 4, 4], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 1, "kernel": 1, "bias": "none", "activation": "linear"},
        {"kind": "max_pool", "size": 2}]}))


def _tied_inputs(rng):
    """Channel 0 of only 0s and 1s, so most windows hold tied maxima; channel 1 tells the tied entries apart."""
    x = np.stack([rng.integers(0, 2, size=(5, 4, 4)), rng.normal(size=(5, 4, 4))], axis=1).astype(float)
    return x


def test_the_max_pool_indicator_is_the_first_maximum_of_each_window():
    module, rng = _tied_network(), np.random.default_rng(5)
    x = _tied_inputs(rng)
    params = {"w1": np.array([[1.0, 0.0]])}
    mask = module["forward"](params, x.reshape(5, -1))["mask2"]
    for n, i, j in product(range(5), range(2), range(2)):
        window = x[n, 0, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
        np.testing.assert_array_equal(mask[n, 0, i, j], first_max_indicator(window))


def test_the_gradient_through_tied_maxima_follows_the_first_one():
    module, rng = _tied_network(), np.random.default_rng(6)
    x, y = _tied_inputs(rng), rng.normal(size=(5, 4))
    params = {"w1": np.array([[1.0, 0.0]])}
    grads = module["backward"](params, x.reshape(5, -1), y, module["forward"](params, x.reshape(5, -1)))
    # mse: cost = Σ ½(y − out)² / (N·C), so dcost/dout = (out − y)/(N·C); out is each window's maximum.
    expected = np.zeros((1, 2))
    for n, i, j in product(range(5), range(2), range(2)):
        window = x[n, 0, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
        first = np.unravel_index(np.argmax(first_max_indicator(window)), (2, 2))
        out = window.max()
        upstream = (out - y[n, 2 * i + j]) / (5 * 4)
        for k in range(2):
            expected[0, k] += upstream * x[n, k, 2 * i + first[0], 2 * j + first[1]]
    np.testing.assert_allclose(grads["dw1"], expected, rtol=1e-13)


def test_a_step_of_a_conv_network_allocates_its_window_sums():
    module = module_of(spec_of({"name": "allocating", "inputs": [1, 12, 12], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 8, "kernel": 3, "activation": "relu"}, {"kind": "flatten"},
        {"units": 1, "activation": "linear"}]}))
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(256, 144)), rng.normal(size=(256, 1))
    trainer = module["Trainer"](module["init_params"](0))
    trainer.train_step(x, y, 0.01)
    tracemalloc.start()
    trainer.train_step(x, y, 0.01)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak >= 256 * 8 * 10 * 10 * 8  # at least the convolution's output, float64


@pytest.mark.parametrize("layers, field, words", [
    ([{"kind": "conv2d", "filters": 2, "kernel": 3, "activation": "relu"}, {"units": 2, "activation": "linear"}],
     "layers[1]", "a dense layer reads a flat input, not the output [2, 4, 4] of layers[0] (conv2d)"),
    ([{"kind": "flatten"}, {"units": 3, "activation": "relu"}, {"kind": "max_pool", "size": 2}],
     "layers[2]", "a max_pool layer reads an image [channels, height, width], not the 3 units of layers[1]"),
    ([{"units": 3, "activation": "relu"}],
     "layers[0]", "a dense layer reads a flat input, not the network's inputs [1, 6, 6]"),
    ([{"kind": "max_pool", "size": 2, "activation": "relu"}],
     "layers[0].activation", "not a field of a max_pool layer: it applies no function"),
    ([{"kind": "max_pool", "size": 2, "padding": "same"}],
     "layers[0].padding", "max pooling takes valid windows only"),
    ([{"kind": "conv2d", "filters": 2, "kernel": 3, "activation": "relu", "batch_norm": True}],
     "layers[0].batch_norm", "normalises each channel over samples and positions"),
    ([{"kind": "conv2d", "filters": 2, "kernel": 7, "activation": "relu"}],
     "layers[0].kernel", "a 7×7 window does not fit in the network's inputs [1, 6, 6], with valid padding"),
    ([{"kind": "conv2d", "filters": 2, "kernal": 3, "activation": "relu"}],
     "layers[0].kernal", "unknown field; did you mean 'kernel'?"),
    ([{"kind": "conv", "filters": 2}], "layers[0].kind", "unknown value 'conv'; did you mean 'conv2d'?"),
    ([{"kind": "conv2d", "filters": 2, "kernel": 3, "activation": "relu", "units": 4}],
     "layers[0].units", "a convolution's output size follows from filters, kernel, stride and padding"),
    ([{"kind": "conv2d", "filters": 2, "kernel": 3, "activation": "relu", "bias": "shared"}],
     "layers[0].bias", "a convolution's bias is one per filter or none"),
    ([{"kind": "max_pool", "size": 2, "inputs": [1, 6, 5]}],
     "layers[0].inputs", "[1, 6, 5] does not match the network's inputs [1, 6, 6]"),
    ([{"kind": "conv2d", "filters": 1, "kernel": 3, "activation": "relu"}, {"kind": "flatten"}],
     "layers[1].kind", "a flatten layer changes no number, so it cannot end the network"),
])
def test_a_wrong_image_layer_is_refused_naming_the_layers_and_shapes(layers, field, words):
    with pytest.raises(SpecError) as caught:
        spec_of({"inputs": [1, 6, 6], "loss": "mse", "layers": layers})
    assert caught.value.field == field and words in str(caught.value), str(caught.value)


@pytest.mark.parametrize("inputs", [[1, 6], [0, 6, 6], [1, 6, True], [1000, 1000, 2], "1x6x6"])
def test_inputs_that_are_no_image_shape_are_refused(inputs):
    with pytest.raises(SpecError, match=r"inputs: .*\(accepted: an integer from 1 to 1,000,000, or \[channels"):
        spec_of({"inputs": inputs, "loss": "mse", "layers": [{"units": 1, "activation": "linear"}]})


def test_the_compiled_target_refuses_a_conv_layer_naming_the_numpy_target():
    spec = spec_of({"inputs": [1, 6, 6], "loss": "mse", "layers": [
        {"kind": "conv2d", "filters": 1, "kernel": 3, "activation": "relu"}, {"kind": "flatten"},
        {"units": 1, "activation": "linear"}]})
    with pytest.raises(GenerationError, match=r"layers\[0\]\.kind = 'conv2d' \(window layers are not compiled yet; "
                                              r"the NumPy target, the default --target numpy, prints them\)"):
        render_numba_network(spec, CATALOG)


def test_explain_refuses_a_conv_network_in_one_line(tmp_path):
    (tmp_path / "small_cnn.toml").write_text(CNN, encoding="utf-8")
    rng = np.random.default_rng(8)
    np.savez(tmp_path / "data.npz", x=rng.normal(size=(2, 36)), y=np.eye(4)[:2])
    module = module_of(spec_of(tomllib.loads(CNN)))
    np.savez(tmp_path / "params.npz", **module["init_params"](0))
    result = subprocess.run(
        [sys.executable, "-m", "derive", "explain", str(tmp_path / "small_cnn.toml"), "--param", "w1[0,0]",
         "--data", str(tmp_path / "data.npz"), "--params", str(tmp_path / "params.npz")],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "layers[0].kind: a trace follows dense layers only, not 'conv2d'" in result.stderr


def test_latex_shows_the_derived_sums_of_a_convolution_and_of_max_pooling(tmp_path):
    (tmp_path / "small_cnn.toml").write_text(CNN, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "derive", "latex", str(tmp_path / "small_cnn.toml")],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    lines = {line.split("&&")[-1].strip(): line for line in result.stdout.splitlines() if "&&" in line}
    assert r"{x}_{n,k,i + p - 1,j + q - 1}" in lines[r"\text{layer 1, conv2d} \\"]
    assert r"\text{first maximum of each } 2 \times 2" in lines[r"\text{layer 2, window maximum indicator} \\"]
    assert r"\mathrm{mask}_{2}" in lines[r"\text{layer 2, input gradient} \\"]
    assert r"\sum" in lines[r"\text{layer 1, kernel gradient} \\"]


def test_the_module_prints_its_window_sums_over_window_views_with_tensordot_and_einsum():
    source = render_network(spec_of(tomllib.loads(CNN)), CATALOG)
    forward = source[source.index("def forward("):source.index("def loss(")]
    backward = source[source.index("def backward("):source.index("def update(")]
    assert "np.lib.stride_tricks.sliding_window_view(" in forward and "np.tensordot(" in forward
    assert "np.einsum(" in forward  # max pooling: the window indicator times the windows
    assert "np.tensordot(" in backward and "np.flip(" in backward
