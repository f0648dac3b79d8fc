"""Layers from one indexed sum: the derived VJPs against loops written from the definitions and central differences."""

from pathlib import Path

import numpy as np
import pytest
from sympy import Eq, Symbol, latex

from derive.layers import indexed_layers as layers
from derive.layers.indexed_layers import Padding, window_shape
from derive.program.ledger_indexed import first_maximum, indicator_is_max_derivative

from tests.indexed_reference import (
    conv_loop, conv_vjp_loop, evaluate, first_max_indicator, padding_of, pool_loop, pool_vjp_loop,
)

#: (channels, height, width, filters, kernel rows, kernel columns, stride, same padding), drawn in ``_cases``.
_RNG = np.random.default_rng(15)


def _cases(count: int) -> list[tuple]:
    cases = []
    while len(cases) < count:
        k, h, w, c = _RNG.integers(1, 3), _RNG.integers(3, 7), _RNG.integers(3, 7), _RNG.integers(1, 3)
        p, q, s, same = _RNG.integers(1, 4), _RNG.integers(1, 4), _RNG.integers(1, 4), bool(_RNG.integers(0, 2))
        if same or (p <= h and q <= w):
            cases.append(tuple(int(v) for v in (k, h, w, c, p, q, s)) + (same,))
    return cases


CONV_CASES = _cases(8) + [(1, 5, 5, 2, 3, 3, 2, False), (2, 5, 4, 1, 3, 2, 2, True)]


def _conv(case):
    k, h, w, c, p, q, s, same = case
    shape = window_shape(k, h, w, (p, q), s, Padding.SAME if same else Padding.VALID)
    return shape, layers.conv2d_vjps(shape, c)


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv_vjps_equal_the_loop_scatter_of_the_definition(case):
    k, h, w, c, p, q, s, same = case
    shape, derived = _conv(case)
    x, weights = _RNG.normal(size=(2, k, h, w)), _RNG.normal(size=(c, k, p, q))
    g = _RNG.normal(size=(2, c, shape.out_height, shape.out_width))
    dx, dw, db = conv_vjp_loop(x, weights, g, s, same)
    arrays = {"G": g, "W": weights, "X": x}
    assert np.allclose(evaluate(derived.vjps["X"], arrays, x.shape), dx)
    assert np.allclose(evaluate(derived.vjps["W"], arrays, weights.shape), dw)
    assert np.allclose(evaluate(derived.vjps["b"], arrays, (c,)), db)


@pytest.mark.parametrize("case", CONV_CASES[:5], ids=str)
def test_conv_input_vjp_equals_central_differences(case):
    k, h, w, c, p, q, s, same = case
    shape, derived = _conv(case)
    x, weights, b = _RNG.normal(size=(1, k, h, w)), _RNG.normal(size=(c, k, p, q)), _RNG.normal(size=c)
    g = _RNG.normal(size=(1, c, shape.out_height, shape.out_width))
    step, numeric = 1e-5, np.zeros_like(x)
    for at in np.ndindex(x.shape):
        bump = np.zeros_like(x)
        bump[at] = step
        numeric[at] = np.sum(g * (conv_loop(x + bump, weights, b, s, same) - conv_loop(x - bump, weights, b, s, same)))
    numeric /= 2 * step
    assert np.allclose(evaluate(derived.vjps["X"], {"G": g, "W": weights, "X": x}, x.shape), numeric, atol=1e-7)


def test_the_conv_output_size_is_the_loop_definitions():
    for k, h, w, c, p, q, s, same in CONV_CASES:
        shape = window_shape(k, h, w, (p, q), s, Padding.SAME if same else Padding.VALID)
        assert (shape.out_height, shape.top) == padding_of(h, p, s, same)
        assert (shape.out_width, shape.left) == padding_of(w, q, s, same)


def test_the_conv_input_vjp_reads_the_kernel_flipped():
    _, derived = _conv((1, 5, 5, 1, 3, 3, 1, False))
    kernel = next(f for f in derived.vjps["X"].summand.args if str(getattr(f, "base", "")) == "W")
    assert kernel.indices[2:] == (2 - layers.r, 2 - layers.t)


POOL_CASES = [(2, 6, 5, 2, 2, False), (1, 7, 7, 3, 2, False), (2, 5, 6, 2, 1, False), (1, 5, 5, 2, 2, True),
              (1, 4, 6, 3, 3, True)]


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_avg_pool_vjp_equals_the_loop_of_the_definition(case):
    k, h, w, size, s, same = case
    shape = window_shape(k, h, w, (size, size), s, Padding.SAME if same else Padding.VALID)
    x = _RNG.normal(size=(2, k, h, w))
    g = _RNG.normal(size=(2, k, shape.out_height, shape.out_width))
    assert pool_loop(x, size, s, same, "avg").shape == g.shape
    derived = layers.avg_pool_vjps(shape)
    assert np.allclose(evaluate(derived.vjps["X"], {"G": g, "X": x}, x.shape), pool_vjp_loop(x, g, size, s, same, "avg"))


