"""symprop_numba: the compiled module ``python -m codegen network --target numba`` generates, its ``Trainer``.

Its first ``train_step`` compiles the step (or loads it from Numba's cache
next to the module); the harness's warm-up takes that call.
"""

import numpy as np

from ..problems import Params
from ..step import Step
from .symprop import module_for, module_step


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """One compiled training step, ``Trainer(params).train_step(x, y, learning_rate)``."""
    return module_step(module_for(params, "numba"), params, x, y, learning_rate)


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient: a new ``Trainer``'s ``scaled_grads`` after a step at rate 1."""
    trainer = module_for(params, "numba").Trainer(params)
    cost = trainer.train_step(x, y, 1.0)
    return float(cost), {name: trainer.scaled_grads["d" + name].copy() for name in params}
