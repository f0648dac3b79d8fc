"""Derive level: derivatives written in terms of outputs, each one proven.

Activations: the output forms SymPy finds, checked against the forms known by
hand and proven equal to the raw derivative.  Softmax: the Jacobian diagonal
and vector-Jacobian product in terms of the outputs, evaluated at C = 3 next
to a Jacobian built here from an explicit 3-vector softmax.  The fused
softmax-NLL gradient: SymPy's result, softmax times the row sum of the targets minus the targets.
"""

import pytest
import sympy
from sympy import Abs, Indexed, Matrix, Rational, Sum, Symbol, cos, diff, exp, simplify, sin, sqrt, tanh

from derive.catalog.activations import elementwise
from derive.catalog.registry import CATALOG
import derive.core.output_form
from derive.core.output_form import _varies_with, find_output_form
from derive.core.proof import prove_equal
from derive.core.symbols import C, N, j, n, x, y

WITH_OUTPUT_FORM = [name for name in CATALOG.names("activation") if CATALOG.get(name).output_form is not None]

# A concrete point for the C = 3 checks: logits and an upstream gradient.
Z = [Rational(3, 10), Rational(-6, 5), Rational(1, 2)]
G = [Rational(7, 10), Rational(-1, 4), Rational(2, 1)]


@pytest.fixture(scope="module")
def gauss():
    return elementwise("gauss", exp(-x**2))


@pytest.fixture(scope="module")
def softmax():
    return CATALOG.get("softmax")


@pytest.fixture(scope="module")
def explicit_softmax():
    """softmax of three symbols, its 3x3 Jacobian and its value at Z, written out here."""
    z = sympy.symbols("z0:3", real=True)
    total = sum(exp(v) for v in z)
    s = Matrix([exp(v) / total for v in z])
    at_point = dict(zip(z, Z))
    return s.subs(at_point), s.jacobian(Matrix(z)).subs(at_point)


def at_c3(expr, arrays, feature):
    """``expr`` with C = 3, its sums expanded, feature index ``j = feature`` and entries from ``arrays``."""
    expr = expr.subs(C, 3).doit().subs(j, feature)
    entries = {a: arrays[str(a.base.label)][int(a.indices[1])] for a in expr.atoms(Indexed)}
    return expr.xreplace(entries)


def equal_to_25_digits(a, b):
    return abs(sympy.N(a - b, 30)) < 1e-25


def test_sigmoid_output_form_is_y_times_one_minus_y():
    assert simplify(CATALOG.get("sigmoid").output_form - y * (1 - y)) == 0


def test_linear_output_form_is_one():
    assert CATALOG.get("linear").output_form == 1


@pytest.mark.parametrize("output, expected", [(0, 0), (Rational(1, 2), 1), (3, 1)])
def test_relu_output_form_is_the_indicator_of_positive_output(output, expected):
    assert CATALOG.get("relu").output_form.subs(y, output) == expected


SMOOTH_WITH_OUTPUT_FORM = [n for n in WITH_OUTPUT_FORM if not CATALOG.get(n).definition.has(sympy.Piecewise)]
PIECEWISE_WITH_OUTPUT_FORM = [n for n in WITH_OUTPUT_FORM if n not in SMOOTH_WITH_OUTPUT_FORM]


@pytest.mark.parametrize("name", SMOOTH_WITH_OUTPUT_FORM)
def test_output_form_of_the_definition_is_proven_equal_to_the_raw_derivative(name):
    activation = CATALOG.get(name)
    raw = sympy.diff(activation.definition, x)
    assert prove_equal(activation.output_form.subs(y, activation.definition), raw)


@pytest.mark.parametrize("name", PIECEWISE_WITH_OUTPUT_FORM)
@pytest.mark.parametrize("point", [-30, -2, -0.5, -1e-9, 0, 1e-9, 0.5, 2, 30])
def test_piecewise_output_form_gives_the_raw_derivative_on_every_branch(name, point):
    # Branch by branch, evaluated exactly at parameter defaults: the generic prover cannot
    # reason about conditions on y = f(x) when f is itself piecewise.
    activation = CATALOG.get(name)
    defaults = {p.symbol: sympy.Float(p.default, 30) for p in activation.params}
    output = activation.definition.subs(defaults).subs(x, point)
    via_output = activation.output_form.subs(defaults).subs(y, output)
    raw = sympy.diff(activation.definition, x).subs(defaults).subs(x, point)
    assert abs(sympy.N(via_output - raw, 30)) < 1e-25


