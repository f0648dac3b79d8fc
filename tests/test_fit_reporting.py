"""``fit`` reports as the familiar tools do: one line per shown epoch, metrics in the history, early stops named."""

import re

import numpy as np
import pytest

from classifiers import argmax_rows, example2, example2_params, inputs, labels
from generated import example1
from network_modules import module_of, spec_of

X, LABELS = inputs(30, 3), labels(30, 3)
X_VAL, LABELS_VAL = inputs(10, 3, seed=5), labels(10, 3, seed=6)
NUMBER = r"[-+]?\d[\d.e+-]*"
LINE = re.compile(rf"epoch (\d+)/(\d+)  cost ({NUMBER})  val_cost ({NUMBER})  accuracy ({NUMBER})  "
                  rf"val_accuracy ({NUMBER})  \((\d+\.\d\d) s\)")


def fit(capsys, **options):
    """example2 fitted on the labels; its parameters, history and printed lines."""
    arguments = {"x_val": X_VAL, "y_val": LABELS_VAL, "metrics": ("accuracy",), **options}
    params, history = example2.fit(example2_params(), X, LABELS, **arguments)
    return params, history, capsys.readouterr().out.splitlines()


def test_the_progress_line_reads_epoch_cost_val_cost_accuracy_val_accuracy_and_seconds(capsys):
    _, _, lines = fit(capsys, epochs=3, every=1)
    assert all(LINE.fullmatch(line) for line in lines) and len(lines) == 3


def test_the_progress_line_counts_epochs_from_one_out_of_all(capsys):
    _, _, lines = fit(capsys, epochs=3, every=1)
    assert [LINE.fullmatch(line).group(1, 2) for line in lines] == [("1", "3"), ("2", "3"), ("3", "3")]


def test_the_progress_line_shows_the_history_of_its_epoch(capsys):
    _, history, lines = fit(capsys, epochs=2, every=1)
    shown = [float(value) for value in LINE.fullmatch(lines[1]).group(3, 4, 5, 6)]
    recorded = [history[key][1] for key in ("cost", "val_cost", "accuracy", "val_accuracy")]
    assert shown == pytest.approx(recorded, rel=1e-3)


def test_metrics_put_one_accuracy_per_epoch_in_the_history(capsys):
    _, history, _ = fit(capsys, epochs=4, verbose=0)
    assert len(history["accuracy"]) == 4 and len(history["val_accuracy"]) == 4


def test_the_last_recorded_accuracy_is_that_of_the_returned_parameters(capsys):
    params, history, _ = fit(capsys, epochs=4, verbose=0)
    classes = argmax_rows(example2.predict(params, X))
    assert history["accuracy"][-1] == sum(int(c == label) for c, label in zip(classes, LABELS)) / len(X)


def test_without_validation_data_the_history_has_no_validation_accuracy():
    _, history = example2.fit(example2_params(), X, LABELS, 2, metrics=("accuracy",), verbose=0)
    assert "val_accuracy" not in history and len(history["accuracy"]) == 2


def test_an_unknown_metric_is_a_value_error_naming_the_accepted_ones():
    with pytest.raises(ValueError, match=r"metrics: unknown metric 'f1'; accepted: accuracy"):
        example2.fit(example2_params(), X, LABELS, 1, metrics=("f1",), verbose=0)


def test_a_regression_module_accepts_no_metric():
    x, y = inputs(4, 2), inputs(4, 2, seed=3)
    with pytest.raises(ValueError, match=r"unknown metric 'accuracy'; accepted: none \(metrics need a classification"):
        example1.fit(example1.init_params(0), x, y, 1, metrics=("accuracy",), verbose=0)


#: example2's layers at a learning rate that fits 30 samples within a few dozen epochs.
FAST = {"name": "fast", "inputs": 3, "loss": "softmax_neg_log_likelihood", "optimizer": {"learning_rate": 0.5},
        "layers": [{"units": 8, "activation": "tanh"}, {"units": 3, "activation": "linear"}]}


def early_stop(capsys, verbose=1):
    """Validation labels that disagree with the training ones, so the validation cost soon rises."""
    module = module_of(spec_of(FAST))
    wrong = (LABELS + 1) % 3
    params, history = module["fit"](module["init_params"](0), X, LABELS, 200, x_val=X, y_val=wrong, patience=3,
                                    verbose=verbose, metrics=("accuracy",))
    return params, history, capsys.readouterr().out.splitlines()


def test_early_stopping_says_which_epochs_parameters_it_restored(capsys):
    _, history, lines = early_stop(capsys)
    best, stopped = history["best_epoch"], history["stopped_epoch"]
    assert lines[-1] == (f"early stopping at epoch {stopped + 1}/200: val_cost has not improved for 3 epochs; "
                         f"restored the parameters of epoch {best + 1} (val_cost {history['val_cost'][best]:.4g})")


def test_early_stopping_restores_the_epoch_of_the_lowest_validation_cost(capsys):
    _, history, _ = early_stop(capsys)
    assert history["best_epoch"] == int(np.argmin(history["val_cost"])) and history["stopped_epoch"] < 199


def test_early_stopping_prints_the_line_of_the_epoch_it_stops_at(capsys):
    _, history, lines = early_stop(capsys)
    assert lines[-2].startswith(f"epoch {history['stopped_epoch'] + 1}/200  ")


def test_verbose_0_prints_nothing_not_even_an_early_stop(capsys):
    _, history, lines = early_stop(capsys, verbose=0)
    assert lines == [] and history["stopped_epoch"] is not None
