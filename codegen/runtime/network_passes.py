"""The printed passes of a network module put together: plain Python, copied into it.

``forward``, ``loss``, ``penalty``, ``backward`` and ``INPUTS`` are printed
by the network template in each module; the names bound to them here stand
in for a module's, so that the file runs as written (the tests bind them).
"""

import numpy as np
import numpy.typing as npt

from .network_checks import _array, _finite_cost

#: The features of one sample of ``x``: printed into each module.
INPUTS = None
#: The passes printed from derive into each module.
forward = loss = penalty = backward = None


def _training_pass(params, x, y, rng=None):
    """Forward in training mode, the cost with its penalties and every gradient: ``(cache, cost, grads)``."""
    cache = forward(params, x, training=True, rng=rng)
    cost = _finite_cost(loss(y, cache["out"]) + penalty(params))
    return cache, cost, backward(params, x, y, cache)


def _cost(params, x, y, training=False, rng=None):
    """The cost of ``params`` on ``x`` and ``y``, penalties included."""
    return loss(y, forward(params, x, training, rng)["out"]) + penalty(params)


def predict(params: dict[str, np.ndarray], x: npt.ArrayLike, check_finite: bool = False) -> np.ndarray:
    """The network's output ``out`` for inputs ``x`` of shape ``(N, INPUTS)``, in inference mode.

    With ``check_finite``, NaN or infinity in ``x`` is a ValueError.
    """
    return forward(params, _array("x", x, (None, INPUTS), check_finite, rows=True))["out"]
