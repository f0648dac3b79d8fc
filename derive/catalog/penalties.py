"""Weight penalties (L1, L2): a cost over every entry of a weight array, with its gradient.

A penalty is added to a loss with a strength ``lambda``; its gradient is
derived entry by entry like an entrywise loss's.  L1's gradient at 0 is 0
(``sign(0) = 0``), the subgradient training code conventionally uses.
"""

from dataclasses import dataclass

from sympy import Expr, IndexedBase, Symbol

from derive.catalog.numeric_forms import numeric
from derive.core.errors import DefinitionError
from derive.core.indexing import entrywise_gradient
from derive.core.shown_as_math import ShownAsMath


__all__ = ["Penalty", "penalty", "STRENGTH"]

#: The strength a penalty is scaled by, a keyword argument of the generated function.
STRENGTH = Symbol("strength", nonnegative=True)


@dataclass(frozen=True, repr=False)
class Penalty(ShownAsMath):
    """``cost = strength * sum over entries of g(w)`` and its gradient ``[m, j]``."""

    name: str
    weights: IndexedBase
    cost: Expr
    gradient: Expr
    doc: str


def penalty(name: str, cost: Expr, *, weights: IndexedBase, doc: str = "") -> Penalty:
    """Derive the gradient of a penalty written as ``strength * Sum(g(w[n, i]), (i, ...), (n, ...))``."""
    gradient = entrywise_gradient(cost, weights)
    if gradient is None:
        raise DefinitionError(
            f"penalty {name!r}", f"{cost} is not a sum of one term per weight entry",
            "write strength * Sum(g(w[n, i]), (i, 0, C - 1), (n, 0, N - 1))",
        )
    return Penalty(name=name, weights=weights, cost=cost, gradient=numeric(gradient), doc=doc)
