"""A regression loss from its cost at one entry, written in the published ``target`` and ``prediction`` symbols.

``register_loss`` (``derive.catalog.registry``) derives the losses of
extension files with ``entry_loss``: the cost is checked, its two symbols
become the entries ``y[n, i]`` and ``y_pred[n, i]`` of the batch, and
``derive.catalog.losses.loss`` reduces it and derives its gradient.
"""

from collections.abc import Mapping

from sympy import Derivative, Expr, Subs, Symbol, diff

from derive.catalog.activations import parameters_of
from derive.catalog.losses import REDUCTION_MEANING, Inputs, Loss, loss
from derive.core.errors import DefinitionError
from derive.core.symbols import i, indexed, n, prediction, target
from derive.spec.model import Reduction

__all__ = ["entry_loss", "reduction_named"]

_ACCEPTED_COST = "a SymPy expression in derive.core.symbols.target and derive.core.symbols.prediction"


def reduction_named(item: str, reduction: Reduction | str) -> Reduction:
    """``reduction`` as a ``Reduction``; an unknown one is a DefinitionError listing the accepted ones."""
    try:
        return Reduction(reduction)
    except ValueError:
        accepted = ", ".join(r.value for r in Reduction)
        raise DefinitionError(item, f"unknown reduction {reduction!r}", f"accepted: {accepted}") from None


def entry_loss(
    name: str, per_entry_cost: Expr, reduction: Reduction, *, params: Mapping[Symbol, float] | None = None,
    doc: str = "",
) -> Loss:
    """The regression loss whose cost at each entry is ``per_entry_cost``, reduced by ``reduction``.

    ``params`` (``{Symbol: default}``) are the cost's parameters; a bad cost is a DefinitionError.
    """
    item = f"loss {name!r}"
    if not isinstance(name, str) or not name.isidentifier():
        raise DefinitionError(item, "the name is not a Python identifier", "use letters, digits and _")
    if not isinstance(per_entry_cost, Expr):
        raise DefinitionError(item, f"the cost per entry {per_entry_cost!r} is not a SymPy expression "
                              f"(type {type(per_entry_cost).__name__})", f"accepted: {_ACCEPTED_COST}")
    published = {"target": target, "prediction": prediction}
    cost = per_entry_cost.xreplace({s: published[s.name] for s in per_entry_cost.free_symbols if s.name in published})
    parameters = parameters_of(item, params or {})
    stray = sorted((s for s in cost.free_symbols if s not in {target, prediction, *(p.symbol for p in parameters)}),
                   key=str)
    if stray:
        extra = " and the parameters " + ", ".join(p.name for p in parameters) if parameters else ""
        raise DefinitionError(item, f"unknown symbol(s) {', '.join(map(str, stray))} in {cost}",
                              f"accepted: {_ACCEPTED_COST}{extra}")
    if prediction not in cost.free_symbols:
        raise DefinitionError(item, f"the cost per entry {cost} does not depend on prediction",
                              "a cost whose gradient with respect to the prediction is not 0")
    if diff(cost, prediction).has(Derivative, Subs):
        raise DefinitionError(item, f"SymPy cannot differentiate {cost}", "use functions SymPy knows the derivative of")
    y, p = indexed("y"), indexed("y_pred")
    return loss(
        name, cost.xreplace({target: y[n, i], prediction: p[n, i]}), reduction=reduction, targets=y, predictions=p,
        inputs=Inputs.REGRESSION, params=params, doc=doc or f"Cost per entry {cost}, {REDUCTION_MEANING[reduction]}.",
    )
