"""The ledger's obligations of the layers written as one indexed sum: dense, conv2d, pooling, flatten.

Each layer's equation is its definition; each VJP is SymPy's derivation
(re-run and compared) and is also checked exactly, entry by entry, against
``sympy.diff`` of the sum written out at stated sizes.  The dense VJPs are
proven to be the matrix calculus of ``derive.layers.dense``, printed as
``@``; max pooling's indicator is checked to select the window maximum and
to be its derivative where the maximum is unique.
"""

from itertools import product

from sympy import Max, Symbol, diff

from derive.core.obligation import Discharge, Obligation, checked, defined, derived
from derive.core.symbols import N
from derive.layers import dense, indexed_layers as layers
from derive.layers.index_check import matches_written_out
from derive.layers.index_matrix import as_indexed, as_matrix, same_sum
from derive.layers.indexed_layers import LayerVJPs, Padding, symbolic_shape
from derive.spec.model import BiasKind

__all__ = ["indexed_layer_obligations", "first_maximum", "indicator_is_max_derivative"]

_SIZE = {name: Symbol(name, integer=True, positive=True) for name in "K H W P Q C s".split()}
_OUT = {name: Symbol(name, integer=True, positive=True) for name in ("H_out", "W_out")}
_PAD = {name: Symbol(name, integer=True, nonnegative=True) for name in ("pad_H", "pad_W")}
#: The sizes the written-out check uses: one sample, two channels, a 6 × 5 input, a 3 × 2 window, stride 2.
_CONCRETE = {"N": 1, "K": 2, "H": 6, "W": 5, "P": 3, "Q": 2, "C": 2, "s": 2}
_POOL = {**_CONCRETE, "P": 2, "Q": 2}
#: The layers whose input VJP is re-indexed onto the flipped window.
_WINDOWED = ("conv2d", "avg_pool", "max_pool")


def _general(padding: Padding) -> dict[str, LayerVJPs]:
    """The window layers over symbolic sizes and stride ``s``, for ``padding`` (max pooling: valid only)."""
    shape = symbolic_shape(padding)
    result = {"conv2d": layers.conv2d_vjps(shape, _SIZE["C"]), "avg_pool": layers.avg_pool_vjps(shape)}
    if padding is Padding.VALID:
        result["max_pool"] = layers.max_pool_vjps(shape)
    return result


def _sizes(padding: Padding, concrete: dict) -> dict:
    """The symbols of the general form at ``concrete`` sizes, the output size and padding computed from them."""
    shape = layers.window_shape(concrete["K"], concrete["H"], concrete["W"], (concrete["P"], concrete["Q"]),
                                concrete["s"], padding)
    return {N: concrete["N"], **{_SIZE[name]: value for name, value in concrete.items() if name != "N"},
            _OUT["H_out"]: shape.out_height, _OUT["W_out"]: shape.out_width,
            _PAD["pad_H"]: shape.top, _PAD["pad_W"]: shape.left}


def _input_ranges(channel: Symbol) -> dict:
    """The range of each index of every VJP target of a window layer, in the general form's sizes."""
    K, H, W, P, Q, C = (_SIZE[name] for name in "K H W P Q C".split())
    return {"X": {layers.n: (0, N - 1), channel: (0, K - 1), layers.h: (0, H - 1), layers.w: (0, W - 1)},
            "W": {layers.c: (0, C - 1), layers.k: (0, K - 1), layers.p: (0, P - 1), layers.q: (0, Q - 1)},
            "b": {layers.c: (0, C - 1)}}


def _layer_obligations(item: str, vjps: LayerVJPs, rederive, sizes: dict, ranges: dict, grid: str) -> list[Obligation]:
    result = [defined(item, "definition", vjps.layer.equation, "the layer's indexed equation")]
    for name, form in vjps.vjps.items():
        result.append(derived(item, f"VJP of {name}", form.expr, lambda n=name: rederive().vjps[n].expr,
                              "sympy.diff of Σ G·Z by one entry, its KroneckerDeltas summed out"
                              + (", re-indexed onto the flipped window" if name == "X" and vjps.layer.name in _WINDOWED
                                 else "")))
    result.append(checked(item, "VJPs at stated sizes", ", ".join(str(f.target) for f in vjps.vjps.values()),
                          lambda: matches_written_out(vjps.layer, vjps.vjps, sizes, ranges),
                          "every entry equals sympy.diff of the sum written out, exactly", grid))
    return result


