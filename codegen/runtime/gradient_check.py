"""A network module's gradient check: the loop over every entry of every parameter, plain Python, copied into it.

The two formulas it applies are not written here: the central difference
and the relative error are printed from ``derive.program.gradient_check``
in place of the calls of ``_central_difference`` and ``_relative_error``
(``codegen.network_module.runtime_source``, ``printed``), whose arguments
are the names each printed formula reads.  ``PARAMETERS``, ``INPUTS``,
``OUTPUTS``, ``CLASSES``, ``forward`` and ``backward`` are printed into each module; the
names bound here stand in for them, so that the file runs as written.
"""

import numpy as np
import numpy.typing as npt

from .network_checks import _data, _number
from .network_passes import _cost
from .network_tables import _params

#: A module's tables and passes, printed into it.
PARAMETERS: dict = {}
INPUTS = OUTPUTS = CLASSES = None
forward = backward = None
#: The formulas printed from derive in place of each call of these.
_central_difference = _relative_error = None


def gradient_check(params: dict[str, np.ndarray], x: npt.ArrayLike, y: npt.ArrayLike, eps: float = 1e-6,
                   seed: int = 0) -> dict[str, float]:
    """Relative error of ``backward``'s gradient of every parameter against central differences.

    Each entry of each parameter is moved by ``eps`` either way; the result maps
    a parameter's name to the distance between the two gradients divided by the
    larger of their norms.  Errors near 1e-8 or below mean the gradients agree.
    The cost is taken in training mode, as ``backward`` differentiates it: with
    batch statistics, and with the same dropout masks, drawn from ``seed``, every time.
    """
    params = _params(params)
    x, y = _data(x, y, INPUTS, OUTPUTS, classes=CLASSES)
    eps = _number("eps", eps, positive=True)
    grads = backward(params, x, y, forward(params, x, training=True, rng=np.random.default_rng(seed)))
    errors = {}
    for name in PARAMETERS:
        value = params[name]
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            cost_plus = _cost({**params, name: plus}, x, y, True, np.random.default_rng(seed))
            cost_minus = _cost({**params, name: minus}, x, y, True, np.random.default_rng(seed))
            numeric[index] = _central_difference(cost_plus, cost_minus, eps)
        analytic = grads["d" + name]
        errors[name] = float(_relative_error(analytic, numeric))
    return errors
