"""Every generated catalogue function called on bad and unusual input, each call judged.

A call is *correct* when it returns the reference value (``catalogue_reference``)
in the expected dtype and shape, *refused* when it raises a ValueError or
TypeError whose message starts with the function's name, a *crash* when it
raises anything else or warns, and *wrong* when it returns anything else.
The modules are parameters, so the same calls judge any version of the code.
"""

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

import catalogue_reference as reference
from derive.catalog.registry import CATALOG

__all__ = ["Call", "calls", "judge"]

X = np.array([[-1.5, 0.25, 2.0], [0.5, -0.75, 1.0]])
UPSTREAM = np.array([[0.3, -1.0, 0.5], [1.5, 0.2, -0.4]])
TARGETS = np.array([[0.0, 1.0, 0.25], [1.0, 0.0, 0.5]])
PROBABILITIES = np.array([[0.2, 0.5, 0.7], [0.9, 0.1, 0.4]])
INTEGERS = {"x": np.array([[-1, 0, 2], [1, -2, 3]]), "targets": np.array([[0, 1, 1], [1, 0, 0]]),
            "probabilities": np.array([[0, 1, 1], [1, 0, 0]])}
STRENGTH = 0.1


def _nan(a):
    a = np.array(a, dtype=np.float64)
    a[0, 1] = np.nan
    return a


def _inf(a):
    a = np.array(a, dtype=np.float64)
    a[0, 1], a[1, 2] = np.inf, -np.inf
    return a


def _non_contiguous(a):
    return np.repeat(a, 2, axis=1)[:, ::2]


#: Case name -> (how the primary argument changes, how every other argument changes).
CASES: dict[str, tuple[Callable, Callable]] = {
    "float64": (lambda a: a, lambda a: a),
    "nan": (_nan, lambda a: a),
    "inf": (_inf, lambda a: a),
    "empty": (lambda a: a[:0], lambda a: a[:0]),
    "1-D": (lambda a: a[0], lambda a: a[0]),
    "mismatched shape": (lambda a: a, lambda a: a[:, :1]),
    "int": (None, None),  # integer arrays of their own, below
    "float16": (lambda a: a.astype(np.float16), lambda a: a.astype(np.float16)),
    "float32": (lambda a: a.astype(np.float32), lambda a: a.astype(np.float32)),
    "list": (lambda a: a.tolist(), lambda a: a.tolist()),
    "3-D": (lambda a: a[:, :, None], lambda a: a[:, :, None]),
    "non-contiguous": (_non_contiguous, _non_contiguous),
    "0-d": (lambda a: a[0, 0], lambda a: a[0, 0]),
    "complex": (lambda a: a.astype(complex), lambda a: a.astype(complex)),
    "text": (lambda a: [["a", "b"]], lambda a: a),
}


@dataclass(frozen=True)
class Call:
    """One call: ``function(*arguments, derivative=derivative, **keywords)`` and its reference."""

    label: str
    function: Callable
    arguments: tuple
    keywords: dict
    expected: Callable[[tuple], np.ndarray | None]
    dtype_of: int  # index of the argument whose dtype the result takes

    def run(self):
        return self.function(*self.arguments, **self.keywords)


