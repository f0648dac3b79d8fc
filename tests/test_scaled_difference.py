"""``ScaledDifference(a, b, k) = (a - b)/k``: printed and computed in place as halves, proven equal."""

import numpy as np
import pytest
from sympy import Symbol, parse_expr, simplify

from codegen.buffers import Buffers
from codegen.inplace import InplaceBody
from codegen.printer import to_numpy
from derive.core.functions import ScaledDifference, unscaled
from derive.core.symbols import N
from generated import losses

a, b = Symbol("a", real=True), Symbol("b", real=True)
k = Symbol("k", positive=True)
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


@pytest.mark.parametrize("scale", [k, 2, 6])
def test_printed_form_is_proven_equal_to_the_difference_over_k(scale):
    printed = to_numpy(ScaledDifference(a, b, scale))
    parsed = parse_expr(printed, local_dict={"a": a, "b": b, "k": k})
    assert simplify(parsed - (a - b) / scale) == 0


def test_unscaled_writes_the_difference_over_k():
    assert simplify(unscaled(ScaledDifference(a, b, k)) - (a - b) / k) == 0


def test_in_place_code_computes_the_scaled_difference_without_overflow():
    x, y = Symbol("x", real=True), Symbol("y", real=True)
    body = InplaceBody({"x": (N, 2), "y": (N, 2)}, Buffers())
    body.assign("result", ScaledDifference(x, y, 4))
    values_x, values_y = np.array([[1e308, 1.0]]), np.array([[-1e308, -3.0]])
    work = {name: np.empty((1, 2), dtype=dtype) for name, (_, dtype) in body.buffers.shapes.items()}
    with np.errstate(**STRICT):
        exec("\n".join(body.lines), {"np": np, "x": values_x, "y": values_y, **work})
    np.testing.assert_array_equal(work["result"], [[5e307, 1.0]])


# Two entries, one difference of 2e308: the mean of |r| and of r over the entries is 1e308, finite.
HUGE_TARGETS, HUGE_PREDICTIONS = np.array([[1e308, 0.0]]), np.array([[-1e308, 0.0]])


@pytest.mark.parametrize(("name", "expected"), [("mae", 1e308), ("huber", 1e308 - 0.25)])
def test_cost_of_a_difference_beyond_the_float_range_is_finite_without_warnings(name, expected):
    with np.errstate(**STRICT):
        cost = getattr(losses, name)(HUGE_TARGETS, HUGE_PREDICTIONS)
    # huber: delta*(|r| - delta/2)/2 = (2e308 - 0.5)/2, which rounds to 1e308.
    assert cost == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(("name", "expected"), [("mse", -1e308), ("mae", -0.5), ("huber", -0.5)])
def test_gradient_of_a_difference_beyond_the_float_range_is_finite_without_warnings(name, expected):
    with np.errstate(**STRICT):
        gradient = getattr(losses, name)(HUGE_TARGETS, HUGE_PREDICTIONS, derivative=True)
    np.testing.assert_allclose(gradient, [[expected, 0.0]], rtol=1e-15)
