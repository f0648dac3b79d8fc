"""Reference values of the generated catalogue functions, from their SymPy definitions alone.

Each definition in ``derive/`` (not a form the code evaluates) is written out
for the shape at hand, differentiated with ``sympy.diff`` where a derivative
is asked for, and evaluated with mpmath at 30 digits.  An activation at
``x = ±inf`` takes ``sympy.limit`` of the definition (or its derivative),
computed here as ``x = ±X`` with ``X`` positive going to ``oo``.
"""

from functools import cache

import mpmath
import numpy as np
from sympy import Symbol, diff, lambdify, limit, oo

from derive.catalog.registry import CATALOG
from derive.catalog.penalties import STRENGTH
from derive.core.symbols import C, N, i, n, x
from derive.core.spelt_out import spelt_out

__all__ = ["activation", "limit_at", "vector", "vector_jacobian_product", "loss", "penalty"]

_X = Symbol("X", positive=True)


def limit_at(expr, sign: int) -> float:
    """``sympy.limit`` of ``expr`` (in ``x``) as ``x`` goes to ``sign * oo``, as a float."""
    return float(limit(expr.subs(x, sign * _X), _X, oo))


def _defaults(item) -> dict:
    return {p.symbol: p.default for p in getattr(item, "params", ())}


@cache
def _activation_expr(name: str, derivative: bool):
    item = CATALOG.get(name)
    expr = item.definition.subs(_defaults(item))
    return diff(expr, x) if derivative else expr


@cache
def _activation_function(name: str, derivative: bool):
    return lambdify(x, spelt_out(_activation_expr(name, derivative)), modules="mpmath")


def activation(name: str, values: np.ndarray, derivative: bool) -> np.ndarray:
    """f(x) or f'(x) entry by entry; NaN for NaN, the limit for ±inf."""
    result = np.empty(np.shape(values))
    function = _activation_function(name, derivative)
    for index, value in np.ndenumerate(np.asarray(values, dtype=np.float64)):
        if np.isnan(value):
            result[index] = np.nan
        elif np.isinf(value):
            result[index] = limit_at(_activation_expr(name, derivative), int(np.sign(value)))
        else:
            with mpmath.workdps(30):
                result[index] = float(function(mpmath.mpf(value)))
    return result


def _entries(base, rows: int, columns: int) -> list:
    return [base[r, c] for r in range(rows) for c in range(columns)]


def _evaluate(exprs: list, symbols: list, values: list[np.ndarray]) -> np.ndarray:
    """``exprs`` at ``symbols`` = the flattened ``values``, at 30 digits."""
    function = lambdify(symbols, [spelt_out(e) for e in exprs], modules="mpmath")
    flat = [mpmath.mpf(float(v)) for array in values for v in np.ravel(array)]
    with mpmath.workdps(30):
        return np.array([float(mpmath.re(v)) if mpmath.im(v) == 0 else np.nan for v in function(*flat)])


@cache
def _vector_rows(name: str, columns: int) -> tuple:
    """The outputs of one row (row 0) over ``columns`` features, in the row's input entries."""
    item = CATALOG.get(name)
    definition = item.definition.subs(C, columns)
    outputs = [definition.subs({n: 0, i: c}).doit() for c in range(columns)]
    return item.inputs, outputs


def vector(name: str, values: np.ndarray, derivative: bool) -> np.ndarray:
    """The vector function row by row, or its Jacobian diagonal ``ds_i/dx_i``."""
    rows, columns = values.shape
    inputs, outputs = _vector_rows(name, columns)
    entries = _entries(inputs, 1, columns)
    exprs = [diff(s, inputs[0, c]) for c, s in enumerate(outputs)] if derivative else outputs
    return np.array([_evaluate(exprs, entries, [row]) for row in values]).reshape(rows, columns)


def vector_jacobian_product(name: str, values: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """``sum_i g_i ds_i/dx_j`` row by row, from the explicit Jacobian."""
    rows, columns = values.shape
    inputs, outputs = _vector_rows(name, columns)
    g = [Symbol(f"g{c}") for c in range(columns)]
    exprs = [sum(g[c] * diff(s, inputs[0, j]) for c, s in enumerate(outputs)) for j in range(columns)]
    entries = _entries(inputs, 1, columns) + g
    return np.array([_evaluate(exprs, entries, [row, up]) for row, up in zip(values, upstream)]).reshape(
        rows, columns)


def _explicit(cost, rows: int, columns: int):
    return cost.subs({N: rows, C: columns}).doit()


def loss(name: str, targets: np.ndarray, predictions: np.ndarray, derivative: bool) -> np.ndarray:
    """The cost (a 0-d array) or its gradient by ``sympy.diff`` of the written-out cost."""
    item = CATALOG.get(name)
    rows, columns = predictions.shape
    cost = _explicit(item.cost.subs(_defaults(item)), rows, columns)
    p, y = _entries(item.predictions, rows, columns), _entries(item.targets, rows, columns)
    exprs = [diff(cost, entry) for entry in p] if derivative else [cost]
    result = _evaluate(exprs, y + p, [targets, predictions])
    return result.reshape(predictions.shape) if derivative else result.reshape(())


def penalty(name: str, weights: np.ndarray, strength: float, derivative: bool) -> np.ndarray:
    """The penalty (a 0-d array) or its gradient, from the written-out cost."""
    item = CATALOG.get(name)
    rows, columns = weights.shape
    cost = _explicit(item.cost, rows, columns)
    w = _entries(item.weights, rows, columns)
    exprs = [diff(cost, entry) for entry in w] if derivative else [cost]
    result = _evaluate(exprs, w + [STRENGTH], [weights, np.array([strength])])
    return result.reshape(weights.shape) if derivative else result.reshape(())
