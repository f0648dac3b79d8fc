"""The benchmark's NumPy baselines compute what they claim: checked against the cost's own definition.

``handwritten`` is the reference every implementation is checked against
before timing, and ``notebook`` mirrors the seed notebook; both are checked
here against central differences of a cost written from the definition, and
``handwritten`` against the generated module's ``Trainer`` too, in float64
and float32.  ``gemm_floor`` must do exactly the step's matrix products, in
the data's dtype.  No timing.
"""

import tomllib

import numpy as np
import pytest

from bench.impls import gemm_floor, handwritten, notebook
from bench.impls.symprop import spec_text
from bench.problems import LEARNING_RATE, SIZES, problem
from finite_differences import gradient
from network_modules import module_of, spec_of

BASELINES = {"handwritten": handwritten, "notebook": notebook}
CHECKED_SIZES = ("tiny", "small")
DTYPES = ("float64", "float32")
#: Relative agreement expected of a float32 computation with a float64 one (float32 keeps about 7 digits).
FLOAT32_RTOL = 1e-5


def definition_cost(params, x, y):
    """relu -> sigmoid -> linear, then -sum(y * log softmax(out)) / N, straight from the definitions."""
    h1 = np.maximum(x @ params["w1"].T + params["b1"], 0)
    h2 = 1 / (1 + np.exp(-(h1 @ params["w2"].T + params["b2"])))
    out = h2 @ params["w3"].T + params["b3"]
    log_softmax = out - np.log(np.sum(np.exp(out), axis=1, keepdims=True))
    return -np.sum(y * log_softmax) / x.shape[0]


@pytest.mark.parametrize("size", CHECKED_SIZES)
@pytest.mark.parametrize("baseline", BASELINES)
def test_cost_is_the_definitions(baseline, size):
    params, x, y = problem(SIZES[size])
    cost, _ = BASELINES[baseline].gradients(params, x, y)
    assert cost == pytest.approx(definition_cost(params, x, y), rel=1e-12)


@pytest.mark.parametrize("size", CHECKED_SIZES)
@pytest.mark.parametrize("baseline", BASELINES)
def test_gradients_match_central_differences_of_the_cost(baseline, size):
    params, x, y = problem(SIZES[size])
    _, grads = BASELINES[baseline].gradients(params, x, y)
    for name, value in params.items():
        numeric = gradient(lambda changed: definition_cost({**params, name: changed}, x, y), value)
        assert np.linalg.norm(grads[name] - numeric) <= 1e-6 * np.linalg.norm(numeric), name


