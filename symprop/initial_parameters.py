"""A spec's initial parameters as its generated module draws them, for walk-throughs at ``--seed N``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from derive.spec.model import NetworkSpec

__all__ = ["draw_initial_parameters"]


def draw_initial_parameters(spec: NetworkSpec, seed: int) -> dict[str, np.ndarray]:
    """``init_params(seed)`` of the network module printed for ``spec``, run from its source in memory.

    The module is the one ``symprop network`` writes, so a walk-through at a
    seed follows the very numbers a user's training starts from.
    """
    from codegen.rendering import render_network
    from derive.catalog.standard import CATALOG

    namespace: dict = {"__name__": f"symprop_network_{spec.name}"}
    exec(compile(render_network(spec, CATALOG), f"<network module of {spec.source}>", "exec"), namespace)
    return namespace["init_params"](seed)
