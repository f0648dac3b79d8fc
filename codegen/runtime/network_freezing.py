"""Which parameters a training call keeps as they are: its ``frozen`` argument, plain Python, copied into each module.

``PARAMETERS``, ``LAYERS`` (each layer's number, counted from 1 as the spec
counts, and its parameters) and ``FROZEN`` (the parameters of the spec's
layers with ``trainable = false``) are printed into each module by the
network template; the names bound here stand in for them, so that the file
runs as written (the tests bind them).
"""

import numpy as np

#: A module's tables, printed into it.
PARAMETERS: dict = {}
LAYERS: dict = {}
FROZEN: tuple = ()


def _frozen(frozen: int | str | list | tuple | None) -> tuple[str, ...]:
    """The parameters ``frozen`` names, in ``PARAMETERS``' order: layer numbers and parameter names, or None.

    None stands for ``FROZEN``; a number or a name alone for itself.  A
    value that is neither, a layer or parameter the module does not have,
    or one of ``FROZEN`` left out (the spec's frozen layers cannot be
    unfrozen) is a ValueError saying what is accepted.
    """
    if frozen is None:
        return FROZEN
    accepted = (f"expected layer numbers 1 to {len(LAYERS)} or parameter names ({', '.join(PARAMETERS)}), "
                "one or a list of them")
    items = [frozen] if isinstance(frozen, (str, int, np.integer)) else frozen
    if not hasattr(items, "__iter__") or isinstance(items, dict):
        raise ValueError(f"frozen: {accepted}, got {frozen!r}")
    names = set()
    for item in items:
        if isinstance(item, str):
            if item not in PARAMETERS:
                raise ValueError(f"frozen: there is no parameter {item!r}; {accepted}")
            names.add(item)
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if item not in LAYERS:
                raise ValueError(f"frozen: there is no layer {item}; {accepted}")
            names.update(LAYERS[item])
        else:
            raise ValueError(f"frozen: {accepted}, got {item!r}")
    unfrozen = [name for name in FROZEN if name not in names]
    if unfrozen:
        raise ValueError(f"frozen: {', '.join(unfrozen)} cannot be unfrozen (their layer has trainable = false in "
                         "the spec): name them in frozen too, or leave frozen=None")
    return tuple(name for name in PARAMETERS if name in names)


def _kept(new: dict, old: dict, frozen: tuple[str, ...], prefix: str = "") -> dict:
    """``new`` with the array of each of ``frozen`` (its name after ``prefix``: ``"v"`` for velocities) from ``old``."""
    held = {prefix + name for name in frozen}
    return {name: old[name] if name in held else value for name, value in new.items()}
