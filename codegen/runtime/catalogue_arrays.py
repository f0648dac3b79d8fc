"""Argument checks and dtypes of the generated catalogue functions: plain NumPy, no mathematics.

The generator copies everything below the import into each catalogue module
(``generated/activations.py`` and the others), which import NumPy alone.
Every refusal is a ValueError or TypeError naming the function, the argument,
what is accepted and what was given.  Half precision is computed in float32
and returned as float16: float16 overflows at 65504 inside many formulas.
"""

import numpy as np


def _real(function, name, value):
    """``value`` as a floating array (integers and booleans become float64); anything else is refused."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{function}: {name} must be an array of real numbers ({error})") from None
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    if array.dtype.kind != "f":
        raise TypeError(f"{function}: {name} must be an array of real numbers, got dtype {array.dtype}")
    return array


def _working(array):
    """The array a formula is evaluated on: float16 widened to float32, other floats as they are."""
    return array.astype(np.float32) if array.dtype == np.float16 else array


def _finite(function, name, array):
    """Refuse an infinite entry; NaN is let through and gives NaN."""
    infinite = np.isinf(array)
    if infinite.any():
        index = tuple(int(k) for k in np.argwhere(infinite)[0])
        raise ValueError(
            f"{function}: {name} must be finite (NaN gives NaN), got {array[index]} at index {index}"
        )


def _batch(function, name, array):
    """Refuse anything but a 2-D array of shape (samples, features) with at least one feature."""
    if array.ndim != 2:
        raise ValueError(
            f"{function}: {name} must be a 2-D array of shape (samples, features), got shape {array.shape}"
        )
    if array.shape[1] == 0:
        raise ValueError(f"{function}: {name} must have at least one feature, got shape {array.shape}")


def _elementwise_argument(function, name, value):
    """An elementwise function's input, of any shape: the working array and the dtype returned."""
    array = _real(function, name, value)
    return _working(array), array.dtype


def _rows_arguments(function, *named):
    """A row-wise function's inputs (``name, value`` pairs), each (samples, features), finite, of one shape.

    Returns the working arrays and the dtype of the first, which the result takes.
    """
    arrays = []
    for name, value in zip(named[::2], named[1::2]):
        array = _real(function, name, value)
        _batch(function, name, array)
        if arrays and array.shape != arrays[0].shape:
            raise ValueError(
                f"{function}: {name} must have the shape of {named[0]} {arrays[0].shape}, got shape {array.shape}"
            )
        _finite(function, name, array)
        arrays.append(array)
    return (*(_working(a) for a in arrays), arrays[0].dtype)


def _loss_arguments(function, targets, target_values, predictions, prediction_values, within=None):
    """A loss's targets and predictions: one shape (samples, features), at least one sample, finite.

    ``within`` is the closed interval the predictions must lie in (probabilities), or None.
    Returns the working arrays and the dtype of the predictions, which the result takes.
    """
    prediction_array = _real(function, predictions, prediction_values)
    _batch(function, predictions, prediction_array)
    if prediction_array.shape[0] == 0:
        raise ValueError(
            f"{function}: {predictions} must hold at least one sample, got shape {prediction_array.shape}"
        )
    target_array = _real(function, targets, target_values)
    if target_array.shape != prediction_array.shape:
        raise ValueError(
            f"{function}: {targets} must have the shape of {predictions} {prediction_array.shape}, "
            f"got shape {target_array.shape}"
        )
    _finite(function, targets, target_array)
    _finite(function, predictions, prediction_array)
    if within is not None:
        low, high = within
        outside = (prediction_array < low) | (prediction_array > high)
        if outside.any():
            index = tuple(int(k) for k in np.argwhere(outside)[0])
            raise ValueError(
                f"{function}: {predictions} must lie in [{low}, {high}], "
                f"got {prediction_array[index]} at index {index}"
            )
    return _working(target_array), _working(prediction_array), prediction_array.dtype


def _parameter(function, name, value, *, zero_allowed=False):
    """Refuse a parameter that is not one finite real number greater than 0 (or equal, with ``zero_allowed``)."""
    accepted = "a finite number >= 0" if zero_allowed else "a finite number > 0"
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0:
        raise TypeError(f"{function}: {name} must be {accepted}, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: {name} must be {accepted}, got {value!r}") from None
    if not (np.isfinite(number) and (number >= 0 if zero_allowed else number > 0)):
        raise ValueError(f"{function}: {name} must be {accepted}, got {value!r}")


def _result(value, dtype, *inputs):
    """``value`` in ``dtype``, and NaN wherever an input it was computed from holds NaN.

    A scalar (a cost) is NaN when any input holds one; an array is NaN at the
    entries where an input of its shape does.  Rounding to float16 may
    overflow to inf, as any rounding to float16 of so large a value does.
    """
    value = np.asarray(value)
    with np.errstate(over="ignore"):
        if value.ndim == 0:
            if any(np.isnan(a).any() for a in inputs):
                return dtype.type(np.nan)
            return dtype.type(value)
        nan = np.zeros(value.shape, dtype=bool)
        for a in inputs:
            if a.shape == value.shape:
                nan |= np.isnan(a)
        return np.asarray(np.where(nan, np.nan, value) if nan.any() else value, dtype=dtype)
