"""The benchmark's NumPy baselines compute what they claim: checked against the cost's own definition.

``handwritten`` is the reference every implementation is checked against
before timing, and ``notebook`` mirrors the seed notebook; both are checked
here against central differences of a cost written from the definition.
``gemm_floor`` must do exactly the step's matrix products.  No timing.
"""

import numpy as np
import pytest

from bench.impls import gemm_floor, handwritten, notebook
from bench.problems import LEARNING_RATE, SIZES, problem
from finite_differences import gradient

BASELINES = {"handwritten": handwritten, "notebook": notebook}
CHECKED_SIZES = ("tiny", "small")


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
