"""autograd: HIPS autograd differentiates the cost of a parameter list, and SGD steps with its gradient."""

import autograd.numpy as anp
from autograd import value_and_grad

import numpy as np

from ..problems import ACTIVATIONS, Params, parameter_names
from ..step import Step

_ACTIVATIONS = {
    "relu": lambda z: anp.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "linear": lambda z: z,
}


def _cost(theta: list, x: np.ndarray, y: np.ndarray):
    """The softmax negative log-likelihood of the network with parameters ``[w1, b1, w2, ...]``."""
    h = x
    for layer, activation in enumerate(ACTIVATIONS):
        h = _ACTIVATIONS[activation](anp.dot(h, theta[2 * layer].T) + theta[2 * layer + 1])
    shifted = h - anp.max(h, axis=1, keepdims=True)
    log_softmax = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
    return -anp.sum(y * log_softmax) / x.shape[0]


_value_and_grad = value_and_grad(_cost)


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient, by reverse mode."""
    names = parameter_names()
    cost, grads = _value_and_grad([params[name] for name in names], x, y)
    return float(cost), dict(zip(names, grads))


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """``value_and_grad`` of the cost, then ``theta - learning_rate * grad`` for every parameter."""
    names = parameter_names()
    theta = [params[name] for name in names]

    def run() -> float:
        cost, grads = _value_and_grad(theta, x, y)
        theta[:] = [value - learning_rate * grad for value, grad in zip(theta, grads)]
        return cost

    return Step(run, lambda: dict(zip(names, theta)))
