"""The seed notebook's Example 1 (cells In[3]-In[5]) computed by generated.example1.

Expected numbers are typed in from the notebook's printed output.  Arrays
are printed to 8 decimals, so they are compared with atol=5e-9; the cost is
printed in full (float64 repr) and compared with a relative 1e-13.
"""

import numpy as np
import pytest

from finite_differences import gradient
from generated import example1
from notebook import EXAMPLE_1_LEARNING_RATE as LEARNING_RATE
from notebook import EXAMPLE_1_W1_AFTER_STEP, EXAMPLE_1_W2_AFTER_STEP, example1_inputs
from notebook import PRINTED_8_DECIMALS as PRINTED

_, X, Y = example1_inputs()


def notebook_params():
    return example1_inputs()[0]


@pytest.fixture
def params():
    return notebook_params()


@pytest.fixture
def cache(params):
    return example1.forward(params, X)


@pytest.fixture
def grads(params, cache):
    return example1.backward(params, X, Y, cache)


def cost_of(params):
    return example1.loss(Y, example1.forward(params, X)["out"])


def test_hidden_layer_output_matches_notebook(cache):
    np.testing.assert_allclose(cache["h1"], [[0.59326999, 0.59688438]], **PRINTED)


def test_network_output_matches_notebook(cache):
    np.testing.assert_allclose(cache["out"], [[0.75136507, 0.77292847]], **PRINTED)


def test_cost_matches_notebook_to_full_precision(cache):
    assert example1.loss(Y, cache["out"]) == pytest.approx(0.2983711087600027, rel=1e-13, abs=0)


def test_first_layer_weight_gradient_matches_notebook(grads):
    np.testing.assert_allclose(grads["dw1"], [[0.00043857, 0.00087714], [0.00049771, 0.00099543]], **PRINTED)


def test_second_layer_weight_gradient_matches_notebook(grads):
    np.testing.assert_allclose(grads["dw2"], [[0.08216704, 0.08266763], [-0.02260254, -0.02274024]], **PRINTED)


def test_first_layer_weights_after_one_step_match_notebook(params, grads):
    updated = example1.update(params, grads, LEARNING_RATE)
    np.testing.assert_allclose(updated["w1"], EXAMPLE_1_W1_AFTER_STEP, **PRINTED)


def test_second_layer_weights_after_one_step_match_notebook(params, grads):
    updated = example1.update(params, grads, LEARNING_RATE)
    np.testing.assert_allclose(updated["w2"], EXAMPLE_1_W2_AFTER_STEP, **PRINTED)


@pytest.mark.parametrize("bias", ["b1", "b2"])
def test_shared_bias_gradient_has_shape_1x1(grads, bias):
    assert grads[f"d{bias}"].shape == (1, 1)


def test_shared_bias_gradients_are_sums_of_dinp_over_both_neurons(params, cache, grads):
    # The notebook's cell In[5], written out in plain NumPy.
    out, h1 = cache["out"], cache["h1"]
    dinp2 = (out - Y) * out * (1 - out)
    dinp1 = (dinp2 @ params["w2"]) * h1 * (1 - h1)
    np.testing.assert_allclose(grads["db2"], [[dinp2.sum()]], rtol=1e-14)
    np.testing.assert_allclose(grads["db1"], [[dinp1.sum()]], rtol=1e-14)


@pytest.mark.parametrize("bias", ["b1", "b2"])
def test_shared_bias_gradient_equals_finite_differences_of_cost(params, grads, bias):
    def cost_at(value):
        return cost_of({**params, bias: value})

    np.testing.assert_allclose(grads[f"d{bias}"], gradient(cost_at, params[bias]), rtol=1e-7, atol=1e-10)


def test_notebook_bias_update_rule_does_not_change_updated_weights(params, grads):
    # The notebook updates biases with b - lr*b instead of b - lr*db.  Weights are
    # updated from gradients computed before any update, so they cannot tell.
    true_rule = example1.update(params, grads, LEARNING_RATE)
    notebook_rule = {
        "w1": params["w1"] - LEARNING_RATE * grads["dw1"],
        "b1": params["b1"] - LEARNING_RATE * params["b1"],
        "w2": params["w2"] - LEARNING_RATE * grads["dw2"],
        "b2": params["b2"] - LEARNING_RATE * params["b2"],
    }
    assert not np.allclose(true_rule["b1"], notebook_rule["b1"])
    np.testing.assert_array_equal(true_rule["w1"], notebook_rule["w1"])
    np.testing.assert_array_equal(true_rule["w2"], notebook_rule["w2"])


def test_update_leaves_the_given_params_untouched(params, grads):
    before = {name: value.copy() for name, value in params.items()}
    example1.update(params, grads, LEARNING_RATE)
    for name, value in before.items():
        np.testing.assert_array_equal(params[name], value)
