"""Losses: a scalar cost over targets and predictions, with its derived gradient.

A cost is written with explicit sums over samples ``n`` and features ``i``,
so its reduction (sum or mean over the batch) is part of the mathematics and
the gradient ``d cost / d predictions[m, j]`` carries it, ``1/N`` included.
A loss over logits is also given in a shifted, overflow-free form.
"""

from dataclasses import dataclass

from sympy import Eq, Expr, Indexed, IndexedBase, Sum, diff, expand_log, log, sympify

from .errors import DefinitionError
from .indexing import drop_range_guards, replace_row_sums
from .special import XLogY
from .stable import Shifted, shift_by_row_max
from .symbols import C, N, i, j, m, n
from .tidy import tidy
from .vector import VectorFunction

__all__ = ["Assumption", "Loss", "loss", "fused"]


@dataclass(frozen=True)
class Assumption:
    """A fact about the inputs that a gradient is simplified with, stated openly.

    ``row_sum`` of ``base`` equals ``value`` on every row, e.g. one-hot targets.
    """

    base: IndexedBase
    value: Expr
    description: str

    @property
    def statement(self) -> Eq:
        return Eq(Sum(self.base[m, i], (i, 0, C - 1)), self.value)


@dataclass(frozen=True)
class Loss:
    """A cost and its gradient with respect to the predictions (indexed ``[m, j]``).

    ``raw_gradient`` is what ``sympy.diff`` gives; ``gradient`` is that after
    the stated assumptions; the ``*_computed_as`` forms are what code evaluates.
    """

    name: str
    targets: IndexedBase
    predictions: IndexedBase
    cost: Expr
    raw_gradient: Expr
    gradient: Expr
    assumptions: tuple[Assumption, ...]
    cost_computed_as: Shifted
    gradient_computed_as: Shifted
    doc: str


def loss(
    name: str,
    cost: Expr,
    *,
    targets: IndexedBase,
    predictions: IndexedBase,
    assumptions: tuple[Assumption, ...] = (),
    logits: bool = False,
    doc: str = "",
) -> Loss:
    """Derive the gradient of ``cost`` with respect to ``predictions[m, j]``."""
    item = f"loss {name!r}"
    cost = sympify(cost)
    stray = sorted(str(s) for s in cost.free_symbols if not _allowed(s, targets, predictions))
    if stray:
        raise DefinitionError(
            item, f"unknown symbol(s) {', '.join(stray)} in {cost}",
            f"accepted: {targets.label}[n, i], {predictions.label}[n, i], N and C",
        )
    raw = tidy(drop_range_guards(diff(cost, predictions[m, j]).doit()))
    gradient = raw
    for assumption in assumptions:
        gradient = tidy(replace_row_sums(gradient, assumption.base, assumption.value))
    if logits:
        cost_form = shift_by_row_max(expand_log(cost, force=True), predictions, item)
        gradient_form = shift_by_row_max(gradient, predictions, item)
    else:
        cost_form, gradient_form = Shifted(cost, ()), Shifted(gradient, ())
    return Loss(
        name=name,
        targets=targets,
        predictions=predictions,
        cost=cost,
        raw_gradient=raw,
        gradient=gradient,
        assumptions=assumptions,
        cost_computed_as=cost_form,
        gradient_computed_as=gradient_form,
        doc=doc,
    )


def fused(
    name: str,
    outer: Loss,
    inner: VectorFunction,
    *,
    assumptions: tuple[Assumption, ...] = (),
    doc: str = "",
) -> Loss:
    """The loss of ``outer`` applied to ``inner(logits)``, derived as one composition."""
    logits = outer.predictions
    activation = inner.definition.xreplace({inner.inputs: logits})
    cost = outer.cost.replace(
        lambda a: getattr(a, "base", None) == outer.predictions,
        lambda a: activation.xreplace({n: a.indices[0], i: a.indices[1]}),
    )
    # The inner function's outputs are positive (softmax), so y*log(p) needs no
    # convention at p = 0 and can be expanded into log-sum-exp.
    cost = cost.replace(XLogY, lambda a, b: a * log(b))
    return loss(
        name, cost, targets=outer.targets, predictions=logits,
        assumptions=assumptions, logits=True, doc=doc,
    )


def _allowed(symbol: Expr, targets: IndexedBase, predictions: IndexedBase) -> bool:
    """True for what a cost may mention: its two arrays and the sizes N and C."""
    arrays = (targets, predictions)
    if isinstance(symbol, Indexed):
        return symbol.base in arrays
    return symbol in {N, C} or symbol in {a.label for a in arrays}
