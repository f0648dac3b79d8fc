"""What every implementation hands the harness: one training step to call, and the parameters it left."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Step:
    """``run()`` does one full training step in place of the last; ``params()`` reads the parameters now."""

    run: Callable[[], object]
    params: Callable[[], dict[str, np.ndarray]]
