"""gemm_floor: only the matrix products every implementation of the step must do, and nothing else.

Per layer: the forward product ``h @ w.T`` and the weight gradient
``d.T @ h``; for layers 2 and up, the input gradient ``d @ w``.  Each is an
``np.dot`` (the cheapest call) writing into a buffer of its own, in the
data's dtype; previous products stand in for the activations and deltas,
which changes no product's shape.  At large sizes this is the physical
floor of a training step.
"""

import numpy as np

from ..problems import Params
from ..step import Step


class Products:
    """The step's matrix products for one batch, as ``outputs`` names them: ``inpK``, ``dwK``, ``dhK``."""

    def __init__(self, params: Params, x: np.ndarray) -> None:
        self.weights = [params[f"w{layer}"] for layer in (1, 2, 3)]
        self.x = x
        batch = x.shape[0]
        self.outputs = {}
        for layer, weight in enumerate(self.weights, start=1):
            self.outputs[f"inp{layer}"] = np.empty((batch, weight.shape[0]), dtype=x.dtype)
            self.outputs[f"dw{layer}"] = np.empty(weight.shape, dtype=x.dtype)
        for layer in (1, 2):
            self.outputs[f"dh{layer}"] = np.empty((batch, self.weights[layer - 1].shape[0]), dtype=x.dtype)

    def run(self) -> None:
        """Every product once: three forward, three weight gradients, two input gradients."""
        o, (w1, w2, w3), x = self.outputs, self.weights, self.x
        np.dot(x, w1.T, out=o["inp1"])
        np.dot(o["inp1"], w2.T, out=o["inp2"])
        np.dot(o["inp2"], w3.T, out=o["inp3"])
        np.dot(o["inp3"].T, o["inp2"], out=o["dw3"])
        np.dot(o["inp3"], w3, out=o["dh2"])
        np.dot(o["dh2"].T, o["inp1"], out=o["dw2"])
        np.dot(o["dh2"], w2, out=o["dh1"])
        np.dot(o["dh1"].T, x, out=o["dw1"])


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """The products alone; the parameters never change."""
    products = Products(params, x)
    return Step(products.run, lambda: dict(params))
