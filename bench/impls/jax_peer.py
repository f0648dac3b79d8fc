"""jax: one ``jax.jit``-compiled function does ``value_and_grad`` and the SGD update, in the data's dtype.

64-bit types are enabled, so float64 data stays float64 (and float32 stays float32).

The parameters are donated to it, as training loops in JAX do, so the update may write in place.
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from ..problems import ACTIVATIONS, Params, parameter_names
from ..step import Step

jax.config.update("jax_enable_x64", True)

_ACTIVATIONS = {"relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid, "linear": lambda z: z}


def _cost(theta: list, x, y):
    """The softmax negative log-likelihood of the network with parameters ``[w1, b1, w2, ...]``."""
    h = x
    for layer, activation in enumerate(ACTIVATIONS):
        h = _ACTIVATIONS[activation](h @ theta[2 * layer].T + theta[2 * layer + 1])
    return -jnp.sum(y * jax.nn.log_softmax(h, axis=1)) / x.shape[0]


_value_and_grad = jax.jit(jax.value_and_grad(_cost))


@partial(jax.jit, donate_argnums=0)
def _train_step(theta: list, x, y, learning_rate):
    """Cost and gradients, then the updated parameters: ``(new_theta, cost)``; XLA may reuse ``theta``'s memory."""
    cost, grads = jax.value_and_grad(_cost)(theta, x, y)
    return [value - learning_rate * grad for value, grad in zip(theta, grads)], cost


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient, by the compiled ``value_and_grad``."""
    names = parameter_names()
    cost, grads = _value_and_grad([jnp.asarray(params[name]) for name in names], jnp.asarray(x), jnp.asarray(y))
    return float(cost), {name: np.asarray(grad) for name, grad in zip(names, grads)}


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """The compiled step, called with the parameters it last returned; waits for the result."""
    names = parameter_names()
    state = {"theta": [jnp.asarray(params[name]) for name in names]}
    x, y = jnp.asarray(x), jnp.asarray(y)

    def run():
        state["theta"], cost = jax.block_until_ready(_train_step(state["theta"], x, y, learning_rate))
        return cost

    return Step(run, lambda: {name: np.array(value) for name, value in zip(names, state["theta"])})
