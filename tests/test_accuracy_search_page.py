"""docs/accuracy_search.md states the search as the code runs it: its rules, its sample and its depth."""

import re
from pathlib import Path

import pytest
from sympy import Piecewise, Rational, tanh

from derive.core.symbols import x
from derive.stability.rules import RULES, pattern_symbols
from derive.stability.sample import SEARCH_POINTS, WELL_CONDITIONED
from derive.stability.score import ACCURATE_ULPS
from derive.stability.search import BEAM, DEPTH, most_accurate
from derive.stability.series import ORDER

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "accuracy_search.md").read_text(encoding="utf-8")
#: The page's prose with its line breaks as spaces, for phrases that wrap.
TEXT = " ".join(PAGE.split())


def test_the_rules_table_lists_every_rule_of_the_database_as_it_reads():
    rows = re.findall(r"^\| ([^|`]+) \| `([^`]+)` \| `([^`]+)` \|$", PAGE, flags=re.MULTILINE)
    expected = []
    for rule in RULES:
        symbols = pattern_symbols(rule)
        expected.append((rule.name, str(rule.before.xreplace(symbols)), str(rule.after.xreplace(symbols))))
    assert rows == expected


def test_the_page_states_the_number_of_rules():
    assert f"{len(RULES)} rules over three steps" in TEXT


def test_the_page_states_the_sample_size_to_ten_points():
    assert f"about {round(len(SEARCH_POINTS), -1):,} float64 points" in TEXT


def test_the_page_states_the_depth_and_the_beam():
    assert (DEPTH, BEAM) == (3, 3) and "Three steps deep, keeping the best three forms" in TEXT


def test_the_page_states_the_targets():
    assert (WELL_CONDITIONED, ACCURATE_ULPS) == (16.0, 4.0)
    assert "Where it is at most 16" in TEXT and "within 4 ulp" in TEXT


def test_the_page_states_the_order_of_the_taylor_polynomial():
    assert ORDER - 1 == 17 and "to x¹⁷" in TEXT


@pytest.fixture(scope="module")
def tanhshrink():
    return most_accurate(x - tanh(x), x, "activation 'tanhshrink'", "f")


def test_the_taylor_branch_of_x_minus_tanh_x_ends_at_an_eighth_as_the_page_says(tanhshrink):
    assert isinstance(tanhshrink.form, Piecewise)
    (_, condition), _ = tanhshrink.pieces
    assert condition.rhs == Rational(1, 8) and "|x| = 1/8" in TEXT


def test_x_minus_tanh_x_misses_the_target_beyond_the_taylor_branch_as_the_page_says(tanhshrink):
    assert tanhshrink.shortfall is not None
    assert all(Rational(1, 8) < abs(point) < 0.7 for point in tanhshrink.accuracy.inaccurate_at)
