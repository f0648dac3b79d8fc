"""Evaluate a form in float64 as generated code does, with floating-point warnings as errors.

The same operations as the printed code, so the same overflows and the
same warnings; a product may round in another order than the array
printer writes it, one ulp at most (``tests/test_accuracy_search.py``).

The search measures candidate forms before any module is printed, so it
evaluates them with ``lambdify``: NumPy for SymPy's functions, and for
derive's own functions the forms the printers write (``FORMS``: ``Logistic``
by its computed form, ``NormalCDF`` by the Cephes fit), ``np.clip`` for a
``Clamp``, ``np.hypot`` and ``np.reciprocal`` for ``Hypot`` and ``Reciprocal``;
and, as the printers write it, a negative integer power as the reciprocal of
the positive power (``1/a**2``, which overflows where ``a**-2`` would not).
"""

import warnings
from collections.abc import Callable
from functools import cache

import numpy as np
from sympy import Expr, Function, Symbol, lambdify

from derive.core.operation_forms import expand_forms

__all__ = ["STRICT", "float64_function", "strict", "values_at"]

#: Floating-point errors that count as warnings; underflow does not (a correct result may be subnormal or 0).
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}
_FAILURES = (ArithmeticError, RuntimeWarning)


@cache
def float64_function(form: Expr, *variables: Symbol) -> Callable[..., np.ndarray]:
    """``form`` as a NumPy function of ``variables``, computing derive's functions as the printers do.

    A form using a function NumPy lacks (``erf``) gives NaN everywhere: no printer can write it.
    """
    namespace = {"Clamp": lambda value, bound: np.clip(value, -bound, bound), "Hypot": np.hypot,
                 "Reciprocal": np.reciprocal, "_inverse": lambda value: 1 / value}
    inverse = Function("_inverse")
    printed = expand_forms(form).replace(
        lambda e: e.is_Pow and e.exp.is_Integer and e.exp < -1, lambda e: inverse(e.base ** -e.exp))
    compiled = lambdify(variables, printed, modules=[namespace, "numpy"])

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        try:
            values = compiled(*arrays)
        except (TypeError, NameError):  # a function NumPy lacks (erf): the form cannot be computed at all
            return np.full(np.shape(arrays[0]), np.nan)
        return np.broadcast_to(np.asarray(values, dtype=np.float64), np.shape(arrays[0]))

    return evaluate


def strict(evaluate: Callable[..., np.ndarray], points: np.ndarray) -> np.ndarray:
    """``evaluate(points)`` with floating-point warnings raised as errors (underflow allowed).

    A two-dimensional ``points`` holds one argument per column.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(**STRICT):
            return evaluate(*points.T) if points.ndim == 2 else evaluate(points)


def values_at(evaluate: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> np.ndarray:
    """``evaluate`` at each point, NaN wherever it warned or raised (``points`` may be rows of arguments).

    A call that fails is split in halves until the failing points are
    isolated: a few dozen calls for a form that fails at a few points.
    """
    try:
        return np.array(strict(evaluate, points), dtype=np.float64)
    except _FAILURES:
        if len(points) == 1:
            return np.array([np.nan])
        middle = len(points) // 2
        return np.concatenate([values_at(evaluate, points[:middle]), values_at(evaluate, points[middle:])])
