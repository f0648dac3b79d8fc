"""Join two forms at a split point where neither serves the whole line (Herbie's regime inference).

``log(cosh(x))`` needs ``log1p(2 sinh(x/2)²)`` near 0, where the other
forms cancel, and ``|x| + log1p(exp(-2|x|)) - log 2`` in the tails, where
``sinh`` overflows.  For each pair of candidate forms, the split point
``c`` that leaves the fewest bad points (failures and inaccurate points)
is found from the candidates' own scores: one form where ``|x| <= c`` (or
``x <= c``), the other elsewhere.  The joined form is then measured like any
other, with its branch inputs clipped (``branch_clips``) so the branch
``np.where`` discards stays finite.
"""

import math
from collections.abc import Callable

import numpy as np
from sympy import Abs, Expr, Float, Integer, Piecewise, Symbol, true

from derive.stability.branch_clips import clip_branches
from derive.stability.sample import Sample
from derive.stability.score import Score

__all__ = ["best_split", "simple_between"]

#: A split, as the form of each side with its condition, the joined form, and its score.
Split = tuple[tuple[tuple[object, object], ...], Expr, Score]


def _bad(accuracy: Score, points: np.ndarray) -> np.ndarray:
    return np.isin(points, np.array(accuracy.failing + accuracy.inaccurate_at))


def _best_threshold(inside_bad: np.ndarray, outside_bad: np.ndarray, key: np.ndarray) -> tuple[float, int]:
    """The value ``c`` of ``key`` minimising bad points with the inside form where ``key <= c``."""
    order = np.argsort(key, kind="stable")
    keys, inside, outside = key[order], inside_bad[order], outside_bad[order]
    # Bad points when the inside form covers the first k points: inside bad among them, outside bad after.
    counts = np.concatenate([[0], np.cumsum(inside)]) + np.concatenate([np.cumsum(outside[::-1])[::-1], [0]])
    # A split falls between two distinct keys (|x| has each magnitude twice).
    between = np.concatenate([[True], keys[:-1] < keys[1:], [True]])
    k = int(np.argmin(np.where(between, counts, np.iinfo(np.int64).max)))
    low = float(keys[k - 1]) if k > 0 else float(keys[0]) - 1.0
    high = float(keys[k]) if k < len(keys) else low + 1.0
    return simple_between(low, high), int(counts[k])


def simple_between(low: float, high: float) -> Expr:
    """The shortest binary number ``c`` with ``low <= c < high``: a power of two above 2**53, else an integer
    if one fits, else ``k/2**m``."""
    if not math.isfinite(low) or abs(low) >= 2.0**1000:
        return Float(low)
    if low >= 2.0**53:
        power = 2.0 ** math.ceil(math.log2(low))
        return Integer(2) ** int(math.log2(power)) if power < high else Float(low)
    for m in range(0, 1075):
        scaled = math.ceil(math.ldexp(low, m))
        candidate = math.ldexp(scaled, -m)
        if candidate < high:
            return Integer(scaled) / 2**m
    return Float(low)


def best_split(candidates: list[tuple[object, Score]], x: Symbol, measured: Sample,
               rated: Callable[[Expr], Score]) -> Split | None:
    """The best join of two ``(derivation, score)`` candidates at one split point, if any improves on the first."""
    points = measured.points
    best: tuple[int, object, object, Expr] | None = None
    first_bad = _bad(candidates[0][1], points).sum()
    for inside, inside_score in candidates:
        for outside, outside_score in candidates:
            if inside is outside:
                continue
            for key, variable in ((np.abs(points), Abs(x)), (points, x)):
                threshold, bad = _best_threshold(_bad(inside_score, points), _bad(outside_score, points), key)
                if bad < first_bad and (best is None or bad < best[0]):
                    best = (bad, inside, outside, variable <= threshold)
    if best is None:
        return None
    _, inside, outside, condition = best
    joined = clip_branches(Piecewise((inside.form, condition), (outside.form, true)), x)
    return ((inside, condition), (outside, true)), joined, rated(joined)
