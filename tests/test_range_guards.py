"""Derive level: an index-range guard is dropped only when every index in range meets it."""

import pytest
from sympy import Eq, Piecewise, Symbol

from derive.core.indexing import drop_range_guards
from derive.core.symbols import C, N, i, j, n

VALUE = Symbol("value")


def guarded(condition):
    return Piecewise((VALUE, condition), (0, True))


@pytest.mark.parametrize("condition", [(0 <= j) & (j <= C - 1), j < C, n <= N - 1, i >= 0], ids=str)
def test_guard_every_index_in_range_meets_is_dropped(condition):
    assert drop_range_guards(guarded(condition)) == VALUE


@pytest.mark.parametrize("condition", [Eq(i, j), i > 5, j <= C - 2, n < N - 1, (0 <= j) & (j <= N - 1)], ids=str)
def test_guard_some_index_in_range_fails_is_kept(condition):
    expr = guarded(condition)
    assert drop_range_guards(expr) == expr


def test_piecewise_with_a_nonzero_default_is_kept():
    expr = Piecewise((VALUE, j <= C - 1), (1, True))
    assert drop_range_guards(expr) == expr
