"""The methods of a network module's ``Trainer`` that no network changes: plain Python, copied into its class.

The network template lays out the class and prints the rest of it
(``__init__``, ``_workspace``, ``train_step``) from the network's program;
``codegen.network_module.runtime_source("trainer_shell.py", "Trainer.copy_params")``
copies a method, indented as here.
"""

import numpy as np

from .network_freezing import _frozen


class Trainer:
    """Stands in for a module's ``Trainer``, whose ``params`` is a dict of views into one flat array.

    ``scaled_grads`` holds a gradient ``dK`` for each array ``K`` its step
    moves, and ``state``, under momentum, a velocity ``vK`` of each.
    """

    def copy_params(self) -> dict[str, np.ndarray]:
        """A copy of every parameter and statistic, independent of the trainer."""
        return {name: value.copy() for name, value in self.params.items()}

    def _frozen_copies(self, frozen: int | str | list | tuple | None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each array of ``frozen`` the step moves, and each one's velocity: ``(view, copy)`` for ``_put_back``."""
        names = [name for name in _frozen(frozen) if "d" + name in self.scaled_grads]
        velocities = getattr(self, "state", {})
        views = [self.params[name] for name in names]
        views += [velocities["v" + name] for name in names if "v" + name in velocities]
        return [(view, view.copy()) for view in views]

    def _put_back(self, copies: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Each view of ``copies`` (``_frozen_copies``') as it was copied."""
        for view, copy in copies:
            view[...] = copy
