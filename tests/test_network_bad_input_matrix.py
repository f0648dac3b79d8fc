"""Every function of a network module, every array argument spoiled every way (``network_bad_inputs.KINDS``).

Each call must give the reference's value or a clear error: no crash, no
wrong answer (``network_bad_inputs`` says how each is judged).
"""

import numpy as np
import pytest

from network_bad_inputs import KINDS, Call, matrix
from network_modules import module_of, spec_of

RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 3))


def network(optimizer, batch_norm):
    bias = "none" if batch_norm else "per_neuron"
    layers = [{"units": 3, "activation": "tanh", "batch_norm": batch_norm, "bias": bias},
              {"units": 3, "activation": "linear"}]
    return module_of(spec_of({"name": "bad", "inputs": 2, "layers": layers, "loss": "mse",
                              "optimizer": {"name": optimizer}}))


def plain_calls(m):
    """The functions of a gradient-descent module, their data and parameters spoiled."""
    params = m["init_params"](0)
    data = {"x": X, "y": Y}
    cache = m["forward"](params, X, training=True)

    def trainer_step(a):
        trainer = m["Trainer"]({**params, "w1": a.get("w1", params["w1"])})
        return trainer.train_step(a["x"], a["y"], 0.1), trainer.copy_params()

    def fit(a):
        return m["fit"]({**params, "w1": a.get("w1", params["w1"])}, a["x"], a["y"], 2, batch_size=2, verbose=0)

    def fit_validated(a):
        return m["fit"](params, X, Y, 2, x_val=a["x_val"], y_val=a["y_val"], verbose=0)

    with_w1 = {**data, "w1": params["w1"]}
    return [
        Call("forward", lambda a: m["forward"]({**params, "w1": a["w1"]}, a["x"]), {"x": X, "w1": params["w1"]},
             rows=True),
        Call("predict", lambda a: m["predict"](params, a["x"]), {"x": X}, rows=True),
        Call("loss", lambda a: m["loss"](a["y"], a["out"]), {"y": Y, "out": cache["out"]}, cost=True),
        Call("penalty", lambda a: m["penalty"]({**params, "w1": a["w1"]}), {"w1": params["w1"]}),
        Call("backward", lambda a: m["backward"](params, a["x"], a["y"], m["forward"](params, X, training=True)), data),
        Call("train_step", lambda a: m["train_step"]({**params, "w1": a["w1"]}, a["x"], a["y"]), with_w1),
        Call("Trainer.train_step", trainer_step, with_w1),
        Call("fit", fit, with_w1),
        Call("fit (validation)", fit_validated, {"x_val": X, "y_val": Y}),
        Call("gradient_check", lambda a: m["gradient_check"](params, a["x"], a["y"]), data),
        Call("update", lambda a: m["update"](params, {**m["backward"](params, X, Y, cache), "dw1": a["dw1"]}),
             {"dw1": m["backward"](params, X, Y, cache)["dw1"]}),
    ]


def momentum_calls(m):
    """The functions only a momentum module with batch normalisation has, or has with a state."""
    params = m["init_params"](0)
    cache = m["forward"](params, X, training=True)
    grads = m["backward"](params, X, Y, cache)
    state = m["init_state"](params)
    return [
        Call("update (state)", lambda a: m["update"](params, grads, state={**state, "vw1": a["vw1"]}), {"vw1": state["vw1"]}),
        Call("train_step (momentum)", lambda a: m["train_step"](params, a["x"], a["y"], state=state), {"x": X, "y": Y}),
        Call("step", lambda a: m["step"](params, {**grads, "dw1": a["dw1"]}, state, 0), {"dw1": grads["dw1"]}),
        Call("running_statistics",
             lambda a: m["running_statistics"]({**params, "running_mean1": a["running_mean1"]}, cache),
             {"running_mean1": params["running_mean1"]}),
        Call("init_state", lambda a: m["init_state"]({**params, "w1": a["w1"]}), {"w1": params["w1"]}),
        Call("Trainer (state)", lambda a: m["Trainer"](params, {**state, "vw1": a["vw1"]}).state["vw1"].copy(),
             {"vw1": state["vw1"]}),
    ]


@pytest.fixture(scope="module")
def outcomes():
    calls = plain_calls(network("sgd", False)) + momentum_calls(network("momentum", True))
    return matrix(calls)


def test_the_matrix_covers_every_kind_of_bad_argument(outcomes):
    assert {o.kind for o in outcomes} == set(KINDS)
    assert len(outcomes) > 250


def test_no_call_crashes(outcomes):
    crashes = [o for o in outcomes if o.verdict == "crash"]
    assert not crashes, "\n".join(f"{o.call} {o.argument} {o.kind}: {o.detail}" for o in crashes)


def test_no_call_returns_a_wrong_answer(outcomes):
    wrong = [o for o in outcomes if o.verdict == "wrong"]
    assert not wrong, "\n".join(f"{o.call} {o.argument} {o.kind}" for o in wrong)
