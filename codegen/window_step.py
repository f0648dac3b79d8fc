"""Print a window layer's step (``derive.layers.indexed_step``) as NumPy statements over the network's flat arrays.

Each array the step reads is viewed in the shape its sum indexes
(``x.reshape(-1, 1, 8, 8)``), the sum is lowered by ``window_lowering``
(window views, then ``np.tensordot`` or ``np.einsum``), and the result is
reshaped to the shape the network stores it in.  Max pooling's indicator
prints as the first ``argmax`` of each window, flattened in row-major order:
NumPy's ``argmax`` returns the first of equal maxima, the tie rule the
derivation states.
"""

from sympy import Basic, IndexedBase

from derive.layers.indexed_layers import N
from derive.layers.indexed_step import BATCH, FirstMaximum, IndexedStep

from .window_lowering import lower_index_sum

__all__ = ["STEPS", "step_code", "stored_shape"]

#: The expressions printed by ``step_code`` rather than by the array printer.
STEPS = (IndexedStep, FirstMaximum)


def stored_shape(expr: Basic) -> tuple:
    """The shape a step's result is kept in, the batch axis as ``N``."""
    shape = expr.stored if isinstance(expr, IndexedStep) else (*expr.view[:2], *_pooled(expr), *expr.window)
    return tuple(N if side == BATCH else side for side in shape)


def step_code(expr: Basic, prefix: str) -> tuple[list[tuple[str, str]], str]:
    """``(statements, value)``: the statements a step needs first, named ``prefix...``, and its value's code."""
    if isinstance(expr, FirstMaximum):
        return _first_maximum(expr, prefix)
    views = expr.views
    statements = [(f"{prefix}{name}", f"{name}.reshape{tuple(views[name])}") for name in views]
    renames = {IndexedBase(name, real=True): IndexedBase(f"{prefix}{name}", real=True) for name in views}
    target = f"{prefix}z"
    forms = [type(f)(f.target, f.summand.xreplace(renames), f.limits, f.conditions) for f in expr.forms(target)]
    shapes = {f"{prefix}{name}": _sized(view) for name, view in views.items()} | {target: _sized(expr.shape)}
    lowered = lower_index_sum(forms, shapes, target, temporaries=f"{prefix}w")
    statements += lowered[:-1]
    value = lowered[-1][1]
    if expr.stored != expr.shape:
        value = f"({value}).reshape{expr.stored}"
    return statements, value


def _sized(shape: tuple[int, ...]) -> tuple:
    return tuple(N if side == BATCH else side for side in shape)


def _pooled(expr: FirstMaximum) -> tuple[int, int]:
    """The windows along each axis: valid windows at the stride."""
    return tuple((side - extent) // expr.stride + 1 for side, extent in zip(expr.view[2:], expr.window))


def _first_maximum(expr: FirstMaximum, prefix: str) -> tuple[list[tuple[str, str]], str]:
    rows, columns = expr.window
    stride = expr.stride
    windows = (f"np.lib.stride_tricks.sliding_window_view({expr.array}.reshape{expr.view}, {expr.window}, "
               f"axis=(2, 3))[:, :, ::{stride}, ::{stride}]")
    statements = [
        (f"{prefix}windows", windows),
        (f"{prefix}first", f"{prefix}windows.reshape(*{prefix}windows.shape[:4], {rows * columns}).argmax(axis=-1)"),
    ]
    value = f"(np.arange({rows * columns}) == {prefix}first[..., None]).reshape({prefix}windows.shape).astype(float)"
    return statements, value
