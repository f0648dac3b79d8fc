"""Classifier modules and data for the classification tests, with reference values written from definitions.

``example2`` is the generated softmax cross-entropy network; ``binary``
renders a sigmoid cross-entropy network with one output.  The references
(softmax, logistic, argmax, one-hot rows) are written here from their
definitions, one sample at a time, never taken from the modules.
"""

import math

import numpy as np

from generated import example2
from network_modules import module_of, spec_of

#: A sigmoid cross-entropy network with one output: two classes, the output the logit of class 1.
BINARY_SPEC = {"name": "binary", "inputs": 2, "loss": "sigmoid_cross_entropy",
               "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}


def binary():
    """The rendered sigmoid cross-entropy module: its names and values."""
    return module_of(spec_of(BINARY_SPEC))


def inputs(rows, features, seed=0):
    """Random inputs of ``rows`` samples."""
    return np.random.default_rng(seed).normal(size=(rows, features))


def labels(rows, classes, seed=1):
    """Random integer labels, every class present when ``rows`` allows."""
    drawn = np.random.default_rng(seed).integers(0, classes, size=rows)
    drawn[:classes] = np.arange(min(classes, rows))
    return drawn


def one_hot(labels_, classes):
    """Each label as a row of zeros with a one at its class."""
    rows = np.zeros((len(labels_), classes))
    for row, label in enumerate(labels_):
        rows[row, label] = 1.0
    return rows


def softmax_rows(logits):
    """exp(z_i) / sum_k exp(z_k), row by row."""
    result = []
    for row in logits:
        exps = [math.exp(z) for z in row]
        result.append([e / sum(exps) for e in exps])
    return np.array(result)


def logistic(logits):
    """1 / (1 + exp(-z)), entry by entry."""
    return np.array([[1.0 / (1.0 + math.exp(-z)) for z in row] for row in logits])


def argmax_rows(rows):
    """The index of the largest entry of each row, the first of equals."""
    return np.array([max(range(len(row)), key=lambda column: (row[column], -column)) for row in rows])


def example2_params(seed=0):
    """Parameters of example2 drawn by its initialisers."""
    return example2.init_params(seed)
