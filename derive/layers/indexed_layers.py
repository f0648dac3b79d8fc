"""Dense, conv2d, average and max pooling, and flatten, each one indexed equation; their VJPs derived.

Arrays are indexed ``[sample, channel, row, column]`` (``[sample, unit]``
for dense and flatten).  A convolution of stride ``s`` reads
``X[n, k, s·i + p, s·j + q]``; ``"same"`` padding reads ``X`` shifted by the
top and left padding and zero outside it (a guard).  Every VJP comes from
``index_calculus.derive_vjp``; the input gradient of a window layer is then
re-indexed by ``flip_into_window`` into a correlation of the (dilated,
zero-padded) upstream gradient with the flipped window.

Sizes may be integers (a network's layer) or symbols (the general form the
documents show).  Max pooling's forward is ``Σ_{p,q} M·X`` with ``M`` the
indicator of the window's first maximum in row-major order: equal to the
window maximum, and constant near every input whose window maximum is
unique, so its VJP is derived like the others (the ledger checks both).
"""

from dataclasses import dataclass, replace

from sympy import Expr, IndexedBase, Piecewise, S, Sum, Symbol

from derive.layers.index_calculus import IndexForm, IndexedLayer, derive_vjp, flip_into_window, holds_over
from derive.spec.model import Padding, window_extent

__all__ = [
    "Padding", "WindowShape", "LayerVJPs", "dense_vjps", "conv2d_vjps", "avg_pool_vjps", "max_pool_vjps",
    "flatten_vjps", "window_shape", "symbolic_shape", "ARGMAX",
]


def _index(name: str) -> Symbol:
    return Symbol(name, integer=True, nonnegative=True)


n, c, k, i, j, p, q, h, w, r, t, o, f = (_index(s) for s in "n c k i j p q h w r t o f".split())
#: The batch size.
N = Symbol("N", integer=True, positive=True)
#: The name of max pooling's window indicator: 1 at the window's first maximum (row-major), else 0.
ARGMAX = "M"

Size = int | Expr


@dataclass(frozen=True)
class WindowShape:
    """A window layer's sizes: input ``(channels, height, width)``, window, stride, padding and output.

    ``top`` and ``left`` are the zero rows and columns ``same`` padding puts
    before the input (TensorFlow's split: the odd one after).
    """

    channels: Size
    height: Size
    width: Size
    window: tuple[Size, Size]
    stride: Size
    padding: Padding
    out_height: Size
    out_width: Size
    top: Size
    left: Size


def window_shape(channels: Size, height: Size, width: Size, window: tuple[Size, Size], stride: Size,
                 padding: Padding) -> WindowShape:
    """The output size and padding of a window over ``height × width``; symbols when a size is a symbol."""
    sizes = []
    for size, extent, axis in ((height, window[0], "H"), (width, window[1], "W")):
        if not all(isinstance(v, int) for v in (size, extent, stride)):
            sizes.append((Symbol(f"{axis}_out", integer=True, positive=True),
                          S.Zero if padding is Padding.VALID else Symbol(f"pad_{axis}", integer=True, nonnegative=True)))
        else:
            sizes.append(window_extent(size, extent, stride, padding))
    (out_height, top), (out_width, left) = sizes
    return WindowShape(channels, height, width, window, stride, padding, out_height, out_width, top, left)


@dataclass(frozen=True)
class LayerVJPs:
    """A layer's equation and the derived VJP of each of its inputs, by input name (``X``, ``W``, ``b``)."""

    layer: IndexedLayer
    vjps: dict[str, IndexForm]


def _arrays(*names: str) -> list[IndexedBase]:
    return [IndexedBase(name, real=True) for name in names]


def dense_vjps(n_in: Size, n_out: Size) -> LayerVJPs:
    """``Z[n, o] = Σ_i X[n, i]·W[o, i] + b[o]``."""
    X, W, b, G, Z = _arrays("X", "W", "b", "G", "Z")
    ranges = {n: (0, N - 1), o: (0, n_out - 1), i: (0, n_in - 1)}
    layer = IndexedLayer("dense", Z[n, o], Sum(X[n, i] * W[o, i], (i, 0, n_in - 1)) + b[o], ranges, (X, W, b), G)
    return LayerVJPs(layer, {
        "X": derive_vjp(layer, X, (n, i), ranges, IndexedBase("dX", real=True)),
        "W": derive_vjp(layer, W, (o, i), ranges, IndexedBase("dW", real=True)),
        "b": derive_vjp(layer, b, (o,), ranges, IndexedBase("db", real=True)),
    })


def _window_read(X: IndexedBase, shape: WindowShape, channel: Symbol) -> Expr:
    """``X`` at ``(s·i + p - top, s·j + q - left)``, guarded to lie inside ``X`` when padded."""
    row, column = shape.stride * i + p - shape.top, shape.stride * j + q - shape.left
    entry = X[n, channel, row, column]
    if shape.padding is Padding.VALID:
        return entry
    inside = (row >= 0) & (row <= shape.height - 1) & (column >= 0) & (column <= shape.width - 1)
    return Piecewise((entry, inside), (S.Zero, True))


