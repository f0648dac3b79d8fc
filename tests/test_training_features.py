"""Batch normalisation, dropout and weight penalties in generated network modules.

Expected values are computed here from the definitions with NumPy (batch
mean and variance, masks of 0 and 1/(1 - p), penalties), or by SymPy on a
fully written-out small batch; never read from the generated code itself.
"""

import numpy as np
import pytest
from sympy import Rational, Symbol, diff, sqrt

from derive.layers.batch_norm import EPSILON, batch_norm
from derive.core.symbols import N, i, indexed, n
from network_modules import module_of, spec_of
from test_random_networks import random_params

EPS = float(EPSILON)


def network(**first_layer):
    """A 3 -> 4 (tanh, with ``first_layer``'s fields) -> 2 (linear) network with softmax NLL, built in memory."""
    layers = [{"units": 4, "activation": "tanh", **first_layer}, {"units": 2, "activation": "linear"}]
    return module_of(spec_of({"name": "net", "inputs": 3, "layers": layers, "loss": "softmax_neg_log_likelihood"}))


def data(rows=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(rows, 3)), np.eye(2)[rng.integers(0, 2, size=rows)]


# -- batch normalisation -------------------------------------------------------


def test_batch_norm_gradient_equals_sympy_differentiation_of_a_written_out_batch():
    rule = batch_norm("z", "G", mean="mean", variance="var", gamma="gamma")
    samples, gamma, beta = 3, Rational(3, 2), Rational(1, 5)
    z = [Symbol(f"z{r}", real=True) for r in range(samples)]
    upstream = [Rational(r + 2, 7) * (-1) ** r for r in range(samples)]
    mean = sum(z) / samples
    variance = sum((v - mean) ** 2 for v in z) / samples
    cost = sum(upstream[r] * (gamma * (z[r] - mean) / sqrt(variance + EPSILON) + beta) for r in range(samples))
    point = {z[0]: Rational(1, 3), z[1]: Rational(-2, 5), z[2]: Rational(7, 4)}
    known = {
        Symbol("gamma", real=True): gamma,
        Symbol("mean", real=True): mean.subs(point),
        Symbol("var", nonnegative=True): variance.subs(point),
        **{indexed("z")[r, i]: point[z[r]] for r in range(samples)},
        **{indexed("G")[r, i]: upstream[r] for r in range(samples)},
    }
    for row in range(samples):
        derived = rule.grad_input.subs({n: row, N: samples}).doit().subs(known)
        expected = diff(cost, z[row]).subs(point).evalf(30)
        assert abs(derived.evalf(30) - expected) < 1e-14 * abs(expected), (derived.evalf(30), expected)


def test_batch_norm_in_training_normalises_with_the_batch_statistics():
    module = network(batch_norm=True)
    params, (x, _) = module["init_params"](1), data()
    params.update(gamma1=np.full((1, 4), 1.5), beta1=np.full((1, 4), -0.5))
    cache = module["forward"](params, x, training=True)
    inp = x @ params["w1"].T
    expected = 1.5 * (inp - inp.mean(axis=0)) / np.sqrt(inp.var(axis=0) + EPS) - 0.5
    np.testing.assert_allclose(cache["bn1"], expected, rtol=1e-12, atol=1e-14)


def test_batch_norm_in_inference_normalises_with_the_running_statistics():
    module = network(batch_norm=True)
    params, (x, _) = module["init_params"](1), data()
    params.update(running_mean1=np.arange(4.0).reshape(1, 4), running_var1=np.full((1, 4), 4.0))
    cache = module["forward"](params, x)
    expected = (x @ params["w1"].T - np.arange(4.0)) / np.sqrt(4.0 + EPS)
    np.testing.assert_allclose(cache["bn1"], expected, rtol=1e-12, atol=1e-14)


