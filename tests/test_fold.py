"""``derive.program.fold``: the learning rate folded into the backward pass, checked rather than assumed."""

from dataclasses import replace

import pytest
from sympy import MatrixSymbol, Symbol

from derive.catalog.standard import CATALOG
from derive.core.errors import DefinitionError
from derive.program.fold import folded_backward, folded_update
from derive.program.build import derive_network
from derive.program.network import Stage
from derive.layers.optimizers import LEARNING_RATE, MOMENTUM
from network_modules import spec_of

LAYERS = [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "linear"}]


def program(optimizer):
    return derive_network(spec_of({"name": "n", "inputs": 2, "layers": LAYERS, "loss": "mse",
                                   "optimizer": optimizer}), CATALOG)


def test_gradient_descent_subtracts_the_scaled_gradient():
    (theta,), _ = folded_update(program({"name": "sgd"}))
    size = theta.expr.shape
    assert theta.expr == MatrixSymbol("theta", *size) - MatrixSymbol("dtheta", *size)


def test_momentum_keeps_its_coefficient_and_loses_the_learning_rate():
    (velocity, theta), _ = folded_update(program({"name": "momentum"}))
    size = theta.expr.shape
    assert velocity.expr == MOMENTUM * MatrixSymbol("vtheta", *size) - MatrixSymbol("dtheta", *size)


def test_only_the_loss_gradient_is_multiplied_by_the_learning_rate():
    derived = program({"name": "sgd"})
    folded = {a.target: a.expr for a in folded_backward(derived)}
    for assignment in derived.stage(Stage.BACKWARD):
        scale = LEARNING_RATE if assignment.role == "loss gradient" else 1
        assert folded[assignment.target] == scale * assignment.expr


def test_a_gradient_not_linear_in_the_upstream_gradient_is_refused():
    derived = program({"name": "sgd"})
    squared = [
        replace(a, expr=a.expr * Symbol("dh1", real=True)) if a.target == "dinp1" else a for a in derived.assignments
    ]
    with pytest.raises(DefinitionError, match="dinp1.*not linear"):
        folded_backward(replace(derived, assignments=tuple(squared)))


def _linearity_checks(hidden_layers: int) -> int:
    """How many distinct linearity checks folding a network with that many identical hidden layers runs."""
    from derive.program.fold import _is_linear

    layers = [{"units": 3, "activation": "tanh"}] * hidden_layers + [{"units": 2, "activation": "linear"}]
    _is_linear.cache_clear()
    folded_backward(derive_network(spec_of({"name": "n", "inputs": 2, "layers": layers, "loss": "mse"}), CATALOG))
    return _is_linear.cache_info().misses


def test_identical_layers_are_checked_for_linearity_once():
    assert _linearity_checks(12) == _linearity_checks(3)
