"""Loop implementations of conv2d and pooling written from their definitions, and an evaluator of index forms.

The loops are the reference the derived VJPs are compared with: each walks
the definition ``Z[n, c, i, j] = Σ X[n, k, s·i + p - top, s·j + q - left]·W``
entry by entry and scatters the upstream gradient back the same way.
``evaluate`` computes a derived ``IndexForm`` at integer sizes by running
over its limits and testing its conditions, one entry at a time.
"""

from dataclasses import replace
from itertools import product

import numpy as np
from sympy import And, IndexedBase, lambdify, sympify

from derive.layers.indexed_layers import N

__all__ = ["padding_of", "conv_loop", "conv_vjp_loop", "pool_loop", "pool_vjp_loop", "evaluate", "first_max_indicator"]


def padding_of(size: int, window: int, stride: int, same: bool) -> tuple[int, int]:
    """(output size, zeros before): valid keeps windows inside; same pads so the output is ceil(size/stride)."""
    if not same:
        return (size - window) // stride + 1, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return out, total // 2


def _padded(x: np.ndarray, window: tuple, stride: int, same: bool) -> tuple[np.ndarray, int, int]:
    (oh, top), (ow, left) = (padding_of(x.shape[2], window[0], stride, same),
                             padding_of(x.shape[3], window[1], stride, same))
    rows, columns = (oh - 1) * stride + window[0], (ow - 1) * stride + window[1]
    big = np.zeros((x.shape[0], x.shape[1], max(rows, top + x.shape[2]), max(columns, left + x.shape[3])))
    big[:, :, top:top + x.shape[2], left:left + x.shape[3]] = x
    return big, oh, ow


def conv_loop(x, w, b, stride, same):
    xp, oh, ow = _padded(x, w.shape[2:], stride, same)
    z = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for n, c, i, j, k, p, q in product(*map(range, (x.shape[0], w.shape[0], oh, ow, w.shape[1], *w.shape[2:]))):
        z[n, c, i, j] += xp[n, k, stride * i + p, stride * j + q] * w[c, k, p, q]
    return z + b[None, :, None, None]


def conv_vjp_loop(x, w, g, stride, same):
    """(dX, dW, db): the upstream gradient scattered back through each product of the definition."""
    xp, oh, ow = _padded(x, w.shape[2:], stride, same)
    _, top = padding_of(x.shape[2], w.shape[2], stride, same)
    _, left = padding_of(x.shape[3], w.shape[3], stride, same)
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for n, c, i, j, k, p, q in product(*map(range, (x.shape[0], w.shape[0], oh, ow, w.shape[1], *w.shape[2:]))):
        dxp[n, k, stride * i + p, stride * j + q] += g[n, c, i, j] * w[c, k, p, q]
        dw[c, k, p, q] += g[n, c, i, j] * xp[n, k, stride * i + p, stride * j + q]
    return dxp[:, :, top:top + x.shape[2], left:left + x.shape[3]], dw, g.sum(axis=(0, 2, 3))


def first_max_indicator(window: np.ndarray) -> np.ndarray:
    """1 at the first maximum of ``window`` in row-major order, 0 elsewhere."""
    flat = window.ravel()
    best = 0
    for position in range(flat.size):
        if flat[position] > flat[best]:
            best = position
    indicator = np.zeros(flat.size)
    indicator[best] = 1
    return indicator.reshape(window.shape)


def pool_loop(x, size, stride, same, kind):
    """Average (zeros of the padding counted) or maximum over each window (valid windows only)."""
    xp, oh, ow = _padded(x, (size, size), stride, same)
    z = np.zeros((x.shape[0], x.shape[1], oh, ow))
    for n, c, i, j in product(*map(range, z.shape)):
        window = xp[n, c, stride * i:stride * i + size, stride * j:stride * j + size]
        z[n, c, i, j] = window.max() if kind == "max" else window.sum() / size ** 2
    return z


def pool_vjp_loop(x, g, size, stride, same, kind):
    xp, oh, ow = _padded(x, (size, size), stride, same)
    _, top = padding_of(x.shape[2], size, stride, same)
    _, left = padding_of(x.shape[3], size, stride, same)
    dxp = np.zeros_like(xp)
    for n, c, i, j in product(*map(range, g.shape)):
        rows, columns = slice(stride * i, stride * i + size), slice(stride * j, stride * j + size)
        if kind == "max":
            dxp[n, c, rows, columns] += g[n, c, i, j] * first_max_indicator(xp[n, c, rows, columns])
        else:
            dxp[n, c, rows, columns] += g[n, c, i, j] / size ** 2
    return dxp[:, :, top:top + x.shape[2], left:left + x.shape[3]]


class _Integral:
    """An array read at indices SymPy printed as floats (``(h + r - 1)/2``), each checked to be whole."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __getitem__(self, indices):
        whole = tuple(int(round(float(a))) for a in indices)
        assert all(abs(float(a) - v) < 1e-9 for a, v in zip(indices, whole)), indices
        return self.array[whole]


def evaluate(form, arrays: dict, shape: tuple) -> np.ndarray:
    """The derived ``form`` at every entry of an array of ``shape``: its sum run over limits, conditions tested.

    The batch size ``N`` is the number of rows of the upstream gradient ``G``.
    """
    batch = {N: arrays["G"].shape[0]}
    form = replace(form, limits=tuple((v, lo, sympify(hi).xreplace(batch)) for v, lo, hi in form.limits))
    free = form.target.indices
    summed = [limit[0] for limit in form.limits]
    symbols = list(free) + summed
    condition = lambdify(symbols, And(*form.conditions), modules=["numpy"])
    names = sorted(arrays)
    bases = [IndexedBase(name, real=True) for name in names]
    summand = lambdify(symbols + bases, form.summand, modules=["numpy"])
    spans = [range(int(low), int(high) + 1) for _, low, high in form.limits]
    wrapped = [_Integral(arrays[name]) for name in names]
    result = np.zeros(shape)
    for at in product(*map(range, shape)):
        total = 0.0
        for inner in product(*spans):
            values = (*at, *inner)
            if condition(*values):
                total += summand(*values, *wrapped)
        result[at] = total
    return result
