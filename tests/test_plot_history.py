"""``symprop.plot_history`` draws what a generated module's ``fit`` returns; matplotlib stays optional."""

import subprocess
import sys

import pytest

import symprop

from network_modules import module_of, spec_of

SPEC = {"name": "tiny", "inputs": 4, "loss": "softmax_neg_log_likelihood",
        "optimizer": {"name": "sgd", "learning_rate": 0.1},
        "layers": [{"units": 3, "activation": "linear", "weight_init": "glorot_uniform"}]}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def history() -> dict:
    """Eight epochs of a classifier on iris, validated on every other flower, with accuracy."""
    x, y = symprop.load_iris()
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    module = module_of(spec_of(SPEC))
    _, history = module["fit"](module["init_params"](0), x[::2], y[::2], 8, x_val=x[1::2], y_val=y[1::2],
                               metrics=("accuracy",), patience=20, verbose=0)
    return history


def lines_of(axes) -> dict[str, list[float]]:
    """Each plotted curve of ``axes`` by its legend label: its y values."""
    lines = [line for line in axes.get_lines() if not line.get_label().startswith("best epoch")]
    return {line.get_label(): list(line.get_ydata()) for line in lines}


def test_the_png_is_written_and_is_a_png(history, tmp_path):
    symprop.plot_history(history, tmp_path / "curves.png")
    data = (tmp_path / "curves.png").read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > len(PNG_SIGNATURE)


def test_one_panel_for_the_cost_and_one_per_metric(history, tmp_path):
    figure = symprop.plot_history(history, tmp_path / "curves.png")
    assert [axes.get_title() for axes in figure.axes] == ["cost", "accuracy"]


def test_the_cost_panel_draws_the_training_and_validation_costs_of_every_epoch(history, tmp_path):
    cost = symprop.plot_history(history, tmp_path / "curves.png").axes[0]
    assert lines_of(cost) == {"cost": history["cost"], "val_cost": history["val_cost"]}
    assert list(cost.get_lines()[0].get_xdata()) == list(range(1, 9))


def test_the_metric_panel_draws_the_training_and_validation_accuracy(history, tmp_path):
    accuracy = symprop.plot_history(history, tmp_path / "curves.png").axes[1]
    assert lines_of(accuracy) == {"accuracy": history["accuracy"], "val_accuracy": history["val_accuracy"]}


def test_the_best_epoch_is_marked_counted_from_1(history, tmp_path):
    cost = symprop.plot_history(history, tmp_path / "curves.png").axes[0]
    (marker,) = [line for line in cost.get_lines() if line.get_label().startswith("best epoch")]
    assert list(marker.get_xdata()) == [history["best_epoch"] + 1] * 2


def test_without_validation_data_only_the_training_curve_is_drawn(tmp_path):
    history = {"cost": [0.9, 0.5, 0.4], "val_cost": [], "best_epoch": None, "stopped_epoch": None}
    figure = symprop.plot_history(history, tmp_path / "curves.png")
    assert len(figure.axes) == 1 and lines_of(figure.axes[0]) == {"cost": [0.9, 0.5, 0.4]}


@pytest.mark.parametrize("given", [[0.5, 0.4], {"val_cost": [0.5]}, {"cost": 0.5}])
def test_anything_but_a_fit_history_is_refused_by_name(given, tmp_path):
    with pytest.raises(ValueError, match="plot_history: expected the history dict a generated module's fit returns"):
        symprop.plot_history(given, tmp_path / "curves.png")


def test_a_history_of_no_epochs_is_refused(tmp_path):
    with pytest.raises(ValueError, match="the history has no epochs"):
        symprop.plot_history({"cost": [], "val_cost": []}, tmp_path / "curves.png")


def test_a_curve_that_is_not_numbers_is_refused_by_its_key(tmp_path):
    with pytest.raises(ValueError, match=r"history\['accuracy'\] must be a list of numbers"):
        symprop.plot_history({"cost": [0.5], "accuracy": ["high"]}, tmp_path / "curves.png")


def test_without_matplotlib_the_error_names_the_plot_extra(monkeypatch, tmp_path):
    for name in [name for name in sys.modules if name.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"needs matplotlib, the plot extra: pip install 'symprop\[plot\]'"):
        symprop.plot_history({"cost": [0.5]}, tmp_path / "curves.png")
    assert not (tmp_path / "curves.png").exists()


def test_importing_symprop_does_not_import_matplotlib():
    code = "import symprop, sys; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_validation_curves_are_dashed_and_the_best_epoch_dotted(history, tmp_path):
    cost = symprop.plot_history(history, tmp_path / "curves.png").axes[0]
    styles = {line.get_label(): line.get_linestyle() for line in cost.get_lines()}
    assert styles == {"cost": "-", "val_cost": "--", f"best epoch {history['best_epoch'] + 1}": ":"}
