"""Every catalogue activation's generated derivative is the derivative of its definition.

Checked two independent ways: central finite differences of the generated
forward function, and the SymPy definition differentiated here and evaluated
with mpmath at 400 digits.
"""

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, strategies as st

from derive.catalog.registry import CATALOG
from derive.core.symbols import x
from finite_differences import derivative
from generated import activations

ACTIVATIONS = CATALOG.names("activation")

# Away from 0, where relu has its kink and finite differences straddle it.
POINTS = st.floats(min_value=-20, max_value=20).filter(lambda v: abs(v) >= 1e-3)


def generated(name):
    return getattr(activations, name)


def exact(name, expression):
    """``expression`` (in x) of activation ``name``, parameters at their defaults, with mpmath at 400 digits.

    400 digits: definitions such as exp(x) - 1 at a subnormal x, or x*(1 + tanh(u))/2 in its
    tail, cancel hundreds of digits.
    """
    activation = CATALOG.get(name)
    defaults = {p.symbol: p.default for p in activation.params}
    f = sympy.lambdify(x, expression(activation).subs(defaults), "mpmath")

    def evaluate(value):
        with mpmath.workdps(400):
            return float(f(mpmath.mpf(value)))

    return evaluate


def test_catalogue_has_the_notebook_activations():
    assert {"sigmoid", "relu", "linear"} <= set(ACTIVATIONS)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(point=POINTS)
def test_derivative_equals_central_finite_difference_of_forward(name, point):
    f = generated(name)
    expected = derivative(lambda v: f(np.array([v]))[0], point)
    assert f(np.array([point]), derivative=True)[0] == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(point=POINTS)
def test_derivative_equals_sympy_derivative_of_definition(name, point):
    expected = exact(name, lambda a: sympy.diff(a.definition, x))(point)
    # abs=1e-15: y*(1 - y) loses relative (not absolute) precision where sigmoid is near 1.
    assert generated(name)(np.array([point]), derivative=True)[0] == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(point=st.floats(min_value=-20, max_value=20))
def test_forward_equals_sympy_definition(name, point):
    expected = exact(name, lambda a: a.definition)(point)
    # rel=1e-12: exp of an argument near -600 (gelu_tanh at -20) turns the argument's last-bit
    # rounding into ~600 ulp; docs/accuracy.md has each function's measured error.
    assert generated(name)(np.array([point]))[0] == pytest.approx(expected, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_float32_input_gives_float32_output(name, derivative_flag):
    values = np.array([[-2.5, -0.5, 0.5, 2.5]], dtype=np.float32)
    assert generated(name)(values, derivative=derivative_flag).dtype == np.float32


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_integer_input_gives_the_float_result(name, derivative_flag):
    integers = np.array([[-3, -1, 0, 2, 5]])
    result = generated(name)(integers, derivative=derivative_flag)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, generated(name)(integers.astype(np.float64), derivative=derivative_flag))


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("derivative_flag", [False, True])
def test_input_is_not_modified(name, derivative_flag):
    values = np.array([[-2.0, 0.0, 3.0]])
    before = values.copy()
    generated(name)(values, derivative=derivative_flag)
    np.testing.assert_array_equal(values, before)


def test_relu_derivative_at_zero_is_zero_as_in_the_notebook():
    assert activations.relu(np.array([0.0]), derivative=True)[0] == 0.0


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("derivative_flag", [False, True])
@given(values=st.lists(st.floats(-50, 50), min_size=1, max_size=24), shape_seed=st.integers(0, 3))
def test_any_shape_gives_the_same_values_as_one_entry_at_a_time(name, derivative_flag, values, shape_seed):
    shapes = [(len(values),), (1, len(values)), (len(values), 1), (1, 1, len(values))]
    array = np.array(values).reshape(shapes[shape_seed])
    result = generated(name)(array, derivative=derivative_flag)
    single = [generated(name)(np.array([v]), derivative=derivative_flag)[0] for v in values]
    assert result.shape == array.shape
    np.testing.assert_array_equal(result.ravel(), single)
