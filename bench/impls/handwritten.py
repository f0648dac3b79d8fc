"""handwritten: the fastest training step this network has in plain NumPy, written by hand.

Every array lives in a buffer allocated once: the parameters in one flat
vector with a view per weight and bias, the gradients likewise, so the SGD
update is a single in-place subtraction.  The loss gradient is the fused
softmax-minus-target, prescaled by ``learning_rate / N`` so the update needs
no multiply (the scaled targets and their row sums are recomputed every step,
as a new batch would need them); derivatives use the layer outputs (relu' = h > 0,
sigmoid' = h(1 - h)); products write into their buffers with ``out=``, and
transposes are views that BLAS reads as they lie.  The sigmoid is the plain
1/(1 + exp(-z)), the fastest form: right for this data, it would warn of
overflow (still giving 0) below z = -709.
"""

import numpy as np

from ..problems import Params, parameter_names
from ..step import Step


def _flat(params: Params) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One zeroed vector the size of all of ``params``, and a view of it shaped like each one."""
    names = parameter_names()
    flat = np.zeros(sum(params[name].size for name in names))
    views, offset = {}, 0
    for name in names:
        size = params[name].size
        views[name] = flat[offset:offset + size].reshape(params[name].shape)
        offset += size
    return flat, views


class Network:
    """Buffers for one batch ``x``, ``y``; ``backprop`` fills ``grad`` with ``scale`` × the summed gradient."""

    def __init__(self, params: Params, x: np.ndarray, y: np.ndarray, scale: float) -> None:
        self.theta, self.p = _flat(params)
        for name, view in self.p.items():
            view[...] = params[name]
        self.grad, self.g = _flat(params)
        batch = x.shape[0]
        units = [params[f"w{layer}"].shape[0] for layer in (1, 2, 3)]
        self.x, self.y, self.batch, self.scale = x, y, batch, scale
        self.rows, self.rows_scaled = np.empty((batch, 1)), np.empty((batch, 1))
        self.y_scaled = np.empty_like(y)
        self.h1, self.h2, self.out = (np.empty((batch, width)) for width in units)
        self.positive = np.empty((batch, units[0]), dtype=bool)
        self.dh1, self.dh2, self.dout = (np.empty((batch, width)) for width in units)
        self.row_max, self.row_sum = np.empty((batch, 1)), np.empty((batch, 1))

    def backprop(self) -> float:
        """Forward, cost and backward; the gradient lands in ``grad``, the cost (before any update) is returned."""
        p, g, x, y = self.p, self.g, self.x, self.y
        y.sum(axis=1, keepdims=True, out=self.rows)
        np.multiply(self.rows, self.scale, out=self.rows_scaled)
        np.multiply(y, self.scale, out=self.y_scaled)
        h1, h2, out, dh1, dh2, dout = self.h1, self.h2, self.out, self.dh1, self.dh2, self.dout
        # forward: h1 = relu(x w1' + b1), h2 = sigmoid(h1 w2' + b2), out = h2 w3' + b3
        np.matmul(x, p["w1"].T, out=h1)
        h1 += p["b1"]
        np.maximum(h1, 0.0, out=h1)
        np.matmul(h1, p["w2"].T, out=h2)
        h2 += p["b2"]
        np.negative(h2, out=h2)
        np.exp(h2, out=h2)
        h2 += 1.0
        np.reciprocal(h2, out=h2)
        np.matmul(h2, p["w3"].T, out=out)
        out += p["b3"]
        # cost from the max-shifted logits s: -sum(y * (s - log sum exp s)) / N
        np.max(out, axis=1, keepdims=True, out=self.row_max)
        np.subtract(out, self.row_max, out=dout)
        cost = -np.vdot(self.y, dout)
        np.exp(dout, out=dout)
        np.sum(dout, axis=1, keepdims=True, out=self.row_sum)
        cost = (cost + np.vdot(self.rows, np.log(self.row_sum, out=self.row_max))) / self.batch
        # dout = scale * (softmax(out) * sum(y) - y), the fused softmax and log-likelihood gradient
        np.divide(self.rows_scaled, self.row_sum, out=self.row_sum)
        dout *= self.row_sum
        dout -= self.y_scaled
        # backward, layer 3 then 2 then 1
        np.matmul(dout.T, h2, out=g["w3"])
        np.sum(dout, axis=0, keepdims=True, out=g["b3"])
        np.matmul(dout, p["w3"], out=dh2)
        dh2 *= h2
        np.subtract(1.0, h2, out=h2)
        dh2 *= h2
        np.matmul(dh2.T, h1, out=g["w2"])
        np.sum(dh2, axis=0, keepdims=True, out=g["b2"])
        np.matmul(dh2, p["w2"], out=dh1)
        np.greater(h1, 0.0, out=self.positive)
        dh1 *= self.positive
        np.matmul(dh1.T, x, out=g["w1"])
        np.sum(dh1, axis=0, keepdims=True, out=g["b1"])
        return cost


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient (the mean over the batch)."""
    network = Network(params, x, y, 1 / x.shape[0])
    cost = network.backprop()
    return cost, {name: grad.copy() for name, grad in network.g.items()}


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """Backprop with the gradient prescaled by the learning rate, then one in-place subtraction."""
    network = Network(params, x, y, learning_rate / x.shape[0])

    def run() -> float:
        cost = network.backprop()
        network.theta -= network.grad
        return cost

    return Step(run, lambda: {name: view.copy() for name, view in network.p.items()})
