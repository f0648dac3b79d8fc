"""A ``Trainer`` step allocates nothing the size of a batch or a weight, for every catalogue activation and loss.

``tracemalloc`` (NumPy reports its allocations to it) measures the peak of
a step after the first, which allocates the batch size's buffers.  The
bound is the smallest array of the batch, ``N`` rows of the output layer.
The trainers run on one thread: with threads each thread's buffered NumPy
calls hold a buffer of their own (``tests/test_trainer_threads.py``).
"""

import tracemalloc

import numpy as np
import pytest

from codegen.generate import render_all
from derive.catalog.registry import CATALOG
from derive.core.normal_cdf import _T
from network_modules import module_of, spec_of
from test_random_networks import PROBABILITIES, targets

ROWS, INPUTS, HIDDEN, OUTPUTS = 4096, 8, 16, 3


def peak_of_second_step(module, x, y) -> int:
    trainer = module["Trainer"](module["init_params"](0), threads=1)
    trainer.train_step(x, y, 0.01)
    tracemalloc.start()
    try:
        trainer.train_step(x, y, 0.01)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def network(activation, loss):
    last = "sigmoid" if CATALOG.get(loss).inputs in PROBABILITIES else "linear"
    layers = [{"units": HIDDEN, "activation": activation}, {"units": OUTPUTS, "activation": last}]
    return module_of(spec_of({"name": "alloc", "inputs": INPUTS, "layers": layers, "loss": loss}))


def batch(loss):
    rng = np.random.default_rng(0)
    return rng.normal(size=(ROWS, INPUTS)), targets(loss, rng, ROWS)


@pytest.mark.parametrize("activation", CATALOG.names("activation"))
def test_a_step_of_every_activation_allocates_less_than_a_batch(activation):
    x, y = batch("mse")
    peak = peak_of_second_step(network(activation, "mse"), x, y)
    assert peak < ROWS * OUTPUTS * 8, peak


@pytest.mark.parametrize("loss", CATALOG.names("loss"))
def test_a_step_of_every_loss_allocates_less_than_a_batch(loss):
    x, y = batch(loss)
    peak = peak_of_second_step(network("tanh", loss), x, y)
    assert peak < ROWS * OUTPUTS * 8, peak


def test_what_a_step_allocates_does_not_grow_with_the_batch():
    rng = np.random.default_rng(0)
    rows = 4 * ROWS
    x, y = rng.normal(size=(rows, INPUTS)), rng.normal(size=(rows, OUTPUTS))
    assert peak_of_second_step(network("gelu", "mse"), x, y) < ROWS * OUTPUTS * 8


def test_gelus_normal_cdf_is_computed_once_for_forward_and_backward():
    layers = [{"units": HIDDEN, "activation": "gelu"}, {"units": OUTPUTS, "activation": "linear"}]
    source = render_all(CATALOG, [spec_of({"name": "alloc", "inputs": INPUTS, "loss": "mse", "layers": layers})])
    module = source["alloc.py"]
    # The one-thread step: the step is printed twice, for threads (its row blocks) and for one thread.
    step = module[module.index("    def train_step(self"):].split("\n        else:\n")[1]
    # The last coefficient of Cephes' erf numerator appears once in Phi as printed (the helper _normal_cdf).
    coefficient = f"{float(_T[-1])!r}"
    helper = module[module.index("def _normal_cdf"):module.index("def forward")]
    assert helper.count(coefficient) == 1 and step.count(coefficient) == 1
