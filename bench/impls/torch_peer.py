"""torch: PyTorch eager on the CPU in the data's dtype; ``loss.backward()``, then an SGD update under ``no_grad``."""

import numpy as np
import torch

from .. import threads
from ..problems import ACTIVATIONS, Params, parameter_names
from ..step import Step

torch.set_num_threads(threads.count())
torch.set_num_interop_threads(threads.count())

_ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "linear": lambda z: z}


def _cost(theta: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The softmax negative log-likelihood of the network with parameters ``[w1, b1, w2, ...]``."""
    h = x
    for layer, activation in enumerate(ACTIVATIONS):
        h = _ACTIVATIONS[activation](torch.addmm(theta[2 * layer + 1], h, theta[2 * layer].T))
    return -(y * torch.log_softmax(h, dim=1)).sum() / x.shape[0]


def _tensors(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
    """Parameters as leaf tensors that require gradients (copies), and the data as tensors."""
    theta = [torch.tensor(params[name], requires_grad=True) for name in parameter_names()]
    return theta, torch.from_numpy(x), torch.from_numpy(y)


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient, by ``loss.backward()``."""
    theta, x, y = _tensors(params, x, y)
    cost = _cost(theta, x, y)
    cost.backward()
    return cost.item(), {name: value.grad.numpy() for name, value in zip(parameter_names(), theta)}


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """Gradients cleared, ``loss.backward()``, then ``value -= learning_rate * grad`` in place."""
    theta, x, y = _tensors(params, x, y)

    def run() -> torch.Tensor:
        for value in theta:
            value.grad = None
        cost = _cost(theta, x, y)
        cost.backward()
        with torch.no_grad():
            for value in theta:
                value.sub_(value.grad, alpha=learning_rate)
        return cost

    return Step(run, lambda: {name: value.detach().numpy().copy() for name, value in zip(parameter_names(), theta)})
