"""A network module's ``fit``: epochs of batches stepped by its ``Trainer``, plain Python, copied into it.

``Trainer``, ``learning_rate``, ``INPUTS`` and ``OUTPUTS`` are printed into
each module by the network template; the names bound here stand in for
them, so that the file runs as written (the tests bind them).
"""

import numpy as np

from .network_checks import _data, _number
from .network_passes import _cost
from .network_tables import _params

#: A module's sizes, in-place trainer and learning-rate schedule, printed into it.
INPUTS = OUTPUTS = None
Trainer = learning_rate = None


def fit(params, x, y, epochs, batch_size=None, shuffle=False, rng=None, x_val=None, y_val=None, patience=None,
        verbose=1, every=10, check_finite=False):
    """Train for ``epochs`` epochs; returns ``(params, history)`` and leaves ``params`` untouched.

    Each epoch runs through ``x`` in batches of ``batch_size`` rows (all rows
    when None; the last, smaller batch is used too), in a new order drawn
    from ``rng`` (a Generator or a seed) when ``shuffle``, stepping at
    ``learning_rate(epoch)``; layers in ``FROZEN`` do not change.
    ``history["cost"][e]`` is epoch ``e``'s training cost, the mean of its
    batch costs weighted by rows, each taken before that batch's update (with
    one batch: the cost of the parameters the epoch starts from).  With
    ``x_val`` and ``y_val``, ``history["val_cost"][e]`` is the validation
    cost after epoch ``e``; with ``patience`` too, training stops once it has
    not improved for ``patience`` epochs, and a copy of the parameters of the
    best epoch (``history["best_epoch"]``) is returned.  With ``verbose`` > 0
    a progress line is printed every ``every`` epochs and after the last.
    With ``check_finite``, NaN or infinity in the data is a ValueError; without,
    a NaN or infinite cost or gradient (or validation cost) stops training with
    a FloatingPointError naming the epoch and the batch.
    Dropout masks are drawn from ``rng`` too.
    """
    params = _params(params)
    x, y = _data(x, y, INPUTS, OUTPUTS, finite=check_finite)
    epochs = _number("epochs", epochs, minimum=0, integer=True)
    validating = x_val is not None or y_val is not None
    if validating:
        x_val, y_val = _data(x_val, y_val, INPUTS, OUTPUTS, "x_val", "y_val", check_finite)
    if patience is not None and not validating:
        raise ValueError("patience: early stopping needs x_val and y_val")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ValueError(f"batch_size: expected None or an integer >= 1, got {batch_size!r}")
    rng = np.random.default_rng(rng)
    size = len(x) if batch_size is None else batch_size
    trainer = Trainer(params, rng=rng)
    history = {"cost": [], "val_cost": [], "best_epoch": None}
    best, waited = None, 0
    for epoch in range(epochs):
        order = rng.permutation(len(x)) if shuffle else None
        rate = learning_rate(epoch)
        costs, rows = [], []
        for start in range(0, len(x), size):
            batch = slice(start, start + size) if order is None else order[start:start + size]
            x_batch, y_batch = x[batch], y[batch]
            try:
                costs.append(trainer.train_step(x_batch, y_batch, rate))
            except FloatingPointError as error:
                raise FloatingPointError(
                    f"fit: epoch {epoch}, batch {len(costs)} (rows {start} to {start + len(x_batch) - 1}): {error}"
                ) from error
            rows.append(len(x_batch))
        history["cost"].append(float(np.average(costs, weights=rows)))
        line = f"epoch {epoch}: cost {history['cost'][-1]:.6g}"
        if validating:
            history["val_cost"].append(float(_cost(trainer.params, x_val, y_val)))
            if not np.isfinite(history["val_cost"][-1]):
                raise FloatingPointError(f"fit: epoch {epoch}: the validation cost is {history['val_cost'][-1]}")
            line += f", val_cost {history['val_cost'][-1]:.6g}"
            if best is None or history["val_cost"][-1] < history["val_cost"][history["best_epoch"]]:
                best = trainer.copy_params()
                history["best_epoch"], waited = epoch, 0
            else:
                waited += 1
        if verbose and (epoch % every == 0 or epoch == epochs - 1):
            print(line)
        if patience is not None and waited >= patience:
            break
    if patience is not None and best is not None:
        return best, history
    return trainer.copy_params(), history