def test_a_training_step_moves_the_running_statistics_towards_the_batch():
    module = network(batch_norm=True)
    params, (x, y) = module["init_params"](1), data()
    new, _ = module["train_step"](params, x, y)
    inp = x @ params["w1"].T
    np.testing.assert_allclose(new["running_mean1"], 0.1 * inp.mean(axis=0, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(new["running_var1"], 0.9 + 0.1 * inp.var(axis=0, keepdims=True), rtol=1e-12)


def test_batch_norm_scale_and_shift_are_trained_and_saved(tmp_path):
    module = network(batch_norm=True)
    params, (x, y) = module["init_params"](1), data()
    trained, _ = module["fit"](params, x, y, epochs=3, verbose=0)
    assert not np.array_equal(trained["gamma1"], params["gamma1"])
    module["save"](tmp_path / "net.npz", trained)
    loaded = module["load"](tmp_path / "net.npz")
    assert set(loaded) == set(trained) and all(np.array_equal(loaded[k], trained[k]) for k in trained)


def test_a_frozen_batch_normalised_layer_keeps_its_scale_and_shift():
    module = network(batch_norm=True, trainable=False)
    params, (x, y) = module["init_params"](1), data()
    trained, _ = module["fit"](params, x, y, epochs=2, verbose=0)
    assert np.array_equal(trained["gamma1"], params["gamma1"]) and np.array_equal(trained["beta1"], params["beta1"])


# -- dropout --------------------------------------------------------------------


def test_dropout_keeps_units_scaled_by_one_over_one_minus_p():
    module = network(dropout=0.25)
    params, (x, _) = module["init_params"](1), data(rows=2000)
    cache = module["forward"](params, x, training=True, rng=np.random.default_rng(3))
    assert set(np.unique(cache["mask1"])) == {0.0, 1 / 0.75}
    assert abs((cache["mask1"] > 0).mean() - 0.75) < 0.02
    np.testing.assert_array_equal(cache["h1_drop"], cache["h1"] * cache["mask1"])


def test_dropout_draws_nothing_in_inference():
    module = network(dropout=0.25)
    params, (x, _) = module["init_params"](1), data()
    rng = np.random.default_rng(3)
    before = rng.bit_generator.state
    cache = module["forward"](params, x, training=False, rng=rng)
    assert rng.bit_generator.state == before
    np.testing.assert_array_equal(cache["h1_drop"], cache["h1"])


def test_a_network_without_dropout_draws_nothing_in_training():
    module = network()
    params, (x, _) = module["init_params"](1), data()
    rng = np.random.default_rng(3)
    before = rng.bit_generator.state
    module["forward"](params, x, training=True, rng=rng)
    assert rng.bit_generator.state == before


def test_the_dropout_gradient_passes_only_through_kept_units():
    module = network(dropout=0.5)
    params, (x, y) = module["init_params"](1), data(rows=1)
    cache = module["forward"](params, x, training=True, rng=np.random.default_rng(5))
    dw1 = module["backward"](params, x, y, cache)["dw1"]
    dropped = cache["mask1"][0] == 0
    assert dropped.any() and not dropped.all()
    assert np.all(dw1[dropped] == 0) and np.all(dw1[~dropped] != 0)


def test_gradient_check_holds_with_dropout_masks_fixed_by_the_seed():
    module = network(dropout=0.5, batch_norm=True)
    params, (x, y) = random_params(module, np.random.default_rng(2)), data()
    assert max(module["gradient_check"](params, x, y, seed=7).values()) < 1e-6


def test_training_with_dropout_is_repeatable_from_a_seed():
    module = network(dropout=0.5)
    params, (x, y) = module["init_params"](1), data()
    first, _ = module["fit"](params, x, y, epochs=3, batch_size=4, shuffle=True, rng=11, verbose=0)
    second, _ = module["fit"](params, x, y, epochs=3, batch_size=4, shuffle=True, rng=11, verbose=0)
    assert all(np.array_equal(first[k], second[k]) for k in first)


# -- penalties --------------------------------------------------------------------


@pytest.mark.parametrize("kind, cost, gradient", [
    ("l1", lambda w: 0.3 * np.abs(w).sum(), lambda w: 0.3 * np.sign(w)),
    ("l2", lambda w: 0.3 / 2 * (w ** 2).sum(), lambda w: 0.3 * w),
])
def test_a_penalty_adds_its_cost_and_its_gradient(kind, cost, gradient):
    plain, penalised = network(), network(penalty=kind, penalty_strength=0.3)
    params, (x, y) = plain["init_params"](1), data()
    assert penalised["penalty"](params) == pytest.approx(cost(params["w1"]), rel=1e-14)
    assert plain["penalty"](params) == 0.0
    _, with_penalty = penalised["train_step"](params, x, y)
    _, without = plain["train_step"](params, x, y)
    assert with_penalty == pytest.approx(without + cost(params["w1"]), rel=1e-14)
    caches = [m["forward"](params, x, training=True) for m in (plain, penalised)]
    difference = penalised["backward"](params, x, y, caches[1])["dw1"] - plain["backward"](params, x, y, caches[0])["dw1"]
    np.testing.assert_allclose(difference, gradient(params["w1"]), rtol=1e-12, atol=1e-15)
