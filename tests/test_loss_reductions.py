"""A spec's ``loss_reduction``: every loss under every reduction is the true gradient of its printed cost.

Each case generates the network of a small spec with the loss and the
reduction, in memory as ``make generate`` would.  Its cost is compared with
a loop over the entries written here from the loss's definition per entry
(``0.5*(y - p)**2`` for the squared errors, summed, then divided by 1, by
every entry or by the samples), and its gradients with central finite
differences of that printed cost.
"""

import math
from functools import cache

import numpy as np
import pytest

from derive.catalog.losses import Inputs
from derive.catalog.registry import CATALOG
from derive.program.build import derive_network
from derive.spec import Reduction, SpecError
from finite_differences import gradient
from network_modules import module_of, spec_of

SAMPLES, OUTPUTS = 4, 3


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def softmax(row, i):
    exps = [math.exp(v - max(row)) for v in row]
    return exps[i] / sum(exps)


def huber(r, delta=1.0):
    return 0.5 * r**2 if abs(r) <= delta else delta * (abs(r) - 0.5 * delta)


# Each built-in loss's cost at one entry [n, i] of targets y and predictions p, from its definition.
PER_ENTRY = {
    "squared_error": lambda y, p, n, i: 0.5 * (y[n, i] - p[n, i]) ** 2,
    "mse": lambda y, p, n, i: 0.5 * (y[n, i] - p[n, i]) ** 2,
    "mae": lambda y, p, n, i: abs(y[n, i] - p[n, i]),
    "huber": lambda y, p, n, i: huber(y[n, i] - p[n, i]),
    "binary_cross_entropy": lambda y, p, n, i: -(y[n, i] * math.log(p[n, i]) + (1 - y[n, i]) * math.log(1 - p[n, i])),
    "sigmoid_cross_entropy": lambda y, z, n, i: -(
        y[n, i] * math.log(sigmoid(z[n, i])) + (1 - y[n, i]) * math.log(1 - sigmoid(z[n, i]))
    ),
    "neg_log_likelihood": lambda y, p, n, i: -y[n, i] * math.log(p[n, i]),
    "softmax_neg_log_likelihood": lambda y, z, n, i: -y[n, i] * math.log(softmax(list(z[n]), i)),
}
# What the sum over every entry is divided by.
DIVISOR = {"sum": lambda rows, columns: 1, "mean": lambda rows, columns: rows * columns,
           "mean_over_samples": lambda rows, columns: rows}

CASES = [pytest.param(loss, reduction, id=f"{loss}-{reduction}") for loss in PER_ENTRY for reduction in DIVISOR]


def loop_cost(loss, reduction, y, out):
    """The cost written from the definition: the per-entry cost summed by a loop, then divided."""
    total = 0.0
    for n in range(y.shape[0]):
        for i in range(y.shape[1]):
            total += PER_ENTRY[loss](y, out, n, i)
    return total / DIVISOR[reduction](*y.shape)


def data(loss, reduction, **changes):
    """A two-layer spec for ``loss``; probability losses get a sigmoid output layer."""
    probabilities = CATALOG.get(loss).inputs in (Inputs.ONE_HOT_PROBABILITIES, Inputs.BINARY_PROBABILITIES)
    layers = [{"units": 3, "activation": "tanh"},
              {"units": OUTPUTS, "activation": "sigmoid" if probabilities else "linear"}]
    return {"name": "reduced", "inputs": 2, "layers": layers, "loss": loss, "loss_reduction": reduction, **changes}


@cache
def module(loss, reduction):
    return module_of(spec_of(data(loss, reduction)))


def batch(loss, seed):
    """Parameters, inputs and targets of the kind ``loss`` takes."""
    rng = np.random.default_rng(seed)
    params = {name: rng.normal(scale=0.8, size=shape) for name, shape in module(loss, "sum")["PARAMETERS"].items()}
    x = rng.normal(size=(SAMPLES, 2))
    if CATALOG.get(loss).inputs.one_hot:
        y = np.eye(OUTPUTS)[rng.integers(0, OUTPUTS, size=SAMPLES)]
    elif CATALOG.get(loss).inputs.classification:
        y = rng.uniform(size=(SAMPLES, OUTPUTS))
    else:
        y = rng.normal(size=(SAMPLES, OUTPUTS))
    return params, x, y


