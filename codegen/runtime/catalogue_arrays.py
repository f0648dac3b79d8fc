"""Argument checks and dtypes of the generated catalogue functions: plain NumPy, no mathematics.

The generator copies the definitions a catalogue module calls into it
(``codegen/runtime_source.py``); generated modules import NumPy alone.
Every refusal is a ValueError or TypeError naming the function, the argument,
what is accepted and what was given.  Half precision is computed in float32
and returned as float16: float16 overflows at 65504 inside many formulas.
NaN entries are replaced by a placeholder before a formula sees them (NumPy
warns on ``logaddexp(0, nan)``) and put back as NaN in the result: entry by
entry for an elementwise function, for the whole sample (row) of a row-wise
function or loss gradient, and for the whole cost.
"""

import numpy as np

#: What a NaN entry is replaced by while a formula runs: inside every catalogue function's domain.
_PLACEHOLDER = 0.5


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


def _working(array, nan):
    """The array a formula is evaluated on: float16 widened to float32, NaN entries replaced."""
    array = array.astype(np.float32) if array.dtype == np.float16 else array
    return np.where(nan, _PLACEHOLDER, array) if nan.any() else array


def _rows(nan):
    """A NaN mask spread over every sample (row) holding a NaN."""
    return np.broadcast_to(nan.any(axis=1, keepdims=True), nan.shape)


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
    """An elementwise function's input, of any shape: the working array and ``(dtype, NaN mask)`` of the result."""
    array = _real(function, name, value)
    nan = np.isnan(array)
    return _working(array, nan), (array.dtype, nan)


def _rows_arguments(function, *named):
    """A row-wise function's inputs (``name, value`` pairs), each (samples, features), finite, of one shape.

    Returns the working arrays and ``(dtype, NaN mask)`` of the result: the first's dtype, NaN rows.
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
    nan = _rows(np.logical_or.reduce([np.isnan(a) for a in arrays]))
    return (*(_working(a, nan) for a in arrays), (arrays[0].dtype, nan))


def _loss_arguments(function, targets, target_values, predictions, prediction_values, within=None):
    """A loss's targets and predictions: one shape (samples, features), at least one sample, finite.

    ``within`` is the closed interval the predictions must lie in (probabilities), or None.
    Returns the working arrays and ``(dtype, NaN mask)`` of the result: the predictions' dtype, NaN rows.
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
    nan = _rows(np.isnan(target_array) | np.isnan(prediction_array))
    return _working(target_array, nan), _working(prediction_array, nan), (prediction_array.dtype, nan)


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


def _result(value, out):
    """``value`` in the dtype of ``out = (dtype, nan)``, NaN where ``nan`` is (a scalar: where any is).

    Rounding to float16 may overflow to inf, as rounding so large a value to float16 does.
    """
    dtype, nan = out
    value = np.asarray(value)
    with np.errstate(over="ignore"):
        if value.ndim == 0:
            return dtype.type(np.nan if nan.any() else value)
        return np.asarray(np.where(nan, np.nan, value) if nan.any() else value, dtype=dtype)
