"""Every catalogue initialiser: shape, determinism, and the scale the literature gives.

Expected variances are the published ones (Glorot & Bengio 2010: 2/(fan_in +
fan_out); He et al. 2015: 2/fan_in), checked on large samples.
"""

import numpy as np
import pytest
from sympy import sqrt

import derive.catalog.initializers
from derive.catalog.initializers import FAN_IN, _uniform_variance, uniform
from derive.catalog.registry import CATALOG
from generated import initializers

INITIALIZERS = CATALOG.names("initializer")
SHAPE = (300, 500)  # (units, inputs): fan_out = 300, fan_in = 500
PUBLISHED_VARIANCE = {
    "glorot_normal": 2 / (500 + 300), "glorot_uniform": 2 / (500 + 300),
    "he_normal": 2 / 500, "he_uniform": 2 / 500,
    "random_normal": 0.05**2, "random_uniform": 0.05**2 / 3,
}


def test_catalogue_has_the_course_initialisers():
    assert set(PUBLISHED_VARIANCE) | {"zeros", "ones"} <= set(INITIALIZERS)


@pytest.mark.parametrize("name", INITIALIZERS)
def test_returns_a_float64_array_of_the_requested_shape(name):
    w = getattr(initializers, name)((3, 7), np.random.default_rng(0))
    assert w.shape == (3, 7) and w.dtype == np.float64


@pytest.mark.parametrize("name", INITIALIZERS)
def test_same_seed_gives_the_same_weights(name):
    first = getattr(initializers, name)((4, 5), np.random.default_rng(42))
    second = getattr(initializers, name)((4, 5), np.random.default_rng(42))
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("name", sorted(PUBLISHED_VARIANCE))
def test_sample_variance_is_the_published_variance(name):
    w = getattr(initializers, name)(SHAPE, np.random.default_rng(1))
    # 150000 draws: the sample variance is within 1% of the true one with overwhelming odds.
    assert w.var() == pytest.approx(PUBLISHED_VARIANCE[name], rel=0.02)
    assert abs(w.mean()) < 0.02 * np.sqrt(PUBLISHED_VARIANCE[name])  # the mean's own spread is 0.003 of that


@pytest.mark.parametrize("name, limit", [("glorot_uniform", np.sqrt(6 / 800)), ("he_uniform", np.sqrt(6 / 500))])
def test_uniform_weights_stay_within_the_published_limit(name, limit):
    w = getattr(initializers, name)(SHAPE, np.random.default_rng(2))
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit


@pytest.mark.parametrize("name, value", [("zeros", 0.0), ("ones", 1.0)])
def test_constant_initialisers_fill_with_their_value(name, value):
    assert np.all(getattr(initializers, name)((2, 3), np.random.default_rng(0)) == value)


def test_the_uniform_variance_is_derived_once_for_every_uniform_initialiser(monkeypatch):
    derived = []
    variance = derive.catalog.initializers.variance
    monkeypatch.setattr(derive.catalog.initializers, "variance", lambda d: derived.append(d) or variance(d))
    _uniform_variance.cache_clear()
    limits = [uniform(name, 2 / FAN_IN, doc="").scale for name in ("first", "second")]
    _uniform_variance.cache_clear()
    assert (len(derived), limits) == (1, [sqrt(6 / FAN_IN)] * 2)  # Var(U(-a, a)) = a**2/3
