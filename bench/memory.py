"""Memory of one training step as ``tracemalloc`` sees it (NumPy reports its allocations to it).

``peak`` is the most a step has allocated at once beyond what was held
before it; ``kept`` is what a step holds between calls beyond one copy of
the parameters (its preallocated buffers, say).  Only implementations that
allocate through NumPy are measured: torch's and XLA's memory is invisible.
"""

import tracemalloc
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from .problems import LEARNING_RATE, Params


@dataclass(frozen=True)
class Memory:
    """Bytes held between steps (beyond the parameters) and the peak allocated during one step."""

    kept: int
    peak: int


def measure(module: ModuleType, params: Params, x: np.ndarray, y: np.ndarray) -> Memory:
    """Trace a new step's construction and first call, then the peak of its second call."""
    parameter_bytes = sum(value.nbytes for value in params.values())
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        step = module.make_step(params, x, y, LEARNING_RATE)
        step.run()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step.run()
        peak = tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()
    return Memory(kept=held - before - parameter_bytes, peak=peak)