@pytest.mark.parametrize(("loss", "reduction"), CASES)
def test_the_printed_cost_is_the_per_entry_cost_reduced_as_the_spec_says(loss, reduction):
    params, x, y = batch(loss, 0)
    generated = module(loss, reduction)
    out = generated["forward"](params, x)["out"]
    assert generated["loss"](y, out) == pytest.approx(loop_cost(loss, reduction, y, out), rel=1e-12)


@pytest.mark.parametrize(("loss", "reduction"), CASES)
def test_every_gradient_is_the_gradient_of_the_printed_cost(loss, reduction):
    params, x, y = batch(loss, 1)
    generated = module(loss, reduction)
    grads = generated["backward"](params, x, y, generated["forward"](params, x))
    for name in params:
        def cost_at(value):
            return generated["loss"](y, generated["forward"]({**params, name: value}, x)["out"])

        np.testing.assert_allclose(grads[f"d{name}"], gradient(cost_at, params[name]), rtol=1e-6, atol=1e-9,
                                   err_msg=f"d{name}")


def test_squared_error_averaged_over_samples_is_half_the_summed_squares_over_the_samples():
    params, x, y = batch("squared_error", 2)
    generated = module("squared_error", "mean_over_samples")
    out = generated["forward"](params, x)["out"]
    assert generated["loss"](y, out) == pytest.approx(0.5 * np.sum((y - out) ** 2) / SAMPLES, rel=1e-12)


@pytest.mark.parametrize("loss", PER_ENTRY)
def test_a_spec_without_a_reduction_derives_the_catalogue_loss(loss):
    spec = spec_of({key: value for key, value in data(loss, "sum").items() if key != "loss_reduction"})
    assert spec.loss_reduction is None
    assert derive_network(spec, CATALOG).loss is CATALOG.get(loss)


def test_a_spec_naming_the_loss_own_reduction_derives_the_catalogue_loss():
    spec = spec_of(data("neg_log_likelihood", "mean_over_samples"))
    assert derive_network(spec, CATALOG).loss is CATALOG.get("neg_log_likelihood")


def test_each_loss_keeps_its_documented_reduction():
    own = {name: CATALOG.get(name).reduction for name in PER_ENTRY}
    assert own == {
        "squared_error": Reduction.SUM, "mse": Reduction.MEAN, "mae": Reduction.MEAN, "huber": Reduction.MEAN,
        "binary_cross_entropy": Reduction.MEAN, "sigmoid_cross_entropy": Reduction.MEAN,
        "neg_log_likelihood": Reduction.MEAN_OVER_SAMPLES, "softmax_neg_log_likelihood": Reduction.MEAN_OVER_SAMPLES,
    }


def test_the_generated_module_names_the_reduction_the_spec_sets():
    assert "loss ``mse`` with reduction ``sum``." in module("mse", "sum")["__doc__"]


def test_an_unknown_reduction_is_refused_with_the_accepted_ones():
    with pytest.raises(SpecError, match=r"loss_reduction: unknown value 'average' "
                                        r"\(accepted: sum, mean, mean_over_samples\)"):
        spec_of(data("mse", "average"))


def test_a_misspelled_reduction_suggests_the_one_meant():
    with pytest.raises(SpecError, match=r"loss_reduction: unknown value 'mean_over_sample'; "
                                        r"did you mean 'mean_over_samples'\?"):
        spec_of(data("mse", "mean_over_sample"))


def test_the_catalogue_gives_a_reduction_of_losses_only():
    with pytest.raises(KeyError, match=r"'relu' is not a loss; losses: squared_error, mse"):
        CATALOG.loss("relu", Reduction.SUM)
