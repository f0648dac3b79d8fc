"""Before any timing: every implementation's cost, gradients and one step agree with ``handwritten``'s.

Agreement is relative: the norm of the difference over the norm of the
reference, at most ``TOLERANCES[dtype]``.  A step is compared by the change
it makes to each parameter, taken in float64, so that the parameters' own
size hides nothing.  float32 keeps about 7 digits, and one step's change to
a float32 parameter, the difference of two nearby numbers, far fewer: about
3 at the tiny size, where the change is 1e-4 of the parameter (symprop's
targets compute in float64 whatever they are given).
"""

from types import ModuleType

import numpy as np

from .impls import IMPLEMENTATIONS, REFERENCE
from .problems import LEARNING_RATE, Params

TOLERANCES = {"float64": 1e-8, "float32": 5e-3}


class Mismatch(Exception):
    """An implementation disagrees with the reference."""


def relative_error(value: np.ndarray, reference: np.ndarray) -> float:
    """``|value - reference| / |reference|`` in the Frobenius norm (the plain norm when the reference is 0)."""
    difference = float(np.linalg.norm(np.asarray(value, dtype=np.float64) - reference))
    scale = float(np.linalg.norm(reference))
    return difference / scale if scale else difference


def _agree(name: str, size: str, what: str, value: np.ndarray, reference: np.ndarray, dtype: str) -> None:
    error = relative_error(value, reference)
    if not error <= TOLERANCES[dtype]:
        raise Mismatch(f"{name} at size {size} in {dtype}: {what} differs from {REFERENCE}'s by {error:.3g} "
                       f"(relative; at most {TOLERANCES[dtype]:g} allowed)")


def _step_changes(name: str, module: ModuleType, params: Params, x: np.ndarray, y: np.ndarray) -> Params:
    """How one step of ``module`` moves each parameter; also checks the step left ``params`` alone."""
    before = {name: value.copy() for name, value in params.items()}
    step = module.make_step(params, x, y, LEARNING_RATE)
    step.run()
    after = step.params()
    for parameter, value in before.items():
        if not np.array_equal(params[parameter], value):
            raise Mismatch(f"{name}: make_step changed the caller's {parameter}")
    return {parameter: np.float64(after[parameter]) - before[parameter] for parameter in params}


def check(size: str, modules: dict[str, ModuleType], params: Params, x: np.ndarray, y: np.ndarray) -> None:
    """Raise ``Mismatch`` naming the implementation, size and parameter where any disagrees with the reference."""
    reference, dtype = modules[REFERENCE], x.dtype.name
    cost, grads = reference.gradients(params, x, y)
    changes = _step_changes(REFERENCE, reference, params, x, y)
    for name, module in modules.items():
        if name == REFERENCE or not IMPLEMENTATIONS[name].checked:
            continue
        their_cost, their_grads = module.gradients(params, x, y)
        _agree(name, size, "the cost", np.float64(their_cost), np.float64(cost), dtype)
        for parameter, grad in grads.items():
            _agree(name, size, f"the gradient of {parameter}", their_grads[parameter], grad, dtype)
        their_changes = _step_changes(name, module, params, x, y)
        for parameter, change in changes.items():
            _agree(name, size, f"one step's change to {parameter}", their_changes[parameter], change, dtype)
