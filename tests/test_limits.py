"""Limits at ±oo (``derive.core.stable_forms.limits_at_infinities``): the values ``sympy.limit`` gives.

An expression built of exp and log alone goes to SymPy's Gruntz algorithm
directly, anything else (or what Gruntz cannot do) to ``sympy.limit``; the
expected values are ``sympy.limit``'s own.
"""

import pytest
from sympy import Abs, limit, oo, tanh

import derive.core.stable_forms
from derive.catalog.registry import CATALOG
from derive.core.stable_forms import limits_at_infinities
from derive.core.symbols import x

#: The built-in activations whose definition and derivative are exp-log expressions.
EXP_LOG = ["sigmoid", "tanh", "gaussian", "softplus", "silu", "gelu", "gelu_tanh"]


def fails(*arguments):
    pytest.fail("the other method ran")


@pytest.mark.parametrize("name", EXP_LOG)
@pytest.mark.parametrize("which", ["definition", "derivative"])
def test_the_limits_of_an_activation_are_those_of_sympy_limit(name, which):
    expr = getattr(CATALOG.get(name), which)
    assert limits_at_infinities(expr, x) == (limit(expr, x, -oo), limit(expr, x, oo))


def test_an_exp_log_expression_needs_no_sympy_limit(monkeypatch):
    monkeypatch.setattr(derive.core.stable_forms, "limit", fails)
    assert limits_at_infinities(1 - tanh(x) ** 2, x) == (0, 0)


def test_an_expression_with_another_function_goes_to_sympy_limit(monkeypatch):
    monkeypatch.setattr(derive.core.stable_forms, "gruntz", fails)
    assert limits_at_infinities(Abs(x) / (1 + Abs(x)), x) == (1, 1)


def test_an_exp_log_limit_gruntz_does_not_find_goes_to_sympy_limit(monkeypatch):
    def cannot(*arguments):
        raise NotImplementedError("not found")

    monkeypatch.setattr(derive.core.stable_forms, "gruntz", cannot)
    assert limits_at_infinities(tanh(x), x) == (-1, 1)
