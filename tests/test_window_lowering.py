"""Derived index forms lowered to NumPy (window views, tensordot, einsum), run against loops of the definitions."""

import numpy as np
import pytest

from codegen.lowering import LoweringError
from codegen.window_lowering import lower_index_form, lower_index_sum
from derive.layers import indexed_layers as layers
from derive.layers.index_calculus import IndexForm, definition_terms
from derive.layers.indexed_layers import Padding, window_shape

from tests.indexed_reference import conv_loop, conv_vjp_loop, first_max_indicator, pool_loop, pool_vjp_loop
from tests.test_indexed_layers import CONV_CASES, POOL_CASES

_RNG = np.random.default_rng(28)


def _run(statements, arrays: dict) -> dict:
    """Execute printed statements with NumPy alone in their namespace."""
    namespace = {"np": np, **arrays}
    for target, code in statements:
        exec(f"{target} = {code}", namespace)  # noqa: S102 - the code under test
    return namespace


def _conv_arrays(case):
    k, h, w, c, p, q, s, same = case
    shape = window_shape(k, h, w, (p, q), s, Padding.SAME if same else Padding.VALID)
    out = (3, c, shape.out_height, shape.out_width)
    arrays = {"X": _RNG.normal(size=(3, k, h, w)), "W": _RNG.normal(size=(c, k, p, q)), "b": _RNG.normal(size=c),
              "G": _RNG.normal(size=out)}
    shapes = {name: a.shape for name, a in arrays.items()} | {"Z": out, "dX": (3, k, h, w), "dW": (c, k, p, q),
                                                              "db": (c,)}
    return shape, arrays, shapes


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_lowered_conv_forward_equals_the_loop(case):
    shape, arrays, shapes = _conv_arrays(case)
    derived = layers.conv2d_vjps(shape, case[3])
    got = _run(lower_index_sum(definition_terms(derived.layer), shapes, "Z"), arrays)["Z"]
    assert np.allclose(got, conv_loop(arrays["X"], arrays["W"], arrays["b"], case[6], case[7]))


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_lowered_conv_vjps_equal_the_loop_scatter(case):
    shape, arrays, shapes = _conv_arrays(case)
    derived = layers.conv2d_vjps(shape, case[3])
    expected = conv_vjp_loop(arrays["X"], arrays["W"], arrays["G"], case[6], case[7])
    for name, reference in zip("XWb", expected):
        got = _run(lower_index_form(derived.vjps[name], shapes, f"d{name}"), arrays)[f"d{name}"]
        assert np.allclose(got, reference), name


def test_the_conv_input_vjp_prints_as_a_tensordot_of_windows_with_the_flipped_kernel():
    shape, _, shapes = _conv_arrays((2, 6, 5, 3, 3, 2, 2, True))
    code = "\n".join(c for _, c in lower_index_form(layers.conv2d_vjps(shape, 3).vjps["X"], shapes, "dX"))
    assert "np.flip(W, axis=(2, 3))" in code and "sliding_window_view" in code and "np.tensordot" in code


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_lowered_avg_pool_and_its_vjp_equal_the_loops(case):
    k, h, w, size, s, same = case
    shape = window_shape(k, h, w, (size, size), s, Padding.SAME if same else Padding.VALID)
    x, g = _RNG.normal(size=(2, k, h, w)), _RNG.normal(size=(2, k, shape.out_height, shape.out_width))
    derived = layers.avg_pool_vjps(shape)
    shapes = {"X": x.shape, "Z": g.shape, "G": g.shape, "dX": x.shape}
    assert np.allclose(_run(lower_index_sum(definition_terms(derived.layer), shapes, "Z"), {"X": x})["Z"],
                       pool_loop(x, size, s, same, "avg"))
    assert np.allclose(_run(lower_index_form(derived.vjps["X"], shapes, "dX"), {"G": g})["dX"],
                       pool_vjp_loop(x, g, size, s, same, "avg"))


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("case", [c for c in POOL_CASES if not c[-1]], ids=str)
def test_lowered_max_pool_and_its_vjp_equal_the_loops(case, ties):
    k, h, w, size, s, _ = case
    shape = window_shape(k, h, w, (size, size), s, Padding.VALID)
    x = _RNG.integers(0, 2, size=(2, k, h, w)).astype(float) if ties else _RNG.normal(size=(2, k, h, w))
    g = _RNG.normal(size=(2, k, shape.out_height, shape.out_width))
    m = np.zeros((*g.shape, size, size))
    for n, c, i, j in np.ndindex(g.shape):
        m[n, c, i, j] = first_max_indicator(x[n, c, s * i:s * i + size, s * j:s * j + size])
    derived = layers.max_pool_vjps(shape)
    shapes = {"X": x.shape, "Z": g.shape, "G": g.shape, "M": m.shape, "dX": x.shape}
    assert np.allclose(_run(lower_index_sum(definition_terms(derived.layer), shapes, "Z"), {"X": x, "M": m})["Z"],
                       pool_loop(x, size, s, False, "max"))
    assert np.allclose(_run(lower_index_form(derived.vjps["X"], shapes, "dX"), {"G": g, "M": m})["dX"],
                       pool_vjp_loop(x, g, size, s, False, "max"))


def test_the_flatten_vjp_prints_as_a_reshape():
    derived = layers.flatten_vjps(2, 3, 4)
    statements = lower_index_form(derived.vjps["X"], {"G": (5, 24), "dX": (5, 2, 3, 4)}, "dX")
    assert statements == [("dX", "G.reshape(-1, 2, 3, 4)")]
    g = _RNG.normal(size=(5, 24))
    assert np.array_equal(_run(statements, {"G": g})["dX"][1, 1, 2, 3], g[1, 12 + 8 + 3])


def test_a_condition_no_padding_stands_for_is_refused():
    form = layers.dense_vjps(3, 2).vjps["X"]
    bad = IndexForm(form.target, form.summand, ((layers.o, 0, 1),), (layers.i <= 1,))
    with pytest.raises(LoweringError, match="is not an index kept in its array"):
        lower_index_form(bad, {"G": (4, 2), "W": (2, 3), "dX": (4, 3)}, "dX")