def _indicator(x, shape):
    """M[n, c, i, j, p, q]: the first maximum of each window (the stated rule)."""
    (size, _), s = shape.window, shape.stride
    m = np.zeros((*x.shape[:2], shape.out_height, shape.out_width, size, size))
    for n, c, i, j in np.ndindex(m.shape[:4]):
        m[n, c, i, j] = first_max_indicator(x[n, c, s * i:s * i + size, s * j:s * j + size])
    return m


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("case", [c for c in POOL_CASES if not c[-1]], ids=str)
def test_max_pool_vjp_sends_the_gradient_to_the_first_window_maximum(case, ties):
    k, h, w, size, s, _ = case
    shape = window_shape(k, h, w, (size, size), s, Padding.VALID)
    x = _RNG.integers(0, 2, size=(2, k, h, w)).astype(float) if ties else _RNG.normal(size=(2, k, h, w))
    g = _RNG.normal(size=(2, k, shape.out_height, shape.out_width))
    derived = layers.max_pool_vjps(shape)
    got = evaluate(derived.vjps["X"], {"G": g, "M": _indicator(x, shape), "X": x}, x.shape)
    assert np.allclose(got, pool_vjp_loop(x, g, size, s, False, "max"))


def test_max_pool_vjp_equals_central_differences_where_maxima_are_unique():
    shape = window_shape(2, 6, 5, (2, 2), 2, Padding.VALID)
    x = _RNG.normal(size=(1, 2, 6, 5))
    g = _RNG.normal(size=(1, 2, shape.out_height, shape.out_width))
    step, numeric = 1e-6, np.zeros_like(x)
    for at in np.ndindex(x.shape):
        bump = np.zeros_like(x)
        bump[at] = step
        numeric[at] = np.sum(g * (pool_loop(x + bump, 2, 2, False, "max") - pool_loop(x - bump, 2, 2, False, "max")))
    numeric /= 2 * step
    got = evaluate(layers.max_pool_vjps(shape).vjps["X"], {"G": g, "M": _indicator(x, shape), "X": x}, x.shape)
    assert np.allclose(got, numeric, atol=1e-7)


def test_max_pool_refuses_padding():
    with pytest.raises(ValueError, match="valid windows only"):
        layers.max_pool_vjps(window_shape(1, 5, 5, (2, 2), 2, Padding.SAME))


def test_the_tie_rule_picks_the_first_maximum_in_row_major_order():
    assert first_maximum((1, 3, 3, 0)) == (0, 1, 0, 0)
    assert first_max_indicator(np.array([[1.0, 3.0], [3.0, 0.0]])).tolist() == [[0, 1], [0, 0]]
    assert indicator_is_max_derivative()


def test_flatten_vjp_reads_the_upstream_gradient_in_row_major_order():
    derived = layers.flatten_vjps(2, 3, 4)
    g = _RNG.normal(size=(2, 24))
    assert np.array_equal(evaluate(derived.vjps["X"], {"G": g}, (2, 2, 3, 4)), g.reshape(2, 2, 3, 4))


def test_dense_vjps_are_the_matrix_products():
    derived = layers.dense_vjps(3, 2)
    x, weights, g = _RNG.normal(size=(4, 3)), _RNG.normal(size=(2, 3)), _RNG.normal(size=(4, 2))
    arrays = {"G": g, "W": weights, "X": x}
    assert np.allclose(evaluate(derived.vjps["X"], arrays, (4, 3)), g @ weights)
    assert np.allclose(evaluate(derived.vjps["W"], arrays, (2, 3)), g.T @ x)
    assert np.allclose(evaluate(derived.vjps["b"], arrays, (2,)), g.sum(axis=0))


def test_docs_show_the_current_derived_conv_input_gradient():
    derived = layers.conv2d_vjps(layers.symbolic_shape(Padding.VALID), Symbol("C", integer=True, positive=True))
    form = derived.vjps["X"]
    page = (Path(__file__).resolve().parent.parent / "docs" / "indexed_layers.md").read_text(encoding="utf-8")
    assert f"{form.target} = {form.expr}" in page
    assert latex(Eq(form.target, form.expr)) in page
    assert str(derived.layer.equation) in page
