"""Central finite differences, written independently of symprop, for checking gradients."""

import numpy as np

#: Step of the central difference, relative to max(1, |value|): error ~ h² f''' + eps/h ~ 1e-10.
STEP = 1e-6


def derivative(f, x):
    """d f(x)/dx of a scalar function at a scalar point."""
    h = STEP * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


def gradient(cost, array):
    """The gradient of the scalar ``cost(array)`` with respect to every entry of ``array``."""
    array = np.array(array, dtype=np.float64)
    result = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        h = STEP * max(1.0, abs(array[index]))
        plus, minus = array.copy(), array.copy()
        plus[index] += h
        minus[index] -= h
        result[index] = (cost(plus) - cost(minus)) / (2 * h)
    return result


def jacobian_column(f, array, index):
    """d f(array) / d array[index]: how every output entry moves with one input entry."""
    array = np.array(array, dtype=np.float64)
    h = STEP * max(1.0, abs(array[index]))
    plus, minus = array.copy(), array.copy()
    plus[index] += h
    minus[index] -= h
    return (f(plus) - f(minus)) / (2 * h)
