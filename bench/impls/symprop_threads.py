"""symprop_threads: the generated NumPy module's ``Trainer`` with its elementwise work shared by threads.

``Trainer(params, threads=N)`` with the run's thread count (``--threads``,
default every core), at its measured ``split_size``: below it a step runs as
``symprop``'s does.  Results are bitwise those of ``symprop``.
"""

import numpy as np

from ..problems import Params
from ..step import Step
from ..threads import count
from .symprop import module_for, module_step


def make_step(params: Params, x: np.ndarray, y: np.ndarray, learning_rate: float) -> Step:
    """One training step, ``Trainer(params, threads=count()).train_step(x, y, learning_rate)``."""
    return module_step(module_for(params), params, x, y, learning_rate, threads=count())


def gradients(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The cost and every parameter's gradient: a threaded ``Trainer``'s ``scaled_grads`` after a step at rate 1."""
    trainer = module_for(params).Trainer(params, threads=count())
    cost = trainer.train_step(x, y, 1.0)
    return float(cost), {name: trainer.scaled_grads["d" + name].copy() for name in params}
