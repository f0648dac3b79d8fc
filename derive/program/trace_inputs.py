"""The arrays a trace reads, taken from the user's data instead of a spec's ``[example]`` table.

``x`` and ``y`` come from a data file (``.npz`` with arrays ``x`` and ``y``)
or a mapping, the parameters from a parameter file or mapping (or from the
data file itself when it holds them).  Whatever is not given falls back to
the spec's ``[example]``.  In a classifier, integer class labels stand for the
target rows, as they do in the generated modules.
"""

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from derive.program.network import Program
from derive.program.trace import TraceError

__all__ = ["trace_arrays", "read_arrays", "targets_from_labels"]

Arrays = Mapping[str, object]


def read_arrays(path: str | Path, what: str) -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` file at ``path``; ``what`` names it in errors (``--data``)."""
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise TraceError(f"{what} {path}: no such file") from None
    except (OSError, ValueError) as error:
        raise TraceError(f"{what} {path}: not an .npz archive of numeric arrays (np.savez): {error}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise TraceError(f"{what} {path}: expected an .npz archive of named arrays (np.savez), got a single array")
    try:
        with archive:
            return {name: archive[name] for name in archive.files}
    except ValueError as error:  # an object array, which would need pickle
        raise TraceError(f"{what} {path}: not an .npz archive of numeric arrays (np.savez): {error}") from None


def targets_from_labels(y: object, classes: int | None, outputs: int) -> object:
    """``y`` as rows of ``outputs`` targets, as a generated module reads it.

    In a classifier (``classes`` not None), a flat ``y`` of integer labels
    ``0..classes-1`` becomes one-hot rows, or, for a single binary output, the
    column of 0s and 1s; anything else is returned as it is.
    """
    array = np.asarray(y)
    if classes is None or array.ndim != 1:
        return y
    if array.dtype.kind not in "iub":
        raise TraceError(
            f"y: a flat y holds integer class labels 0..{classes - 1}, got {array.dtype} values; "
            f"give integer labels or rows of {outputs} targets"
        )
    wrong = np.flatnonzero((array < 0) | (array >= classes))
    if wrong.size:
        raise TraceError(
            f"y[{wrong[0]}] = {array[wrong[0]]}: class labels run from 0 to {classes - 1} for {classes} classes"
        )
    return array.reshape(-1, 1) if outputs == 1 else np.eye(outputs)[array]


def trace_arrays(program: Program, data: Arrays | str | Path | None = None,
                 params: Arrays | str | Path | None = None) -> dict[str, np.ndarray]:
    """``x``, ``y`` and every parameter for a trace of ``program``: given arrays first, then the ``[example]``.

    ``data`` and ``params`` are mappings of arrays or ``.npz`` files.
    """
    spec = program.spec
    if isinstance(data, (str, Path)):
        data = read_arrays(data, "data")
    if isinstance(params, (str, Path)):
        params = read_arrays(params, "params")
    names = [p.name for p in program.parameters]
    example = spec.example or {}
    given = {**(data or {}), **(params or {})}
    arrays = {name: given[name] if name in given else example.get(name) for name in ("x", "y", *names)}
    missing = [name for name, value in arrays.items() if value is None]
    if missing:
        inputs = [name for name in missing if name in ("x", "y")]
        hint = []
        if inputs:
            hint.append("x and y from a data file (.npz with arrays x and y)")
        if len(inputs) < len(missing):
            hint.append("the parameters from a parameter file (.npz with " + ", ".join(names) + ") or a seed")
        raise TraceError(
            f"{spec.source}: no {', '.join(missing)} to trace {spec.name} with, and no [example] table "
            f"giving them; give {' and '.join(hint)}"
        )
    arrays["y"] = targets_from_labels(arrays["y"], program.classes, spec.layers[-1].units)
    return {name: _table(name, value) for name, value in arrays.items()}


def _table(name: str, value: object) -> np.ndarray:
    """``value`` as a 2-D array of finite floats, else a TraceError naming ``name``."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TraceError(f"array {name}: expected rows of real numbers") from None
    if array.ndim != 2:
        raise TraceError(f"array {name}: expected rows of numbers (2 dimensions), got {array.ndim} dimension(s)")
    if not np.isfinite(array).all():
        raise TraceError(f"array {name}: expected finite numbers, got nan or inf")
    return array
