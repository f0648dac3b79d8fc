"""Every gradient a generated network module returns, weights and biases, is the true one.

Each entry of ``backward()``'s gradients is compared with central finite
differences of ``loss(y, forward(params, x)["out"])`` with respect to that
parameter, at the notebook's parameters and at random parameters and batches.
"""

import numpy as np
import pytest

from finite_differences import gradient
from generated import example1, example2
from notebook import example1_inputs, example2_inputs

BATCH = 4
RANDOM_SEEDS = [0, 1, 2, 3]


def example1_random(seed):
    """Random parameters of the notebook's shapes (biases shared: (1, 1)); targets in (0, 1)."""
    rng = np.random.default_rng(seed)
    params = {name: rng.normal(size=value.shape) for name, value in example1_inputs()[0].items()}
    return params, rng.normal(size=(BATCH, 2)), rng.uniform(size=(BATCH, 2))


def example2_random(seed):
    """Random parameters of the notebook's shapes; one-hot targets, as the fused loss assumes."""
    rng = np.random.default_rng(seed)
    params = {name: rng.normal(size=value.shape) for name, value in example2_inputs()[0].items()}
    return params, rng.normal(size=(BATCH, 3)), np.eye(3)[rng.integers(0, 3, size=BATCH)]


SETUPS = {
    example1: [("notebook", example1_inputs)]
    + [(f"random{s}", lambda s=s: example1_random(s)) for s in RANDOM_SEEDS],
    example2: [("notebook", example2_inputs)]
    + [(f"random{s}", lambda s=s: example2_random(s)) for s in RANDOM_SEEDS],
}

PARAMETERS = {example1: ["w1", "b1", "w2", "b2"], example2: ["w1", "b1", "w2", "b2", "w3", "b3"]}

CASES = [
    pytest.param(module, setup, name, id=f"{module.__name__.split('.')[-1]}-{label}-d{name}")
    for module, setups in SETUPS.items()
    for label, setup in setups
    for name in PARAMETERS[module]
]


@pytest.mark.parametrize("module", [example1, example2], ids=["example1", "example2"])
def test_backward_returns_a_gradient_of_the_same_shape_for_every_parameter(module):
    params, x, y = SETUPS[module][0][1]()
    grads = module.backward(params, x, y, module.forward(params, x))
    assert {name: g.shape for name, g in grads.items()} == {f"d{n}": p.shape for n, p in params.items()}


@pytest.mark.parametrize("module, setup, name", CASES)
def test_gradient_equals_central_finite_differences_of_the_cost(module, setup, name):
    params, x, y = setup()

    def cost_at(value):
        return module.loss(y, module.forward({**params, name: value}, x)["out"])

    grads = module.backward(params, x, y, module.forward(params, x))
    np.testing.assert_allclose(grads[f"d{name}"], gradient(cost_at, params[name]), rtol=1e-6, atol=1e-9)