@pytest.mark.parametrize("size", CHECKED_SIZES)
@pytest.mark.parametrize("baseline", BASELINES)
def test_step_moves_each_parameter_against_its_gradient(baseline, size):
    params, x, y = problem(SIZES[size])
    _, grads = BASELINES[baseline].gradients(params, x, y)
    step = BASELINES[baseline].make_step(params, x, y, LEARNING_RATE)
    step.run()
    after = step.params()
    for name, value in params.items():
        np.testing.assert_allclose(after[name], value - LEARNING_RATE * grads[name], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("baseline", BASELINES)
def test_step_leaves_the_callers_parameters_alone(baseline):
    params, x, y = problem(SIZES["small"])
    before = {name: value.copy() for name, value in params.items()}
    BASELINES[baseline].make_step(params, x, y, LEARNING_RATE).run()
    for name, value in before.items():
        np.testing.assert_array_equal(params[name], value)


@pytest.mark.parametrize("size", CHECKED_SIZES)
def test_gemm_floor_has_the_steps_eight_products_shaped_as_the_step_needs(size):
    params, x, _ = problem(SIZES[size])
    n, (u1, u2, u3) = x.shape[0], (params[f"w{layer}"].shape[0] for layer in (1, 2, 3))
    products = gemm_floor.Products(params, x)
    assert {name: array.shape for name, array in products.outputs.items()} == {
        "inp1": (n, u1), "inp2": (n, u2), "inp3": (n, u3),
        "dw1": params["w1"].shape, "dw2": params["w2"].shape, "dw3": params["w3"].shape,
        "dh1": (n, u1), "dh2": (n, u2),
    }


def test_gemm_floor_computes_each_product_from_the_ones_before():
    params, x, _ = problem(SIZES["small"])
    products = gemm_floor.Products(params, x)
    products.run()
    o, (w1, w2, w3) = products.outputs, (params[f"w{layer}"] for layer in (1, 2, 3))
    expected = {
        "inp1": x @ w1.T, "inp2": o["inp1"] @ w2.T, "inp3": o["inp2"] @ w3.T,
        "dw3": o["inp3"].T @ o["inp2"], "dh2": o["inp3"] @ w3,
        "dw2": o["dh2"].T @ o["inp1"], "dh1": o["dh2"] @ w2, "dw1": o["dh1"].T @ x,
    }
    for name, value in expected.items():
        np.testing.assert_allclose(o[name], value, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("size", CHECKED_SIZES)
def test_handwritten_float32_cost_and_gradients_are_the_definitions_to_float32_precision(size):
    params, x, y = problem(SIZES[size], "float32")
    cost, grads = handwritten.gradients(params, x, y)
    wide = {name: value.astype(np.float64) for name, value in params.items()}
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    assert cost == pytest.approx(definition_cost(wide, x64, y64), rel=FLOAT32_RTOL)
    for name, value in wide.items():
        numeric = gradient(lambda changed: definition_cost({**wide, name: changed}, x64, y64), value)
        assert grads[name].dtype == np.float32
        assert np.linalg.norm(grads[name] - numeric) <= 1e-4 * np.linalg.norm(numeric), name


@pytest.fixture(scope="module")
def generated():
    """The generated NumPy module of each checked size's network, built in memory."""
    modules = {}
    for size in CHECKED_SIZES:
        widths = [SIZES[size].inputs, *SIZES[size].units]
        modules[size] = module_of(spec_of(tomllib.loads(spec_text(f"bench_{size}", widths))))
    return modules


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", CHECKED_SIZES)
def test_handwritten_step_matches_the_generated_trainer(generated, size, dtype):
    params, x, y = problem(SIZES[size], dtype)
    trainer = generated[size]["Trainer"]({name: value.astype(np.float64) for name, value in params.items()})
    expected_cost = trainer.train_step(x.astype(np.float64), y.astype(np.float64), LEARNING_RATE)
    step = handwritten.make_step(params, x, y, LEARNING_RATE)
    rtol = 1e-12 if dtype == "float64" else FLOAT32_RTOL
    assert step.run() == pytest.approx(expected_cost, rel=rtol)
    after = step.params()
    for name, value in trainer.params.items():
        assert after[name].dtype == np.dtype(dtype)
        np.testing.assert_allclose(after[name], value, rtol=rtol, atol=rtol * np.abs(value).max(), err_msg=name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", CHECKED_SIZES)
def test_handwritten_gradients_match_the_generated_trainers_scaled_gradients(generated, size, dtype):
    params, x, y = problem(SIZES[size], dtype)
    trainer = generated[size]["Trainer"]({name: value.astype(np.float64) for name, value in params.items()})
    trainer.train_step(x.astype(np.float64), y.astype(np.float64), 1.0)
    _, grads = handwritten.gradients(params, x, y)
    bound = 1e-12 if dtype == "float64" else 1e-4
    for name, grad in grads.items():
        expected = trainer.scaled_grads["d" + name]
        assert np.linalg.norm(grad - expected) <= bound * np.linalg.norm(expected), name


@pytest.mark.parametrize("dtype", DTYPES)
def test_gemm_floor_products_keep_the_datas_dtype(dtype):
    params, x, _ = problem(SIZES["small"], dtype)
    products = gemm_floor.Products(params, x)
    products.run()
    assert {array.dtype for array in products.outputs.values()} == {np.dtype(dtype)}


def test_the_generated_trainer_given_float32_data_computes_in_float64(generated):
    params, x, y = problem(SIZES["small"], "float32")
    trainer = generated["small"]["Trainer"](params)
    cost = trainer.train_step(x, y, LEARNING_RATE)
    assert isinstance(cost, float) or cost.dtype == np.float64
    assert {value.dtype for value in trainer.params.values()} == {np.dtype(np.float64)}


def test_the_notebooks_float32_step_turns_its_first_layer_to_float64_as_written():
    params, x, y = problem(SIZES["small"], "float32")
    step = notebook.make_step(params, x, y, LEARNING_RATE)
    step.run()
    dtypes = {name: value.dtype for name, value in step.params().items()}
    assert dtypes == {"w1": np.float64, "b1": np.float64, "w2": np.float32, "b2": np.float32,
                      "w3": np.float32, "b3": np.float32}
