"""The shared symbols of every derivation and the index conventions they follow.

Arrays are two-dimensional, ``(samples, features)``.  An indexed symbol is
always written ``a[sample, feature]``: the first index runs over the batch
(axis 0), the second over the features of one sample (axis 1).  The printer
relies on this convention to turn sums over an index into sums over an axis.
"""

from sympy import IndexedBase, Symbol

__all__ = [
    "x", "y", "target", "prediction", "N", "C", "n", "m", "i", "j", "k",
    "sample_indices", "feature_indices", "indexed",
]

#: Input and output of an elementwise function ``y = f(x)``.
x = Symbol("x", real=True)
y = Symbol("y", real=True)

#: A loss's target and prediction at one entry: the symbols of a cost per entry (``register_loss``).
target = Symbol("target", real=True)
prediction = Symbol("prediction", real=True)

#: Batch size (rows) and number of features or classes (columns).
N = Symbol("N", integer=True, positive=True)
C = Symbol("C", integer=True, positive=True)

#: Sample indices (axis 0) and feature indices (axis 1).
n = Symbol("n", integer=True, nonnegative=True)
m = Symbol("m", integer=True, nonnegative=True)
i = Symbol("i", integer=True, nonnegative=True)
j = Symbol("j", integer=True, nonnegative=True)
k = Symbol("k", integer=True, nonnegative=True)

sample_indices = (n, m)
feature_indices = (i, j, k)


def indexed(name: str) -> IndexedBase:
    """A two-dimensional array symbol, indexed ``[sample, feature]``."""
    return IndexedBase(name, real=True)