def _float(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _reference_activation(name, derivative):
    return lambda args: reference.activation(name, _float(args[0]), derivative)


def _reference_vector(name, derivative):
    return lambda args: reference.vector(name, _float(args[0]), derivative)


def _reference_vjp(name):
    return lambda args: reference.vector_jacobian_product(name, _float(args[0]), _float(args[1]))


def _reference_loss(name, derivative):
    return lambda args: reference.loss(name, _float(args[0]), _float(args[1]), derivative)


def _reference_penalty(name, derivative):
    def expected(args):
        w = _float(args[0])
        value = reference.penalty(name, w.reshape(1, w.size), STRENGTH, derivative)
        return value.reshape(w.shape) if derivative else value

    return expected


def _arguments(case: str, primary: np.ndarray, others: tuple[np.ndarray, ...], integers: tuple) -> tuple:
    """The arguments of ``case``: the primary (x, predictions, weights) first in ``others``' order."""
    if case == "int":
        return integers
    change_primary, change_other = CASES[case]
    return tuple(change_primary(a) if a is primary else change_other(a) for a in others)


def calls(activations: ModuleType, losses: ModuleType, penalties: ModuleType) -> list[Call]:
    """Every catalogue function, with and without ``derivative``, on every case."""
    found = []
    for case in CASES:
        for derivative in (False, True):
            flag = {"derivative": derivative}
            for name in CATALOG.names("activation"):
                found.append(Call(
                    f"{name}{chr(39) * derivative} {case}", getattr(activations, name),
                    _arguments(case, X, (X,), (INTEGERS["x"],)), flag, _reference_activation(name, derivative), 0,
                ))
            for name in CATALOG.names("vector"):
                found.append(Call(
                    f"{name}{chr(39) * derivative} {case}", getattr(activations, name),
                    _arguments(case, X, (X,), (INTEGERS["x"],)), flag, _reference_vector(name, derivative), 0,
                ))
            for name in CATALOG.names("loss"):
                probability = CATALOG.get(name).inputs.prediction_range is not None
                predictions = PROBABILITIES if probability else X
                integers = (INTEGERS["targets"], INTEGERS["probabilities"] if probability else INTEGERS["x"])
                found.append(Call(
                    f"{name}{chr(39) * derivative} {case}", getattr(losses, name),
                    _arguments(case, predictions, (TARGETS, predictions), integers), flag,
                    _reference_loss(name, derivative), 1,
                ))
            for name in CATALOG.names("penalty"):
                found.append(Call(
                    f"{name}{chr(39) * derivative} {case}", getattr(penalties, name),
                    _arguments(case, X, (X,), (INTEGERS["x"],)), {"strength": STRENGTH, **flag},
                    _reference_penalty(name, derivative), 0,
                ))
        for name in CATALOG.names("vector"):
            found.append(Call(
                f"{name}_vjp {case}", getattr(activations, f"{name}_vjp"),
                _arguments(case, X, (UPSTREAM, X), (INTEGERS["x"], INTEGERS["x"]))[::-1], {},
                _reference_vjp(name), 0,
            ))
    return found


def _expected_dtype(argument) -> np.dtype:
    dtype = np.asarray(argument).dtype
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def _agrees(result: np.ndarray, expected: np.ndarray, dtype: np.dtype) -> bool:
    """NaN and ±inf exactly where the reference has them; elsewhere within a few ulps of ``dtype``
    at the scale of the array (two for float16, sixteen for float32 and float64)."""
    ulps = 2 if dtype == np.float16 else 16
    if not np.array_equal(np.isnan(result), np.isnan(expected)):
        return False
    infinite = np.isinf(expected)
    if not np.array_equal(np.isinf(result), infinite) or not np.array_equal(result[infinite], expected[infinite]):
        return False
    finite = np.isfinite(expected)
    if not finite.any():
        return True
    allowed = ulps * float(np.spacing(dtype.type(np.max(np.abs(expected[finite])))))
    return bool(np.all(np.abs(result[finite] - expected[finite]) <= allowed))


def _outcome(call: Call):
    """The result of the call, or ``(outcome, detail)`` when it raised or warned."""
    name = call.label.split(" ")[0].rstrip("'")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call.run()
        except (ValueError, TypeError) as error:
            if str(error).startswith(f"{name}:"):
                return "refused", str(error)
            return "crash", f"unclear {type(error).__name__}: {error}"
        except Exception as error:  # noqa: BLE001 - any other exception is what is counted
            return "crash", f"{type(error).__name__}: {error}"
    if caught:
        return "crash", f"warned: {caught[0].message}"
    return result


def judge(call: Call) -> tuple[str, str]:
    """``(outcome, detail)``: outcome is correct, refused, crash or wrong.

    At a NaN input the result must be NaN where the input is (a cost: NaN);
    a row-wise function's rows holding a NaN are not otherwise compared,
    since their entries may depend on the unknown value.
    """
    outcome = _outcome(call)
    if isinstance(outcome, tuple):
        return outcome
    result = np.asarray(outcome)
    try:
        expected = np.asarray(call.expected(call.arguments), dtype=np.float64)
        inputs = [np.asarray(a, dtype=np.float64) for a in call.arguments]
    except (ValueError, TypeError, ZeroDivisionError, IndexError):
        return "wrong", f"returned {result!r} where the definition has no value"
    dtype = _expected_dtype(call.arguments[call.dtype_of])
    if result.dtype != dtype:
        return "wrong", f"dtype {result.dtype}, expected {dtype}"
    if result.shape != expected.shape:
        return "wrong", f"shape {result.shape}, expected {expected.shape}"
    result = result.astype(np.float64)
    nans = [np.isnan(a) for a in inputs if np.isnan(a).any()]
    if not nans and np.isnan(expected).any():
        return "wrong", f"returned {result.tolist()} where the definition has no value"
    if nans and result.ndim == 0:
        return ("correct", "NaN") if np.isnan(result) else ("wrong", f"{result} from a NaN input")
    if any(m.shape == result.shape and not np.isnan(result[m]).all() for m in nans):
        return "wrong", f"returned {result.tolist()}: a number where the input is NaN"
    if nans and not call.label.startswith(_ELEMENTWISE):
        clean = ~np.logical_or.reduce([m.any(axis=1) for m in nans])
        result, expected = result[clean], expected[clean]
    if _agrees(result, expected, dtype):
        return "correct", ""
    return "wrong", f"returned {result.tolist()}, expected {expected.tolist()}"


#: Labels of elementwise functions, judged entry by entry at NaN.
_ELEMENTWISE = tuple(
    f"{name}{mark} " for name in CATALOG.names("activation") + CATALOG.names("penalty") for mark in ("", "'")
)