def test_prove_equal_does_not_prove_a_wrong_output_form():
    sigmoid = CATALOG.get("sigmoid").definition
    assert not prove_equal((y * (1 + y)).subs(y, sigmoid), sympy.diff(sigmoid, x))


def test_function_without_an_output_form_has_none(gauss):
    assert gauss.output_form is None


def test_function_without_an_output_form_keeps_its_raw_derivative(gauss):
    assert simplify(gauss.derivative - (-2 * x * exp(-x**2))) == 0


def test_piecewise_branch_sympy_cannot_invert_gives_no_output_form():
    """``y = x + sin(x)`` has no solver in SymPy: the search finds no form instead of failing."""
    item = elementwise("sine_kink", sympy.Piecewise((x + sympy.sin(x), x <= 0), (x, True)))
    assert item.output_form is None


def test_piecewise_without_output_form_keeps_its_raw_derivative():
    item = elementwise("sine_kink", sympy.Piecewise((x + sympy.sin(x), x <= 0), (x, True)))
    for point in (Rational(-3, 2), Rational(5, 4)):
        expected = 1 + sympy.cos(point) if point <= 0 else 1
        assert equal_to_25_digits(item.derivative.subs(x, point), expected)


def test_softmax_jacobian_diagonal_is_s_times_one_minus_s(softmax):
    s = softmax.output[n, j]
    assert simplify(softmax.jacobian_diagonal - s * (1 - s)) == 0


@pytest.mark.parametrize("feature", [0, 1, 2])
def test_softmax_jacobian_diagonal_matches_explicit_jacobian_at_c3(softmax, explicit_softmax, feature):
    s, jacobian = explicit_softmax
    value = at_c3(softmax.jacobian_diagonal, {str(softmax.output.label): list(s)}, feature)
    assert equal_to_25_digits(value, jacobian[feature, feature])


@pytest.mark.parametrize("feature", [0, 1, 2])
def test_softmax_vjp_output_form_matches_explicit_jacobian_at_c3(softmax, explicit_softmax, feature):
    s, jacobian = explicit_softmax
    arrays = {str(softmax.output.label): list(s), str(softmax.upstream.label): G}
    value = at_c3(softmax.vjp_output_form, arrays, feature)
    expected = sum(G[i] * jacobian[i, feature] for i in range(3))
    assert equal_to_25_digits(value, expected)


def test_fused_gradient_keeps_the_row_sum_of_targets():
    # softmax(z) * sum(y) - y: true for targets whose rows do not sum to 1.
    fused = CATALOG.get("softmax_neg_log_likelihood")
    assert any(
        isinstance(s.function, Indexed) and s.function.base == fused.targets for s in fused.gradient.atoms(Sum)
    )


@pytest.mark.parametrize("feature", [0, 1, 2])
def test_fused_gradient_is_softmax_minus_one_hot_target_at_c3(explicit_softmax, feature):
    fused = CATALOG.get("softmax_neg_log_likelihood")
    s, _ = explicit_softmax
    target = [0, 1, 0]
    arrays = {str(fused.targets.label): target, str(fused.predictions.label): Z}
    value = at_c3(fused.gradient.subs(N, 1), arrays, feature)
    assert equal_to_25_digits(value, s[feature] - target[feature])


def test_varies_with_sees_an_expression_that_changes_with_x():
    assert _varies_with(x * y + exp(x), x)


def test_varies_with_does_not_claim_an_expression_equal_to_one_free_of_x():
    assert not _varies_with(sin(x) ** 2 + cos(x) ** 2 + y, x)


def test_varies_with_does_not_claim_an_expression_it_cannot_evaluate_as_a_real_number():
    assert not _varies_with(sqrt(-1 - x**2) * x, x)


def test_varies_with_gives_another_symbol_a_value_its_assumptions_allow():
    negative = Symbol("k", negative=True)  # |k|*x + k*x is 0 for k < 0, not for k > 0
    assert not _varies_with(x * Abs(negative, evaluate=False) + negative * x, x)


def test_varies_with_does_not_claim_anything_when_no_probe_suits_a_symbol():
    assert not _varies_with(x + Symbol("z", zero=True), x)


def test_a_derivative_form_that_varies_with_x_is_not_simplified(monkeypatch):
    simplified = []
    monkeypatch.setattr(derive.core.output_form, "simplify", lambda e: simplified.append(e) or simplify(e))
    f = x * tanh(x**3 + x)
    assert (find_output_form(f, diff(f, x), x, y), simplified) == (None, [])