def _dense_obligations() -> list[Obligation]:
    """The indexed dense layer, its VJPs, and the proof that they are ``derive.layers.dense``'s products."""
    n_in, n_out = dense._IN, dense._OUT
    vjps = layers.dense_vjps(n_in, n_out)
    item = "indexed layer dense"
    result = _layer_obligations(item, vjps, lambda: layers.dense_vjps(n_in, n_out),
                                {N: 2, n_in: 3, n_out: 2},
                                {"X": {layers.n: (0, N - 1), layers.i: (0, n_in - 1)},
                                 "W": {layers.o: (0, n_out - 1), layers.i: (0, n_in - 1)},
                                 "b": {layers.o: (0, n_out - 1)}}, "N = 2, 3 inputs, 2 outputs")
    shapes = {"X": (N, n_in), "W": (n_out, n_in), "G": (N, n_out)}
    rule = dense._derived(BiasKind.PER_NEURON)
    for name, field in (("X", "grad_X"), ("W", "grad_W"), ("b", "grad_b")):
        form = vjps.vjps[name]
        matrix = as_matrix(form, shapes)
        at = form.target.indices if len(form.target.indices) == 2 else (0, form.target.indices[0])
        result.append(Obligation(
            item, f"VJP of {name} as @", str(matrix), Discharge.SYMBOLIC,
            f"its entry is the derived index form, and it is the dense rule's {field} (matrix calculus)",
            lambda m=matrix, f=form, a=at, g=field: same_sum(as_indexed(m[a]), f.expr) and m == getattr(rule, g)))
    return result


def first_maximum(values: tuple) -> tuple[int, ...]:
    """Max pooling's indicator over a window in row-major order: 1 at the first maximum, 0 elsewhere."""
    top = max(values)
    first = values.index(top)
    return tuple(int(position == first) for position in range(len(values)))


def indicator_is_max_derivative(levels: tuple = (-1, 0, 1)) -> bool:
    """On every 2 × 2 window over ``levels``: ``Σ M·x`` is the maximum; where it is unique, ``M = ∂max/∂x``."""
    entries = [Symbol(f"x{position}", real=True) for position in range(4)]
    maximum = Max(*entries)
    slopes = [diff(maximum, entry) for entry in entries]
    for values in product(levels, repeat=4):
        indicator = first_maximum(values)
        if sum(m * v for m, v in zip(indicator, values)) != max(values):
            return False
        if values.count(max(values)) == 1:
            point = dict(zip(entries, values))
            if [slope.xreplace(point) for slope in slopes] != list(indicator):
                return False
    return True


def indexed_layer_obligations() -> list[Obligation]:
    """Dense, conv2d and both poolings for each padding, flatten: definitions, VJPs, checks."""
    result = _dense_obligations()
    for padding in Padding:
        for name, vjps in _general(padding).items():
            concrete = _CONCRETE if name == "conv2d" else _POOL
            channel = layers.k if name == "conv2d" else layers.c
            grid = ", ".join(f"{key} = {value}" for key, value in concrete.items())
            result += _layer_obligations(f"indexed layer {name}, {padding.value} padding", vjps,
                                         lambda p=padding, k=name: _general(p)[k], _sizes(padding, concrete),
                                         _input_ranges(channel), grid)
    result.append(checked("indexed layer max_pool", "window indicator M", "M = [first maximum of the window]",
                          indicator_is_max_derivative,
                          "Σ M·x is the window maximum (ties: the first in row-major order), and M is sympy.diff "
                          "of Max where the maximum is unique", "every 2 × 2 window of values in {-1, 0, 1}"))
    K, H, W = (_SIZE[name] for name in "K H W".split())
    flat = layers.flatten_vjps(K, H, W)
    result += _layer_obligations("indexed layer flatten", flat, lambda: layers.flatten_vjps(K, H, W),
                                 {N: 1, K: 2, H: 3, W: 2},
                                 {"X": {layers.n: (0, N - 1), layers.k: (0, K - 1), layers.h: (0, H - 1),
                                        layers.w: (0, W - 1)}}, "N = 1, K = 2, H = 3, W = 2")
    return result
