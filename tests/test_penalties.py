"""Every catalogue penalty: its gradient is the gradient of its cost; L1's at 0 is 0."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from derive.catalog.registry import CATALOG
from finite_differences import gradient
from generated import penalties

PENALTIES = CATALOG.names("penalty")
# The penalties as written in a from-scratch course, for an independent check.
PLAIN = {"l1": lambda w, s: s * np.sum(np.abs(w)), "l2": lambda w, s: 0.5 * s * np.sum(w**2)}


def test_catalogue_has_l1_and_l2():
    assert {"l1", "l2"} <= set(PENALTIES)


@pytest.mark.parametrize("name", PENALTIES)
@given(seed=st.integers(0, 2**32 - 1), strength=st.floats(0.0, 10.0))
def test_gradient_equals_central_finite_differences_of_cost(name, seed, strength):
    w = np.random.default_rng(seed).normal(size=(3, 4))
    w[np.abs(w) < 1e-3] = 0.5  # away from L1's kink, where differences straddle it
    function = getattr(penalties, name)
    expected = gradient(lambda v: function(v, strength), w)
    np.testing.assert_allclose(function(w, strength, derivative=True), expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_cost_equals_the_course_formula(name):
    w = np.array([[0.5, -2.0], [0.0, 3.0]])
    assert getattr(penalties, name)(w, 0.1) == pytest.approx(PLAIN[name](w, 0.1), rel=1e-15)


def test_l1_gradient_at_zero_is_zero():
    assert penalties.l1(np.array([[0.0, -1.0]]), 2.0, derivative=True).tolist() == [[0.0, -2.0]]
