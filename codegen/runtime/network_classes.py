"""A classifier module's classes and accuracy: argmax and counting, plain Python, copied into it.

Only network modules whose loss is a classification loss include this file.
The probabilities themselves are not computed here: ``predict_proba`` is
printed into each module from the loss's probability map in ``derive``.
``INPUTS``, ``OUTPUTS``, ``CLASSES``, ``THRESHOLD`` and ``predict_proba``
are printed into each module; the names bound here stand in for them, so
that the file runs as written (the tests bind them).
"""

import numpy as np
import numpy.typing as npt

from .network_checks import _data

#: A module's sizes, its number of classes and its printed probabilities.
INPUTS = OUTPUTS = CLASSES = None
#: The probability at or above which a single binary output's class is 1: printed from derive.
THRESHOLD = None
predict_proba = None


def _classes(rows):
    """The class of each row of probabilities or targets: the column of the largest entry.

    A single binary output (``CLASSES`` 2, one column) holds the probability
    of class 1: the class is 1 where it is at least ``THRESHOLD``.
    """
    if rows.shape[1] == 1 and CLASSES == 2:
        return (rows[:, 0] >= THRESHOLD).astype(np.int64)
    return np.argmax(rows, axis=1)


def predict_classes(params: dict[str, np.ndarray], x: npt.ArrayLike, check_finite: bool = False) -> np.ndarray:
    """The most probable class of each row of ``x``: a 1-D array of N integers in ``range(CLASSES)``."""
    return _classes(predict_proba(params, x, check_finite))


def accuracy(params: dict[str, np.ndarray], x: npt.ArrayLike, y: npt.ArrayLike,
             check_finite: bool = False) -> float:
    """The fraction of the rows of ``x`` whose predicted class is that of ``y`` (labels or target rows)."""
    x, y = _data(x, y, INPUTS, OUTPUTS, finite=check_finite, classes=CLASSES)
    return float(np.mean(predict_classes(params, x) == _classes(y)))
