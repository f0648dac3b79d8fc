"""``codegen/runtime/network_passes.py`` runs as written: the printed passes put together, on a hand-written network."""

import numpy as np
import pytest

from codegen.runtime.network_passes import _cost, _training_pass, predict
from runtime_network import LINEAR, bind, data, params


@pytest.fixture
def linear(monkeypatch):
    bind(monkeypatch, **LINEAR)


def test_training_pass_returns_the_cache_the_cost_and_the_gradients(linear):
    x, y = data()
    p = params()
    cache, cost, grads = _training_pass(p, x, y)
    out = x @ p["w"].T + p["b"]
    assert np.allclose(cache["out"], out)
    assert cost == pytest.approx(0.5 * np.mean((out - y) ** 2))
    assert np.allclose(grads["db"], np.mean(out - y))


def test_training_pass_refuses_a_nan_cost(linear):
    x, y = data()
    with pytest.raises(FloatingPointError, match="the cost is nan"):
        _training_pass(params(b=[[np.nan]]), x, y)


def test_training_pass_draws_from_the_rng_it_is_given(monkeypatch, linear):
    seen = []
    bind(monkeypatch, forward=lambda p, x, training=False, rng=None: seen.append((training, rng)) or {"out": x[:, :1]})
    _training_pass(params(), *data(), rng=7)
    assert seen == [(True, 7)]


def test_cost_adds_the_penalty_to_the_loss(monkeypatch, linear):
    x, y = data()
    bind(monkeypatch, penalty=lambda p: 0.25)
    p = params()
    assert _cost(p, x, y) == pytest.approx(0.5 * np.mean((x @ p["w"].T + p["b"] - y) ** 2) + 0.25)


def test_predict_returns_the_output_of_forward(linear):
    x, _ = data()
    assert np.allclose(predict(params(), x), x @ np.array([[0.5], [-0.25]]) + 0.1)


def test_predict_with_check_finite_refuses_a_nan_input(linear):
    x, _ = data()
    x[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"x: expected finite numbers, got nan at \(2, 1\)"):
        predict(params(), x, check_finite=True)


def test_predict_refuses_inputs_of_the_wrong_width(linear):
    with pytest.raises(ValueError, match=r"x: expected an array of shape \(N, 2\), got shape \(4, 3\)"):
        predict(params(), np.zeros((4, 3)))
