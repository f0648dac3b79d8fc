"""The seed notebook's Example 2 (cell In[7]): 301 training steps with generated.example2.

The notebook prints the cost every 30 iterations, computed from that
iteration's forward pass, before the update; ``train_step`` returns exactly
that cost.  Expected numbers are typed in from the notebook's printed output.
"""

import numpy as np
import pytest

from generated import example2
from notebook import (
    EXAMPLE_2_COSTS, EXAMPLE_2_FINAL, EXAMPLE_2_ITERATIONS, EXAMPLE_2_LEARNING_RATE, PRINTED_8_DECIMALS,
    example2_inputs,
)

# The notebook prints full float64 reprs.  symprop computes the cost with
# log-sum-exp (max subtracted) where the notebook takes log(softmax), so the
# last digit or two can differ: a relative 1e-12 is the right tolerance.
_, X, Y = example2_inputs()


def notebook_params():
    return example2_inputs()[0]


@pytest.fixture(scope="module")
def training():
    """Run the notebook's loop; keep the costs it prints and the final parameters."""
    params, printed = notebook_params(), []
    for i in range(EXAMPLE_2_ITERATIONS):
        params, cost = example2.train_step(params, X, Y, EXAMPLE_2_LEARNING_RATE)
        if i % 30 == 0:
            printed.append(cost)
    return printed, params


def test_train_step_returns_the_cost_before_the_update():
    params = notebook_params()
    _, cost = example2.train_step(params, X, Y, EXAMPLE_2_LEARNING_RATE)
    assert cost == example2.loss(Y, example2.forward(params, X)["out"])


def test_costs_printed_every_30_iterations_match_notebook(training):
    costs, _ = training
    np.testing.assert_allclose(costs, EXAMPLE_2_COSTS, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(EXAMPLE_2_FINAL))
def test_final_weights_match_notebook(training, name):
    _, params = training
    np.testing.assert_allclose(params[name], EXAMPLE_2_FINAL[name], **PRINTED_8_DECIMALS)
