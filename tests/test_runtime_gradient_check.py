"""``codegen/runtime/gradient_check.py`` runs as written, with derive's formulas bound in place of its stand-ins."""

import numpy as np
import pytest

from codegen.emit import Body
from codegen.runtime.gradient_check import gradient_check
from derive.program.gradient_check import CENTRAL_DIFFERENCE, RELATIVE_ERROR
from runtime_network import LINEAR, backward, bind, data, params


def printed(expr, arguments):
    """The function of ``arguments`` that evaluates ``expr`` as a generated module prints it."""
    return eval(f"lambda {arguments}: {Body().code(expr)}", {"np": np})


@pytest.fixture
def linear(monkeypatch):
    bind(monkeypatch, **LINEAR, _central_difference=printed(CENTRAL_DIFFERENCE, "cost_plus, cost_minus, eps"),
         _relative_error=printed(RELATIVE_ERROR, "analytic, numeric"))


def test_correct_gradients_have_relative_errors_near_zero(linear):
    errors = gradient_check(params(), *data())
    assert max(errors.values()) < 1e-8


def test_the_result_names_every_parameter(linear):
    assert sorted(gradient_check(params(), *data())) == ["b", "w"]


def doubled_db(p, x, y, cache):
    """``backward`` with the gradient of ``b`` doubled."""
    grads = backward(p, x, y, cache)
    return {**grads, "db": 2 * grads["db"]}


def test_a_wrong_gradient_has_a_large_relative_error_for_its_parameter_only(monkeypatch, linear):
    bind(monkeypatch, backward=doubled_db)
    errors = gradient_check(params(), *data())
    assert errors["b"] == pytest.approx(0.5, rel=1e-6)  # |2g - g| / |2g|
    assert errors["w"] < 1e-8


def test_each_entry_is_moved_by_eps_both_ways(monkeypatch, linear):
    steps = []
    bind(monkeypatch, _central_difference=lambda cost_plus, cost_minus, eps: steps.append(eps) or 0.0)
    gradient_check(params(), *data(), eps=1e-3)
    assert steps == [1e-3] * 3  # two entries of w, one of b


def test_a_non_positive_eps_is_refused(linear):
    with pytest.raises(ValueError, match=r"eps: expected a finite real number > 0, got 0"):
        gradient_check(params(), *data(), eps=0)


def test_targets_of_the_wrong_width_are_refused(linear):
    x, _ = data()
    with pytest.raises(ValueError, match=r"y: expected an array of shape \(N, 1\)"):
        gradient_check(params(), x, np.zeros((len(x), 2)))
