"""Networks built from random specs: every catalogue activation, loss and bias kind, one module each.

Each spec is generated through the same path as ``make generate`` (in memory),
and every gradient of its ``backward`` is checked against central finite
differences of its own ``loss(y, forward(params, x)["out"])``.
"""

import numpy as np
import pytest

from derive.catalog import CATALOG
from derive.losses import Inputs
from derive.spec import parse_spec
from finite_differences import gradient
from network_modules import module_of

ACTIVATIONS = CATALOG.names("activation")
LOSSES = CATALOG.names("loss")
# Losses of probabilities need outputs in (0, 1): their last layer is a sigmoid.
PROBABILITIES = {Inputs.ONE_HOT_PROBABILITIES, Inputs.BINARY_PROBABILITIES}


def random_spec(loss, seed):
    rng = np.random.default_rng(seed)
    widths = rng.integers(1, 4, size=3)
    kinds = ["per_neuron", "shared", "none"]
    layers = [
        {"units": int(w), "activation": str(rng.choice(ACTIVATIONS)), "bias": str(rng.choice(kinds))}
        for w in widths
    ]
    layers[-1]["units"] = 3
    if CATALOG.get(loss).inputs in PROBABILITIES:
        layers[-1]["activation"] = "sigmoid"
    data = {"name": f"random_{loss}", "inputs": 2, "layers": layers, "loss": loss}
    return parse_spec(data, source="random", default_name="random", activations=ACTIVATIONS, losses=LOSSES)


def targets(loss, rng, rows):
    inputs = CATALOG.get(loss).inputs
    if inputs in (Inputs.ONE_HOT_PROBABILITIES, Inputs.ONE_HOT_LOGITS):
        return np.eye(3)[rng.integers(0, 3, size=rows)]
    if inputs in (Inputs.BINARY_PROBABILITIES, Inputs.BINARY_LOGITS):
        return rng.uniform(size=(rows, 3))
    return rng.normal(size=(rows, 3))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("loss", LOSSES)
def test_every_gradient_equals_finite_differences(loss, seed):
    spec = random_spec(loss, seed)
    module = module_of(spec)
    rng = np.random.default_rng(100 + seed)
    params = {name: rng.normal(scale=0.8, size=shape) for name, shape in module["PARAMETERS"].items()}
    x, y = rng.normal(size=(4, 2)), targets(loss, rng, 4)
    grads = module["backward"](params, x, y, module["forward"](params, x))

    def cost_at(name, value):
        return module["loss"](y, module["forward"]({**params, name: value}, x)["out"])

    for name in params:
        expected = gradient(lambda value: cost_at(name, value), params[name])
        np.testing.assert_allclose(grads[f"d{name}"], expected, rtol=1e-5, atol=1e-7, err_msg=f"{spec.layers} d{name}")
