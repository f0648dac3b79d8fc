"""Saving and loading a network module's parameters as ``.npz`` files: plain Python, copied into it.

``PARAMETERS`` and ``STATISTICS`` are printed into each module by the
network template; the names bound here stand in for them, so that the file
runs as written (the tests bind them).
"""

import os

import numpy as np

from .network_tables import _params

#: A module's tables, printed into it.
PARAMETERS: dict = {}
STATISTICS: dict = {}


def save(path: str | os.PathLike, params: dict[str, np.ndarray]) -> None:
    """Write every parameter and statistic to the ``.npz`` file ``path``."""
    np.savez(path, **_params(params))


def load(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """The parameters written by ``save``, checked against ``PARAMETERS`` and ``STATISTICS``."""
    expected = {**PARAMETERS, **STATISTICS}
    with np.load(path, allow_pickle=False) as stored:
        missing = sorted(set(expected) - set(stored.files))
        if missing:
            raise ValueError(f"{path}: missing parameter(s) {', '.join(missing)}; expected {', '.join(expected)}")
        return _params({name: stored[name] for name in expected})
