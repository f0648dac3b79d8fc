"""Small real datasets that ship with symprop, for the quick start and the tests."""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["load_iris"]


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris flowers: ``x`` (150, 4) measurements in cm and ``labels`` (150,) species 0, 1, 2.

    The columns of ``x`` are sepal length, sepal width, petal length and petal
    width; the species are 0 setosa, 1 versicolor, 2 virginica, 50 of each,
    in the order of the file ``symprop/data/iris.csv`` (public domain).
    """
    with resources.files("symprop").joinpath("data/iris.csv").open(encoding="utf-8") as file:
        table = np.loadtxt(file, delimiter=",", skiprows=3)
    return table[:, :4].copy(), table[:, 4].astype(np.int64)
