"""``codegen/runtime/network_fit.py`` runs as written: ``fit`` over a stand-in trainer and a hand-written network."""

import numpy as np
import pytest

from codegen.runtime.network_fit import fit
from codegen.runtime.trainer_shell import Trainer as Shell
from runtime_network import LINEAR, backward, bind, data, loss, params


class StepTrainer(Shell):
    """Plain gradient descent on the linear network; ``copy_params`` comes from the runtime's shell."""

    def __init__(self, params, rng=None):
        self.params = {name: value.copy() for name, value in params.items()}
        self.batches, self.frozen = [], []

    def train_step(self, x, y, learning_rate, frozen=None):
        self.batches.append(len(x))
        self.frozen.append(frozen)
        cache = {"out": x @ self.params["w"].T + self.params["b"]}
        cost = loss(y, cache["out"])
        for name, grad in backward(self.params, x, y, cache).items():
            self.params[name[1:]] -= learning_rate * grad
        return cost


@pytest.fixture
def trainers(monkeypatch):
    """Bind the linear network and a StepTrainer at rate 0.1; the list holds every trainer made."""
    made = []

    def trainer(params, rng=None):
        made.append(StepTrainer(params, rng))
        return made[-1]

    bind(monkeypatch, **LINEAR, Trainer=trainer, learning_rate=lambda epoch: 0.1)
    return made


def test_fit_leaves_the_parameters_it_is_given_untouched(trainers):
    given = params()
    fit(given, *data(), epochs=3, verbose=0)
    assert given["w"].tolist() == [[0.5, -0.25]] and given["b"].tolist() == [[0.1]]


def test_fit_records_one_training_cost_per_epoch(trainers):
    _, history = fit(params(), *data(), epochs=4, verbose=0)
    assert len(history["cost"]) == 4


def test_fit_lowers_the_cost_epoch_after_epoch(trainers):
    _, history = fit(params(), *data(), epochs=20, verbose=0)
    assert all(later < earlier for earlier, later in zip(history["cost"], history["cost"][1:]))


def test_fit_returns_the_trained_parameters(trainers):
    trained, _ = fit(params(), *data(), epochs=2, verbose=0)
    assert np.array_equal(trained["w"], trainers[0].params["w"]) and trained["w"] is not trainers[0].params["w"]


def test_fit_steps_every_batch_including_the_last_smaller_one(trainers):
    fit(params(), *data(rows=5), epochs=1, batch_size=2, verbose=0)
    assert trainers[0].batches == [2, 2, 1]


def test_the_epoch_cost_is_the_mean_of_the_batch_costs_weighted_by_rows(monkeypatch, trainers):
    monkeypatch.setattr(StepTrainer, "train_step", lambda self, x, y, rate, frozen: float(len(x)))
    _, history = fit(params(), *data(rows=5), epochs=1, batch_size=2, verbose=0)
    assert history["cost"] == [pytest.approx((2 * 2 + 2 * 2 + 1 * 1) / 5)]


def test_a_floating_point_error_names_the_epoch_the_batch_and_its_rows(monkeypatch, trainers):
    def fails_on_the_second(self, x, y, rate, frozen):
        self.batches.append(len(x))
        if len(self.batches) == 2:
            raise FloatingPointError("the cost is nan")
        return 1.0

    monkeypatch.setattr(StepTrainer, "train_step", fails_on_the_second)
    with pytest.raises(FloatingPointError, match=r"fit: epoch 0, batch 1 \(rows 2 to 3\): the cost is nan"):
        fit(params(), *data(rows=5), epochs=1, batch_size=2, verbose=0)


def test_early_stopping_returns_the_parameters_of_the_best_validation_epoch(monkeypatch, trainers):
    slopes = iter([0.5, 1.0, 2.0, 3.0, 4.0])

    def next_slope(self, x, y, rate, frozen):
        self.params["w"][...] = [[next(slopes), 0.0]]
        return 1.0

    monkeypatch.setattr(StepTrainer, "train_step", next_slope)
    x = np.array([[1.0, 0.0], [2.0, 0.0]])
    y = x[:, :1]  # the best slope is 1, set by the second epoch
    best, history = fit(params(b=[[0.0]]), x, y, epochs=5, x_val=x, y_val=y, patience=2, verbose=0)
    assert (best["w"].tolist(), history["best_epoch"], len(history["cost"])) == ([[1.0, 0.0]], 1, 4)


def test_fit_passes_the_frozen_parameters_of_its_layers_to_every_step(monkeypatch, trainers):
    bind(monkeypatch, LAYERS={1: ("w", "b")})
    fit(params(), *data(rows=5), epochs=2, batch_size=2, verbose=0, frozen=1)
    assert trainers[0].frozen == [("w", "b")] * 6


def test_fit_refuses_a_bad_frozen_value_before_any_step(monkeypatch, trainers):
    bind(monkeypatch, LAYERS={1: ("w", "b")})
    with pytest.raises(ValueError, match="frozen: there is no layer 2"):
        fit(params(), *data(), epochs=1, verbose=0, frozen=2)
    assert trainers == []


def test_patience_without_validation_data_is_refused(trainers):
    with pytest.raises(ValueError, match="patience: early stopping needs x_val and y_val"):
        fit(params(), *data(), epochs=1, patience=2)


def test_a_batch_size_of_zero_is_refused(trainers):
    with pytest.raises(ValueError, match="batch_size: expected None or an integer >= 1, got 0"):
        fit(params(), *data(), epochs=1, batch_size=0)


def test_check_finite_refuses_nan_data(trainers):
    x, y = data()
    y[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"y: expected finite numbers, got nan at \(3, 0\)"):
        fit(params(), x, y, epochs=1, check_finite=True)


def test_a_progress_line_is_printed_first_every_every_epochs_and_after_the_last(trainers, capsys):
    fit(params(), *data(), epochs=7, every=3)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["epoch 1/7", "epoch 3/7", "epoch 6/7", "epoch 7/7"]


def test_shuffling_visits_the_rows_in_an_order_drawn_from_rng(monkeypatch, trainers):
    seen = []
    monkeypatch.setattr(StepTrainer, "train_step", lambda self, x, y, rate, frozen: seen.append(x[:, 0].tolist()) or 1.0)
    x = np.arange(8.0).reshape(4, 2)
    fit(params(), x, x[:, :1], epochs=1, batch_size=4, shuffle=True, rng=3, verbose=0)
    assert seen == [x[np.random.default_rng(3).permutation(4), 0].tolist()]
