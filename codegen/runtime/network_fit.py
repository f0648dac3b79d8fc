"""A network module's ``fit``: epochs of batches stepped by its ``Trainer``, plain Python, copied into it.

``Trainer``, ``learning_rate``, ``INPUTS``, ``OUTPUTS``, ``CLASSES`` and
``_METRICS`` (each metric's name and function: ``accuracy`` in a classifier
module, none otherwise) are printed into each module by the network
template; the names bound here stand in for them, so that the file runs as
written (the tests bind them).
"""

import time

import numpy as np
import numpy.typing as npt

from .network_checks import _data, _number
from .network_freezing import _frozen
from .network_passes import _cost
from .network_tables import _params

#: A module's sizes, in-place trainer, learning-rate schedule and metrics, printed into it.
INPUTS = OUTPUTS = CLASSES = None
Trainer = learning_rate = None
_METRICS: dict = {}


def _metric_names(metrics):
    """The names in ``metrics`` (a name or a sequence of names), each one of ``_METRICS``, else a ValueError."""
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    accepted = ", ".join(_METRICS) or "none (metrics need a classification loss)"
    for name in names:
        if name not in _METRICS:
            raise ValueError(f"metrics: unknown metric {name!r}; accepted: {accepted}")
    return names


def _progress(epoch, epochs, history, names, seconds):
    """``epoch 3/100  cost 0.21  val_cost 0.25  accuracy 0.94  val_accuracy 0.93  (0.02 s)``: the last epoch's."""
    shown = ["cost", "val_cost"] + [f"{prefix}{name}" for name in names for prefix in ("", "val_")]
    values = [f"{key} {history[key][-1]:.4g}" for key in shown if history.get(key)]
    return "  ".join([f"epoch {epoch + 1}/{epochs}", *values, f"({seconds:.2f} s)"])


def fit(params: dict[str, np.ndarray], x: npt.ArrayLike, y: npt.ArrayLike, epochs: int, batch_size: int | None = None,
        shuffle: bool = False, rng: np.random.Generator | int | None = None, x_val: npt.ArrayLike | None = None,
        y_val: npt.ArrayLike | None = None, patience: int | None = None, verbose: int = 1, every: int = 10,
        check_finite: bool = False, metrics: str | list | tuple = (), frozen: int | str | list | tuple | None = None,
        ) -> tuple[dict[str, np.ndarray], dict[str, list[float] | int | None]]:
    """Train for ``epochs`` epochs; returns ``(params, history)`` and leaves ``params`` untouched.

    Each epoch runs through ``x`` in batches of ``batch_size`` rows (all rows
    when None; the last, smaller batch is used too), in a new order drawn
    from ``rng`` (a Generator or a seed) when ``shuffle``, stepping at
    ``learning_rate(epoch)``.  The arrays of ``frozen`` do not change: layer
    numbers (``LAYERS``, counted from 1) and parameter names (``"w1"``), one
    or a list; None stands for ``FROZEN``, the spec's, which any list must name too.
    ``history["cost"][e]`` is epoch ``e``'s training cost, the mean of its
    batch costs weighted by rows, each taken before that batch's update (with
    one batch: the cost of the parameters the epoch starts from).  With
    ``x_val`` and ``y_val``, ``history["val_cost"][e]`` is the validation
    cost after epoch ``e``; with ``patience`` too, training stops once it has
    not improved for ``patience`` epochs, and a copy of the parameters of the
    best epoch (``history["best_epoch"]``) is returned.  ``metrics``
    (``("accuracy",)`` in a classifier module) adds ``history[name]``, each
    metric of the parameters at the end of every epoch on ``x``, ``y`` in
    inference mode, and ``history["val_" + name]`` with validation data.
    With ``verbose`` > 0 a progress line, ``epoch 3/100  cost 0.21  val_cost
    0.25  accuracy 0.94  val_accuracy 0.93  (0.02 s)`` (epochs counted from 1,
    the epoch's seconds last), is printed for the first epoch, every
    ``every``-th and the last, and an early stop says which epoch's
    parameters were restored (``history["stopped_epoch"]``).  Targets may be
    integer class labels in a classifier module.
    With ``check_finite``, NaN or infinity in the data is a ValueError; without,
    a NaN or infinite cost or gradient (or validation cost) stops training with
    a FloatingPointError naming the epoch and the batch.
    Dropout masks are drawn from ``rng`` too.
    """
    params = _params(params)
    x, y = _data(x, y, INPUTS, OUTPUTS, finite=check_finite, classes=CLASSES)
    epochs = _number("epochs", epochs, minimum=0, integer=True)
    names, frozen = _metric_names(metrics), _frozen(frozen)
    validating = x_val is not None or y_val is not None
    if validating:
        x_val, y_val = _data(x_val, y_val, INPUTS, OUTPUTS, "x_val", "y_val", check_finite, CLASSES)
    if patience is not None and not validating:
        raise ValueError("patience: early stopping needs x_val and y_val")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ValueError(f"batch_size: expected None or an integer >= 1, got {batch_size!r}")
    rng = np.random.default_rng(rng)
    size = len(x) if batch_size is None else batch_size
    trainer = Trainer(params, rng=rng)
    prefixes = ("", "val_") if validating else ("",)
    history = {"cost": [], "val_cost": [], **{prefix + name: [] for name in names for prefix in prefixes},
               "best_epoch": None, "stopped_epoch": None}
    best, waited = None, 0
    for epoch in range(epochs):
        started = time.perf_counter()
        order = rng.permutation(len(x)) if shuffle else None
        rate = learning_rate(epoch)
        costs, rows = [], []
        for start in range(0, len(x), size):
            batch = slice(start, start + size) if order is None else order[start:start + size]
            x_batch, y_batch = x[batch], y[batch]
            try:
                costs.append(trainer.train_step(x_batch, y_batch, rate, frozen=frozen))
            except FloatingPointError as error:
                raise FloatingPointError(
                    f"fit: epoch {epoch}, batch {len(costs)} (rows {start} to {start + len(x_batch) - 1}): {error}"
                ) from error
            rows.append(len(x_batch))
        history["cost"].append(float(np.average(costs, weights=rows)))
        for name in names:
            history[name].append(_METRICS[name](trainer.params, x, y))
            if validating:
                history["val_" + name].append(_METRICS[name](trainer.params, x_val, y_val))
        if validating:
            history["val_cost"].append(float(_cost(trainer.params, x_val, y_val)))
            if not np.isfinite(history["val_cost"][-1]):
                raise FloatingPointError(f"fit: epoch {epoch}: the validation cost is {history['val_cost'][-1]}")
            if best is None or history["val_cost"][-1] < history["val_cost"][history["best_epoch"]]:
                best = trainer.copy_params()
                history["best_epoch"], waited = epoch, 0
            else:
                waited += 1
        stopping = patience is not None and waited >= patience
        if verbose and (epoch == 0 or (epoch + 1) % every == 0 or epoch == epochs - 1 or stopping):
            print(_progress(epoch, epochs, history, names, time.perf_counter() - started))
        if stopping:
            history["stopped_epoch"] = epoch
            if verbose:
                kept = history["best_epoch"]
                print(f"early stopping at epoch {epoch + 1}/{epochs}: val_cost has not improved for {patience} "
                      f"epochs; restored the parameters of epoch {kept + 1} (val_cost {history['val_cost'][kept]:.4g})")
            break
    if patience is not None and best is not None:
        return best, history
    return trainer.copy_params(), history
