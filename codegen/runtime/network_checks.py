"""Checks of the arguments of a generated network module: plain Python, copied into every module.

``codegen.network_module`` prints each function of this file into the
module it renders (``runtime_source``), so generated code still needs NumPy
alone.  Each check names the argument at fault, what is accepted and what
was given; they read a module's tables (``PARAMETERS``...) only as arguments.
"""

import numpy as np


def _shape_text(shape):
    """``(N, 3)``: a shape as the messages write it, ``None`` (any size) as ``N``."""
    sizes = ["N" if size is None else str(size) for size in shape]
    return "(" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"


def _array(name, value, shape, finite=False, rows=False):
    """``value`` as a float64 array of ``shape`` (``None`` entries: any size), else a ValueError naming both.

    A float64 array is used as it is (no copy); anything else of real
    numbers is converted.  With ``rows``, an array of 0 rows is refused;
    with ``finite``, a NaN or infinite entry is, naming its position.
    """
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        array = value
    else:
        if np.iscomplexobj(value):
            raise ValueError(f"{name}: expected real numbers of shape {_shape_text(shape)}, got complex numbers")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{name}: expected an array of real numbers of shape {_shape_text(shape)}, "
                f"got {type(value).__name__} that is not one ({error})"
            ) from None
    if array.ndim != len(shape) or any(want is not None and got != want for got, want in zip(array.shape, shape)):
        raise ValueError(f"{name}: expected an array of shape {_shape_text(shape)}, got shape {array.shape}")
    if rows and array.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one row of shape {_shape_text(shape)}, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name}: expected finite numbers, got {array[where]} at {where} of shape {array.shape}")
    return array


def _labels(name, value, classes, outputs):
    """Integer class labels as the target rows they stand for; anything else is returned as it is.

    With ``classes`` (a classifier's), a 1-D array of N integers in
    ``range(classes)`` becomes ``(N, outputs)`` targets: one-hot rows, or,
    for a single binary output, the column of 0s and 1s.  A 1-D array of
    anything but integers, or a label out of range, is a ValueError saying
    what is accepted.  Without ``classes`` (not a classifier) nothing changes.
    """
    if classes is None:
        return value
    try:
        labels = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if labels.ndim != 1:
        return value
    accepted = (f"expected integer class labels (a 1-D array of N integers in 0..{classes - 1}) "
                f"or targets of shape (N, {outputs})")
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{name}: {accepted}, got a 1-D array of dtype {labels.dtype}")
    outside = (labels < 0) | (labels >= classes)
    if outside.any():
        where = int(np.argmax(outside))
        raise ValueError(f"{name}: {accepted}, got label {labels[where]} at index {where}")
    if outputs == 1:
        return labels.astype(np.float64).reshape(-1, 1)
    return np.eye(outputs)[labels]


def _data(x, y, inputs, outputs, x_name="x", y_name="y", finite=False, classes=None):
    """Inputs ``(N, inputs)`` and targets ``(N, outputs)``, at least one row, as many rows each.

    With ``classes``, integer class labels stand for their targets (``_labels``).
    """
    x = _array(x_name, x, (None, inputs), finite, rows=True)
    y = _array(y_name, _labels(y_name, y, classes, outputs), (None, outputs), finite, rows=True)
    if len(x) != len(y):
        raise ValueError(f"{y_name}: expected {len(x)} rows like {x_name}, got shape {y.shape}")
    return x, y


def _mapping(name, value, names, hint):
    """``value`` as a dict holding every one of ``names``, else a ValueError naming the missing ones."""
    if not hasattr(value, "keys") or not hasattr(value, "__getitem__"):
        raise ValueError(f"{name}: expected a dict of {', '.join(names)} ({hint}), got {type(value).__name__}")
    missing = [key for key in names if key not in value]
    if missing:
        raise ValueError(f"{name}: missing {', '.join(missing)}; expected {', '.join(names)} ({hint})")
    return value


def _arrays(name, value, shapes, hint, finite=False):
    """Each array of the dict ``value`` named in ``shapes``, as float64 of its shape (``_array``)."""
    value = _mapping(name, value, list(shapes), hint)
    return {key: _array(key, value[key], shape, finite) for key, shape in shapes.items()}


def _cache(cache, names, rows=None):
    """``forward``'s cache: a dict holding ``names``, its output of ``rows`` rows (the batch's) when given."""
    cache = _mapping("cache", cache, names, "the cache of forward(params, x, training=True) on the same x")
    if rows is not None and "out" in cache and np.shape(cache["out"])[:1] != (rows,):
        raise ValueError(
            f"cache: expected the cache of the {rows} rows of x, got out of shape {np.shape(cache['out'])}"
        )
    return cache


def _number(name, value, minimum=None, integer=False, positive=False):
    """A finite real number (an integer with ``integer``), at least ``minimum`` or above 0, else a ValueError."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    wanted = "an integer" if integer else "a finite real number"
    wanted += f" >= {minimum}" if minimum is not None else " > 0" if positive else ""
    if isinstance(value, bool) or not isinstance(value, kinds) or not np.isfinite(value):
        raise ValueError(f"{name}: expected {wanted}, got {value!r}")
    if (minimum is not None and value < minimum) or (positive and value <= 0):
        raise ValueError(f"{name}: expected {wanted}, got {value!r}")
    return value


def _finite_cost(cost):
    """A FloatingPointError when the cost is NaN or infinite."""
    if not np.isfinite(cost):
        raise FloatingPointError(f"the cost is {cost}")
    return cost


def _finite_gradients(grads, flat=None):
    """A FloatingPointError naming the first gradient with a NaN or infinite entry, and where.

    ``flat``, every gradient in one array, is checked first by its largest
    and smallest entries (NaN propagates through both), which allocates nothing.
    """
    if flat is not None and np.isfinite(flat.max(initial=0.0)) and np.isfinite(flat.min(initial=0.0)):
        return grads
    for name, grad in grads.items():
        if not np.all(np.isfinite(grad)):
            where = tuple(int(i) for i in np.argwhere(~np.isfinite(grad))[0])
            raise FloatingPointError(f"the gradient {name} is {grad[where]} at {where} of shape {grad.shape}")
    return grads
