"""notebook: the seed notebook's Example 2 as it is written, functions and loop body.

The activation and loss functions are the notebook's (cell In[6]): each
derivative recomputes its function, and the cost and its derivative each
compute the softmax.  The loop body is cell In[7]'s: forward, cost, backward
with ``derivative=True`` calls, then ``w = w - learning_rate * dw``.  Left
out: the input gradient ``dx`` the notebook computes and never uses.
"""

import numpy as np

from ..problems import Params
from ..step import Step


def sigmoid(x, derivative=False):
    """The notebook's sigmoid; its derivative computes the sigmoid again."""
    if derivative:
        y = sigmoid(x)
        return y * (1 - y)
    return 1.0 / (1.0 + np.exp(-x))


def linear(x, derivative=False):
    """The notebook's identity; its derivative is an array of ones."""
    return np.ones_like(x) if derivative else x


def relu(x, derivative=False):
    """The notebook's relu; its derivative is the 0/1 step."""
    if derivative:
        x = np.where(x <= 0, 0, 1)
    return np.maximum(0, x)


def softmax(x, y_oh=None, derivative=False):
    """The notebook's softmax (no max shift); its derivative the target entries' p(1 - p)."""
    if derivative:
        y_pred = softmax(x)
        k = np.nonzero(y_pred * y_oh)
        pk = y_pred[k]
        y_pred[k] = pk * (1.0 - pk)
        return y_pred
    exp = np.exp(x)
    return exp / np.sum(exp, axis=1, keepdims=True)


def neg_log_likelihood(y_oh, y_pred, derivative=False):
    """The notebook's mean -log of the target entries; its derivative overwrites ``y_pred``."""
    k = np.nonzero(y_pred * y_oh)
    pk = y_pred[k]
    if derivative:
        y_pred[k] = (-1.0 / pk)
        return y_pred
    return np.mean(-np.log(pk))


def softmax_neg_log_likelihood(y_oh, y_pred, derivative=False):
    """The notebook's cost of logits ``y_pred``; its derivative (divided by N) computes the softmax twice."""
    y_softmax = softmax(y_pred)
    if derivative:
        k = np.nonzero(y_pred * y_oh)
        dlog = neg_log_likelihood(y_oh, y_softmax, derivative=True)
        dsoftmax = softmax(y_pred, y_oh, derivative=True)
        y_softmax[k] = dlog[k] * dsoftmax[k]
        return y_softmax / y_softmax.shape[0]
    return neg_log_likelihood(y_oh, y_softmax)


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The notebook's loop body up to the update: the cost and every gradient."""
    w1, b1, w2, b2, w3, b3 = (params[name] for name in ("w1", "b1", "w2", "b2", "w3", "b3"))
    # feedforward
    inp1 = np.dot(x, w1.T) + b1
    h1 = relu(inp1)
    inp2 = np.dot(h1, w2.T) + b2
    h2 = sigmoid(inp2)
    inp3 = np.dot(h2, w3.T) + b3
    out = linear(inp3)

    cost = softmax_neg_log_likelihood(y, out)
    # backpropagation
    dout = softmax_neg_log_likelihood(y, out, derivative=True)

    dinp3 = linear(inp3, derivative=True) * dout
    dh2 = np.dot(dinp3, w3)
    dw3 = np.dot(dinp3.T, h2)
    db3 = 1.0 * dinp3.sum(axis=0, keepdims=True)

    dinp2 = sigmoid(inp2, derivative=True) * dh2
    dh1 = np.dot(dinp2, w2)
    dw2 = np.dot(dinp2.T, h1)
    db2 = 1.0 * dinp2.sum(axis=0, keepdims=True)

    dinp1 = relu(inp1, derivative=True) * dh1
    dw1 = np.dot(dinp1.T, x)
    db1 = 1.0 * dinp1.sum(axis=0, keepdims=True)
    return cost, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2, "w3": dw3, "b3": db3}


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """The notebook's loop body: the gradients, then ``w = w - learning_rate * dw`` for every parameter."""
    current = dict(params)

    def run() -> float:
        cost, grads = gradients(current, x, y)
        for name, grad in grads.items():
            current[name] = current[name] - learning_rate * grad
        return cost

    return Step(run, lambda: dict(current))
