"""Training curves: the history a generated module's ``fit`` returns, drawn as a PNG.

One panel for the cost and one per metric (``accuracy``), the validation
curve beside the training one where ``fit`` had validation data, and the best
epoch marked when early stopping kept one.  Epochs are counted from 1, as
``fit``'s progress lines count them.  matplotlib (the ``plot`` extra) draws
through a ``Figure`` of its own on the Agg canvas, so no display and no pyplot
state are involved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_history", "panels"]

#: What ``fit`` keeps beside the curves: epoch numbers, not one value per epoch.
EPOCH_KEYS = ("best_epoch", "stopped_epoch")
INSTALL = "pip install 'symprop[plot]'"


def panels(history: Mapping) -> dict[str, dict[str, list[float]]]:
    """``{"cost": {"cost": [...], "val_cost": [...]}, "accuracy": {...}}``: each panel's non-empty curves."""
    if not isinstance(history, Mapping) or not isinstance(history.get("cost"), Sequence):
        raise ValueError(
            f"plot_history: expected the history dict a generated module's fit returns (with a 'cost' list), "
            f"got {type(history).__name__}"
        )
    if not history["cost"]:
        raise ValueError("plot_history: the history has no epochs (fit ran with epochs=0)")
    names = [key for key in history if key not in EPOCH_KEYS and not key.startswith("val_")]
    return {name: {key: _curve(key, history[key]) for key in (name, f"val_{name}") if history.get(key)}
            for name in names}


def plot_history(history: Mapping, path: Path) -> Figure:
    """Draw ``panels(history)`` side by side into the PNG ``path``; returns the figure."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(f"plot_history needs matplotlib, the plot extra: {INSTALL}") from error
    shown = panels(history)
    figure = Figure(figsize=(4.5 * len(shown), 3.5), dpi=100)
    FigureCanvasAgg(figure)
    best = history.get("best_epoch")
    for axes, (name, curves) in zip(figure.subplots(1, len(shown), squeeze=False)[0], shown.items()):
        for key, values in curves.items():
            axes.plot(range(1, len(values) + 1), values, label=key, linestyle="--" if key.startswith("val_") else "-")
        if best is not None:
            axes.axvline(best + 1, color="0.6", linewidth=0.8, linestyle=":", label=f"best epoch {best + 1}")
        axes.set_title(name)
        axes.set_xlabel("epoch")
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, format="png", metadata={"Software": None})
    return figure


def _curve(key: str, values: object) -> list[float]:
    """``values`` as floats; anything but a list of real numbers is a ValueError naming ``key``."""
    try:
        return [float(value) for value in values]
    except (TypeError, ValueError):
        raise ValueError(f"plot_history: history[{key!r}] must be a list of numbers, one per epoch") from None
