"""``codegen/runtime/trainer_shell.py`` runs as written: the ``Trainer`` methods no network changes."""

import numpy as np

from codegen.runtime.trainer_shell import Trainer


def test_copy_params_returns_copies_independent_of_the_trainer():
    trainer = Trainer()
    trainer.params = {"w": np.ones((2, 2)), "b": np.zeros((1, 2))}
    copied = trainer.copy_params()
    trainer.params["w"][...] = 5.0
    assert copied["w"].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_copy_params_copies_every_array():
    trainer = Trainer()
    trainer.params = {"w": np.ones((2, 2)), "mean": np.zeros((1, 2))}
    assert sorted(trainer.copy_params()) == ["mean", "w"]