def _input_ranges(shape: WindowShape, channel: Symbol) -> dict:
    return {n: (0, N - 1), channel: (0, shape.channels - 1), h: (0, shape.height - 1), w: (0, shape.width - 1)}


def _output_ranges(shape: WindowShape, channel: Symbol, channels: Size) -> dict:
    P, Q = shape.window
    return {n: (0, N - 1), channel: (0, channels - 1), i: (0, shape.out_height - 1), j: (0, shape.out_width - 1),
            p: (0, P - 1), q: (0, Q - 1)}


def _flipped_input(layer: IndexedLayer, X: IndexedBase, shape: WindowShape, channel: Symbol) -> IndexForm:
    """The input's VJP, re-indexed into a correlation with the window flipped."""
    ranges = _input_ranges(shape, channel)
    form = derive_vjp(layer, X, (n, channel, h, w), ranges, IndexedBase("dX", real=True), prove=False)
    P, Q = shape.window
    flipped = flip_into_window(form, {i: (r, P), j: (t, Q)})
    bounds = {**layer.ranges, **ranges, **{v: (lo, hi) for v, lo, hi in flipped.limits}}
    return replace(flipped, conditions=tuple(c for c in flipped.conditions if not holds_over(c, bounds)))


def conv2d_vjps(shape: WindowShape, filters: Size) -> LayerVJPs:
    """``Z[n, c, i, j] = Σ_{k, p, q} X[n, k, s·i + p, s·j + q]·W[c, k, p, q] + b[c]`` (``X`` padded for ``same``)."""
    X, W, b, G, Z = _arrays("X", "W", "b", "G", "Z")
    P, Q = shape.window
    ranges = {**_output_ranges(shape, c, filters), k: (0, shape.channels - 1)}
    body = Sum(_window_read(X, shape, k) * W[c, k, p, q], (k, 0, shape.channels - 1), (p, 0, P - 1), (q, 0, Q - 1))
    layer = IndexedLayer("conv2d", Z[n, c, i, j], body + b[c], ranges, (X, W, b), G)
    weight_ranges = {c: (0, filters - 1), k: (0, shape.channels - 1), p: (0, P - 1), q: (0, Q - 1)}
    return LayerVJPs(layer, {
        "X": _flipped_input(layer, X, shape, k),
        "W": derive_vjp(layer, W, (c, k, p, q), weight_ranges, IndexedBase("dW", real=True)),
        "b": derive_vjp(layer, b, (c,), {c: (0, filters - 1)}, IndexedBase("db", real=True)),
    })


def avg_pool_vjps(shape: WindowShape) -> LayerVJPs:
    """``Z[n, c, i, j] = Σ_{p, q} X[n, c, s·i + p, s·j + q] / (P·Q)``."""
    X, G, Z = _arrays("X", "G", "Z")
    P, Q = shape.window
    body = Sum(_window_read(X, shape, c), (p, 0, P - 1), (q, 0, Q - 1)) / (P * Q)
    layer = IndexedLayer("avg_pool", Z[n, c, i, j], body, _output_ranges(shape, c, shape.channels), (X,), G)
    return LayerVJPs(layer, {"X": _flipped_input(layer, X, shape, c)})


def max_pool_vjps(shape: WindowShape) -> LayerVJPs:
    """``Z[n, c, i, j] = Σ_{p, q} M[n, c, i, j, p, q]·X[n, c, s·i + p, s·j + q]``, ``M`` the first-argmax indicator.

    Valid windows only: a padded window's maximum would depend on what the
    padding holds, which no definition here states.
    """
    if shape.padding is not Padding.VALID:
        raise ValueError(f"max pooling takes valid windows only, not {shape.padding.value!r} padding")
    X, G, Z = _arrays("X", "G", "Z")
    M = IndexedBase(ARGMAX, real=True)
    P, Q = shape.window
    body = Sum(M[n, c, i, j, p, q] * _window_read(X, shape, c), (p, 0, P - 1), (q, 0, Q - 1))
    layer = IndexedLayer("max_pool", Z[n, c, i, j], body, _output_ranges(shape, c, shape.channels), (X,), G)
    return LayerVJPs(layer, {"X": _flipped_input(layer, X, shape, c)})


def flatten_vjps(channels: Size, height: Size, width: Size) -> LayerVJPs:
    """``Z[n, k·H·W + h·W + w] = X[n, k, h, w]``: the row-major index map, one output entry per input entry."""
    X, G, Z = _arrays("X", "G", "Z")
    ranges = {n: (0, N - 1), k: (0, channels - 1), h: (0, height - 1), w: (0, width - 1)}
    feature = k * height * width + h * width + w
    layer = IndexedLayer("flatten", Z[n, feature], X[n, k, h, w], ranges, (X,), G, over=(n, k, h, w))
    return LayerVJPs(layer, {"X": derive_vjp(layer, X, (n, k, h, w), ranges, IndexedBase("dX", real=True))})


def symbolic_shape(padding: Padding, stride: Size = Symbol("s", integer=True, positive=True)) -> WindowShape:
    """A window over ``K × H × W`` with a ``P × Q`` window and stride ``s``: the general form, as shown."""
    K, H, W, P, Q = (Symbol(name, integer=True, positive=True) for name in "K H W P Q".split())
    return window_shape(K, H, W, (P, Q), stride, padding)

