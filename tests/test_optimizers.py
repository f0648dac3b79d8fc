"""The update stage of a network's program: the optimiser's rule per trained array, none for frozen ones."""

from sympy import MatrixSymbol, Symbol

from derive.catalog.registry import CATALOG
from derive.program.build import derive_network
from derive.program.network import Stage
from network_modules import spec_of

LR, MU = Symbol("learning_rate", positive=True), Symbol("momentum", nonnegative=True)


def program(optimizer, trainable=True):
    layers = [{"units": 2, "activation": "relu", "trainable": trainable}, {"units": 1, "activation": "linear"}]
    data = {"name": "net", "inputs": 2, "loss": "mse", "layers": layers, "optimizer": optimizer}
    return derive_network(spec_of(data), CATALOG)


def test_sgd_steps_against_the_gradient():
    update = {a.target: a.expr for a in program({"name": "sgd"}).stage(Stage.UPDATE)}
    w, dw = MatrixSymbol("w2", 1, 2), MatrixSymbol("dw2", 1, 2)
    assert update["w2"] == w - LR * dw


def test_momentum_updates_a_velocity_then_the_parameter():
    derived = program({"name": "momentum", "momentum": 0.5})
    update = [(a.target, a.expr) for a in derived.stage(Stage.UPDATE)]
    w, dw, v = MatrixSymbol("w2", 1, 2), MatrixSymbol("dw2", 1, 2), MatrixSymbol("vw2", 1, 2)
    assert update[-4:-2] == [("vw2", MU * v - LR * dw), ("w2", w + v)]
    assert [v.name for v in derived.state] == ["vw1", "vb1", "vw2", "vb2"]


def test_a_frozen_layer_gets_no_update_and_no_velocity():
    derived = program({"name": "momentum"}, trainable=False)
    assert [a.target for a in derived.stage(Stage.UPDATE)] == ["vw2", "w2", "vb2", "b2"]
    assert [v.parameter for v in derived.state] == ["w2", "b2"]
