"""A matrix of bad arguments for every function of a network module, each call judged against a reference.

A call either raises a clear error (a ValueError naming the argument, or a
FloatingPointError naming the cost or gradient), or returns a value that is
compared with a reference: the same call on a float64 copy of the same
numbers (for lists, other dtypes and non-contiguous arrays, whose numbers
convert exactly), the clean rows' results for a NaN or an infinity in one
row (the others must not change; forward works row by row, and a NaN row
stays NaN), for a cost a NaN or infinity that shows, else for an infinity
the same call with a large finite number in its place.  Any other exception is a crash; any other
value a wrong answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Each kind of bad argument: clean array -> (bad argument, the float64 numbers it stands for or None).
KINDS: dict[str, Callable[[np.ndarray], tuple[object, np.ndarray | None]]] = {
    "nan": lambda a: (_with(a, np.nan), None),
    "inf": lambda a: (_with(a, np.inf), None),
    "empty": lambda a: (a[:0], None),
    "wrong shape": lambda a: (a[:, :-1] if a.shape[1] > 1 else np.hstack([a, a]), None),
    "1-D": lambda a: (a[:, 0], None),
    "3-D": lambda a: (a[:, :, None], None),
    "int": lambda a: (np.round(a * 4).astype(np.int64), np.round(a * 4)),
    "float16": lambda a: (a.astype(np.float16), a.astype(np.float16).astype(np.float64)),
    "float32": lambda a: (a.astype(np.float32), a.astype(np.float32).astype(np.float64)),
    "list": lambda a: (a.tolist(), a),
    "non-contiguous": lambda a: (np.repeat(a, 2, axis=1)[:, ::2], a),
}

#: The row a NaN or an infinity is put in: the last.
BAD_ROW = -1
#: A finite stand-in for infinity, for the limit a result with an infinite argument must equal.
LARGE = 1e300


def _with(array: np.ndarray, value: float) -> np.ndarray:
    bad = array.copy()
    bad[BAD_ROW, 0] = value
    return bad


@dataclass(frozen=True)
class Call:
    """One function of the module: ``run(arguments)`` calls it, ``arrays`` are the clean arguments it may spoil.

    ``rows``: its result is an array or dict of arrays computed row by row
    (forward in inference mode); ``cost``: its result is one cost.
    """

    name: str
    run: Callable[[dict], object]
    arrays: dict[str, np.ndarray]
    rows: bool = False
    cost: bool = False


@dataclass(frozen=True)
class Outcome:
    call: str
    argument: str
    kind: str
    verdict: str  # "correct", "clear error", "crash" or "wrong"
    detail: str


def judge(call: Call, argument: str, kind: str) -> Outcome:
    """Run ``call`` with ``argument`` spoiled as ``kind`` and judge what it does."""
    bad, numbers = KINDS[kind](call.arrays[argument])
    try:
        with np.errstate(all="ignore"):
            result = call.run({**call.arrays, argument: bad})
    except (ValueError, FloatingPointError) as error:
        clear = _names(error, argument)
        verdict = "clear error" if clear else "crash"
        return Outcome(call.name, argument, kind, verdict, f"{type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 - anything else is what the matrix counts
        return Outcome(call.name, argument, kind, "crash", f"{type(error).__name__}: {error}")
    correct = _agrees(call, argument, kind, result, numbers)
    return Outcome(call.name, argument, kind, "correct" if correct else "wrong", "returned")


def _names(error: Exception, argument: str) -> bool:
    """A clear error names the argument (``x: expected ...``), or the cost or gradient that is not finite."""
    text = str(error)
    if isinstance(error, FloatingPointError):
        return "cost is" in text or "the gradient" in text
    return f"{argument}:" in text or f"{argument} " in text


def _agrees(call: Call, argument: str, kind: str, result: object, numbers: np.ndarray | None) -> bool:
    if numbers is not None:
        with np.errstate(all="ignore"):
            expected = call.run({**call.arrays, argument: numbers.copy()})
        return _equal(result, expected)
    if kind in ("nan", "inf") and call.cost:
        return not np.isfinite(result)
    if kind == "inf" and not call.rows:
        # The limit: the same call with the infinity replaced by a large finite number.
        with np.errstate(all="ignore"):
            expected = call.run({**call.arrays, argument: _with(call.arrays[argument], LARGE)})
        return _equal(result, expected)
    if kind in ("nan", "inf") and call.rows:
        expected = call.run(call.arrays)
        return all(
            np.array_equal(np.delete(got, BAD_ROW, axis=0), np.delete(want, BAD_ROW, axis=0))
            and (kind == "inf" or not np.any(np.isfinite(got[BAD_ROW])))
            for got, want in _pairs(result, expected)
        )
    return False


def _pairs(result: object, expected: object) -> list[tuple[np.ndarray, np.ndarray]]:
    """Matching arrays of two results: dicts key by key (recursively through tuples), else the values."""
    if isinstance(result, dict):
        return [pair for key in expected for pair in _pairs(result[key], expected[key])]
    if isinstance(result, tuple):
        return [pair for got, want in zip(result, expected) for pair in _pairs(got, want)]
    return [(np.asarray(result), np.asarray(expected))]


def _equal(result: object, expected: object) -> bool:
    pairs = _pairs(result, expected)
    return all(
        got.shape == want.shape and (
            got.tolist() == want.tolist() if got.dtype == object  # None: fit's best epoch without validation
            else np.allclose(got, want, rtol=1e-12, atol=0, equal_nan=True)
        )
        for got, want in pairs
    )


def matrix(calls: list[Call]) -> list[Outcome]:
    """Every call with every one of its arguments spoiled in every way."""
    return [judge(call, argument, kind) for call in calls for argument in call.arrays for kind in KINDS]
