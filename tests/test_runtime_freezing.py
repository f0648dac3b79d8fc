"""``codegen/runtime/network_freezing.py`` and the Trainer shell's freezing run as written, on tables bound here."""

import numpy as np
import pytest

from codegen.runtime.network_freezing import _frozen, _kept
from codegen.runtime.trainer_shell import Trainer
from runtime_network import bind

TABLES = {"PARAMETERS": {"w1": (1, 2), "b1": (1, 1), "w2": (1, 1)}, "LAYERS": {1: ("w1", "b1"), 2: ("w2",)}}


@pytest.fixture
def tables(monkeypatch):
    bind(monkeypatch, **TABLES)


def test_frozen_reads_layers_and_names_in_the_order_of_the_parameters(tables):
    assert _frozen(["w2", 1]) == ("w1", "b1", "w2")


def test_frozen_takes_one_layer_number_alone(tables):
    assert _frozen(np.int64(2)) == ("w2",)


def test_frozen_none_is_the_specs_frozen(tables, monkeypatch):
    bind(monkeypatch, FROZEN=("w2",))
    assert _frozen(None) == ("w2",)


def test_kept_takes_the_frozen_arrays_from_the_old_dict(tables):
    new, old = {"w1": 1, "b1": 2, "vw1": 3}, {"w1": 10, "b1": 20, "vw1": 30}
    assert (_kept(new, old, ("w1",)), _kept(new, old, ("w1",), "v")) == ({"w1": 10, "b1": 2, "vw1": 3},
                                                                         {"w1": 1, "b1": 2, "vw1": 30})


def test_the_trainer_puts_back_what_a_step_moved_of_the_frozen_arrays_and_their_velocities(tables):
    trainer = Trainer()
    trainer.params = {"w1": np.ones((1, 2)), "b1": np.ones((1, 1)), "w2": np.ones((1, 1))}
    trainer.scaled_grads = {"dw1": None, "db1": None, "dw2": None}
    trainer.state = {"vw1": np.zeros((1, 2)), "vb1": np.zeros((1, 1)), "vw2": np.zeros((1, 1))}
    copies = trainer._frozen_copies(1)
    for arrays in (trainer.params, trainer.state):
        for value in arrays.values():
            value += 5.0
    trainer._put_back(copies)
    moved = {name: float(value.flat[0]) for arrays in (trainer.params, trainer.state) for name, value in arrays.items()}
    assert moved == {"w1": 1.0, "b1": 1.0, "w2": 6.0, "vw1": 0.0, "vb1": 0.0, "vw2": 5.0}


def test_the_trainer_copies_nothing_of_an_array_its_step_does_not_move(tables):
    trainer = Trainer()
    trainer.params, trainer.scaled_grads = {"w1": np.ones((1, 2)), "b1": np.ones((1, 1))}, {"dw1": None}
    assert [view is trainer.params["w1"] for view, _ in trainer._frozen_copies(1)] == [True]
