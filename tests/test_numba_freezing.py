"""``frozen=`` on the compiled target's ``Trainer.train_step``: as on the NumPy module's, to a relative 1e-12."""

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="the compiled target needs the `fast` extra: pip install -e '.[fast]'")
pytest.importorskip("scipy", reason="Numba's np.dot needs scipy: pip install -e '.[fast]'")

from compiled_modules import load_compiled  # noqa: E402
from network_modules import module_of, spec_of  # noqa: E402

SPEC = spec_of({"name": "compiled_freezing", "inputs": 3, "loss": "mse",
                "optimizer": {"name": "momentum", "momentum": 0.6},
                "layers": [{"units": 4, "activation": "tanh"}, {"units": 3, "activation": "relu"},
                           {"units": 2, "activation": "linear"}]})
RNG = np.random.default_rng(5)
X, Y = RNG.normal(size=(9, 3)), RNG.normal(size=(9, 2))


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """The NumPy module's names and the compiled module, its functions cached in a temporary folder."""
    folder = tmp_path_factory.mktemp("compiled_freezing")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numba.config, "CACHE_DIR", str(folder / "cache"))
        yield module_of(SPEC), load_compiled(SPEC, folder)


def stepped(modules):
    """A NumPy and a compiled trainer from the same parameters, each a step in (velocities not zero)."""
    reference, compiled = modules
    params = reference["init_params"](1)
    trainers = reference["Trainer"](params), compiled.Trainer(params)
    for trainer in trainers:
        trainer.train_step(X, Y, 0.05)
    return trainers


def test_the_compiled_trainer_keeps_a_frozen_layer_and_its_velocity_bitwise(modules):
    _, trainer = stepped(modules)
    params, state = trainer.copy_params(), {name: value.copy() for name, value in trainer.state.items()}
    trainer.train_step(X, Y, 0.05, frozen=1)
    for name in ("w1", "b1"):
        np.testing.assert_array_equal(trainer.params[name], params[name])
        np.testing.assert_array_equal(trainer.state["v" + name], state["v" + name])


def test_the_compiled_trainer_steps_the_other_layers_as_the_numpy_trainer_does(modules):
    reference, trainer = stepped(modules)
    for _ in range(3):
        reference.train_step(X, Y, 0.05, frozen=["w2", 3])
        trainer.train_step(X, Y, 0.05, frozen=["w2", 3])
    for name, value in reference.params.items():
        np.testing.assert_allclose(trainer.params[name], value, rtol=1e-12)


def test_the_compiled_trainer_has_the_numpy_modules_layers_table(modules):
    reference, compiled = modules
    assert compiled.LAYERS == reference["LAYERS"] and compiled.FROZEN == reference["FROZEN"] == ()


def test_the_compiled_trainer_refuses_a_bad_frozen_value_naming_what_is_accepted(modules):
    _, compiled = modules
    with pytest.raises(ValueError, match=r"^frozen: there is no layer 4; expected layer numbers 1 to 3 or parameter"):
        compiled.Trainer(modules[0]["init_params"](0)).train_step(X, Y, frozen=4)
