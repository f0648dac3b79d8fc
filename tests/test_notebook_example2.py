"""The seed notebook's Example 2 (cell In[7]): 301 training steps with generated.example2.

The notebook prints the cost every 30 iterations, computed from that
iteration's forward pass, before the update; ``train_step`` returns exactly
that cost.  Expected numbers are typed in from the notebook's printed output.
"""

import numpy as np
import pytest

from generated import example2

# Cell In[7].
X = np.array([[0.1, 0.2, 0.7]])
Y = np.array([[1, 0, 0]])
LEARNING_RATE = 0.01
ITERATIONS = 301

# The notebook prints full float64 reprs.  symprop computes the cost with
# log-sum-exp (max subtracted) where the notebook takes log(softmax), so the
# last digit or two can differ: a relative 1e-12 is the right tolerance.
PRINTED_COSTS = [
    1.1674456052871238,
    0.6079795820435694,
    0.36558760028370507,
    0.24943451548999263,
    0.18547915491555542,
    0.14614614804167658,
    0.1199051550833629,
    0.10131084011234358,
    0.08751844300750028,
    0.07691720650783256,
    0.06853445083252653,
]

# Weights are printed to 8 decimals.
PRINTED = {"rtol": 0, "atol": 5e-9}


def notebook_params():
    return {
        "w1": np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.7], [0.4, 0.3, 0.9]]),
        "b1": np.ones((1, 3)),
        "w2": np.array([[0.2, 0.3, 0.5], [0.3, 0.5, 0.7], [0.6, 0.4, 0.8]]),
        "b2": np.ones((1, 3)),
        "w3": np.array([[0.1, 0.4, 0.8], [0.3, 0.7, 0.2], [0.5, 0.2, 0.9]]),
        "b3": np.ones((1, 3)),
    }


@pytest.fixture(scope="module")
def training():
    """Run the notebook's loop; keep the costs it prints and the final parameters."""
    params, printed = notebook_params(), []
    for i in range(ITERATIONS):
        params, cost = example2.train_step(params, X, Y, LEARNING_RATE)
        if i % 30 == 0:
            printed.append(cost)
    return printed, params


def test_train_step_returns_the_cost_before_the_update():
    params = notebook_params()
    _, cost = example2.train_step(params, X, Y, LEARNING_RATE)
    assert cost == example2.loss(Y, example2.forward(params, X)["out"])


def test_costs_printed_every_30_iterations_match_notebook(training):
    costs, _ = training
    np.testing.assert_allclose(costs, PRINTED_COSTS, rtol=1e-12, atol=0)


def test_final_first_layer_weights_match_notebook(training):
    _, params = training
    expected = [
        [0.10083595, 0.2016719, 0.30585165],
        [0.30086971, 0.20173942, 0.70608796],
        [0.40145052, 0.30290104, 0.91015363],
    ]
    np.testing.assert_allclose(params["w1"], expected, **PRINTED)


def test_final_second_layer_weights_match_notebook(training):
    _, params = training
    expected = [
        [0.20544723, 0.30673159, 0.50749567],
        [0.30994562, 0.5123005, 0.71366784],
        [0.61065514, 0.41317913, 0.81464085],
    ]
    np.testing.assert_allclose(params["w2"], expected, **PRINTED)


def test_final_third_layer_weights_match_notebook(training):
    _, params = training
    expected = [
        [0.66465527, 0.98758148, 1.39393956],
        [0.05020341, 0.44006253, -0.06274803],
        [0.18514132, -0.12764401, 0.56880846],
    ]
    np.testing.assert_allclose(params["w3"], expected, **PRINTED)
