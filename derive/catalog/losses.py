"""Losses: a scalar cost over targets and predictions, with its derived gradient.

A loss is stated as its cost per entry ``[n, i]`` and a reduction; the cost
is that per-entry cost summed over samples ``n`` and features ``i`` and
divided as the reduction says (by 1, ``N*C`` or ``N``), so the reduction is
part of the mathematics and the gradient ``d cost / d predictions[m, j]``
carries it, ``1/N`` or ``1/(N*C)`` included.  A fused loss (a loss of an
activation of logits) is derived as one composition and computed in an
overflow-free form.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from sympy import Expr, Float, Indexed, IndexedBase, Integer, Rational, Sum, Symbol, diff, expand_log, log, sympify

from derive.catalog.activations import Parameter, parameters_of
from derive.catalog.numeric_forms import numeric
from derive.core.errors import DefinitionError
from derive.core.indexing import drop_range_guards, entrywise_gradient
from derive.core.proof import prove_equal
from derive.core.functions import XLogY, unscaled
from derive.core.stable_forms import Shifted, shift_by_row_max
from derive.core.symbols import C, N, i, j, m, n
from derive.core.shortest_form import shortest_form
from derive.core.shown_as_math import ShownAsMath
from derive.spec.model import Reduction

__all__ = [
    "Inputs", "Loss", "loss", "fused", "reduced", "divisor", "by_row_max", "elementwise_stable",
    "BINARY_THRESHOLD", "REDUCTION_MEANING",
]

#: The probability p of class 1 of a single binary output at which both classes are as probable, p = 1 - p:
#: a classifier's class is 1 from there up.
BINARY_THRESHOLD = Rational(1, 2)


class Inputs(str, Enum):
    """What a loss expects: which targets, and predictions as values, probabilities or logits."""

    REGRESSION = "real targets, real predictions"
    ONE_HOT_PROBABILITIES = "one-hot targets, probability rows"
    ONE_HOT_LOGITS = "one-hot targets, logits"
    BINARY_PROBABILITIES = "targets in [0, 1], probabilities in (0, 1)"
    BINARY_LOGITS = "targets in [0, 1], logits"

    @property
    def prediction_range(self) -> tuple[int, int] | None:
        """The closed interval predictions must lie in (probabilities: ``[0, 1]``), or None for any real."""
        probabilities = (Inputs.ONE_HOT_PROBABILITIES, Inputs.BINARY_PROBABILITIES)
        return (0, 1) if self in probabilities else None

    @property
    def classification(self) -> bool:
        """True for a classification loss: its targets are classes, its predictions give their probabilities."""
        return self is not Inputs.REGRESSION

    @property
    def one_hot(self) -> bool:
        """True when each target row is one class in one-hot form (softmax family); else each entry is binary."""
        return self in (Inputs.ONE_HOT_PROBABILITIES, Inputs.ONE_HOT_LOGITS)


@dataclass(frozen=True, repr=False)
class Loss(ShownAsMath):
    """A cost and its gradient with respect to the predictions (indexed ``[m, j]``).

    ``cost`` is ``per_entry`` (at ``[n, i]``) reduced by ``reduction`` (``reduced``).

    ``gradient`` is what ``sympy.diff`` gives, for any targets: no assumption
    about them simplifies it.  The ``*_computed_as`` forms are what code evaluates.
    ``probabilities`` is a classification loss's probability map: entry
    ``[m, j]`` of the class probabilities its predictions stand for (the
    softmax of logits, the logistic of a logit, or the prediction itself
    for a loss taking probabilities); None for a regression loss.
    """

    name: str
    targets: IndexedBase
    predictions: IndexedBase
    params: tuple[Parameter, ...]
    inputs: Inputs
    per_entry: Expr
    reduction: Reduction
    cost: Expr
    gradient: Expr
    cost_computed_as: Shifted
    gradient_computed_as: Shifted
    doc: str
    probabilities: Expr | None = None
    probabilities_computed_as: Shifted | None = None


#: What the sum over every entry is divided by, for each reduction.
_DIVISORS = {Reduction.SUM: Integer(1), Reduction.MEAN: N * C, Reduction.MEAN_OVER_SAMPLES: N}
#: Each reduction in words, as documents and error messages say it.
REDUCTION_MEANING = {
    Reduction.SUM: "summed over every entry",
    Reduction.MEAN: "averaged over every entry",
    Reduction.MEAN_OVER_SAMPLES: "summed over the outputs of each sample and averaged over the samples",
}


def divisor(reduction: Reduction) -> Expr:
    """What ``reduction`` divides the sum over every entry by: 1, ``N*C`` or ``N``."""
    return _DIVISORS[reduction]


def reduced(per_entry: Expr, reduction: Reduction) -> Expr:
    """The cost of ``per_entry`` (an expression at ``[n, i]``): its sum over every entry over ``divisor(reduction)``.

    A constant factor of ``per_entry``, its sign included, is written outside the sum.
    """
    coefficient, term = per_entry.as_coeff_Mul()
    if term.could_extract_minus_sign():
        coefficient, term = -coefficient, -term
    return coefficient * Sum(term, (i, 0, C - 1), (n, 0, N - 1)) / divisor(reduction)


#: Turns a cost or gradient into the form code evaluates (see ``by_row_max``).
Stabiliser = Callable[[Expr, IndexedBase, str], Shifted]


def elementwise_stable(expr: Expr, predictions: IndexedBase, item: str) -> Shifted:
    """Exact entry-by-entry rewrites: overflow-free logistic terms, ``logaddexp``, ``expm1``, ``log1p``."""
    return Shifted(numeric(expr), ())


def by_row_max(expr: Expr, predictions: IndexedBase, item: str) -> Shifted:
    """Softmax-style forms: logits shifted by their row maximum, log-sum-exp (see ``stable``)."""
    return shift_by_row_max(expand_log(expr, force=True), predictions, item)


def loss(
    name: str,
    per_entry: Expr,
    *,
    reduction: Reduction,
    targets: IndexedBase,
    predictions: IndexedBase,
    inputs: Inputs,
    params: Mapping[Symbol, float] | None = None,
    stabilise: Stabiliser = elementwise_stable,
    cost_computed_as: Callable[[Expr], Expr] | None = None,
    gradient_computed_as: Callable[[Expr], Expr] | None = None,
    probabilities: Expr | None = None,
    doc: str = "",
) -> Loss:
    """Derive the cost of ``per_entry`` reduced by ``reduction`` and its gradient with respect to ``predictions[m, j]``.

    ``probabilities``, required of a classification loss and refused for a
    regression one, is the probability entry ``[m, j]`` over ``predictions``
    (``predictions[m, j]`` itself when the predictions are probabilities).

    ``cost_computed_as`` and ``gradient_computed_as``, given the reduced cost
    and the derived gradient, return an equal form of it, each more accurate
    in floating point (``ScaledDifference`` for a difference that may
    overflow); each is proven equal first.
    """
    item = f"loss {name!r}"
    per_entry = sympify(per_entry)
    cost = reduced(per_entry, reduction)
    parameters = parameters_of(item, params or {})
    stray = sorted(str(s) for s in cost.free_symbols if not _allowed(s, targets, predictions, parameters))
    if stray:
        raise DefinitionError(
            item, f"unknown symbol(s) {', '.join(stray)} in {cost}",
            f"accepted: {targets.label}[n, i], {predictions.label}[n, i], N, C and declared parameters",
        )
    if (probabilities is None) == inputs.classification:
        raise DefinitionError(item, f"a probability map is {'required' if inputs.classification else 'refused'}",
                              "a classification loss states its probabilities; a regression loss has none")
    gradient = shortest_form(entrywise_gradient(cost, predictions) or drop_range_guards(diff(cost, predictions[m, j]).doit()))
    return Loss(
        name=name,
        targets=targets,
        predictions=predictions,
        params=parameters,
        inputs=inputs,
        per_entry=per_entry,
        reduction=reduction,
        cost=cost,
        gradient=gradient,
        cost_computed_as=stabilise(_proven(item, "cost", cost, cost_computed_as), predictions, item),
        gradient_computed_as=stabilise(_proven(item, "gradient", gradient, gradient_computed_as), predictions, item),
        doc=doc,
        probabilities=probabilities,
        probabilities_computed_as=None if probabilities is None else stabilise(sympify(probabilities), predictions, item),
    )


def fused(
    name: str,
    outer: Loss,
    inner: Callable[[IndexedBase, Expr, Expr], Expr],
    *,
    inputs: Inputs,
    stabilise: Stabiliser,
    gradient_computed_as: Callable[[Expr], Expr] | None = None,
    doc: str = "",
) -> Loss:
    """The loss of ``outer`` applied to ``inner(logits)``, derived as one composition with ``outer``'s reduction.

    ``inner(logits, row, column)`` is the activation's output entry at
    ``[row, column]`` over the logits array.  Its outputs must be positive
    (softmax, sigmoid), so ``y*log(p)`` needs no convention at ``p = 0`` and
    expands into log-sum-exp or softplus forms.
    """
    logits = outer.predictions
    per_entry = outer.per_entry.replace(
        lambda a: isinstance(a, Indexed) and a.base == outer.predictions,
        lambda a: inner(logits, *a.indices),
    )
    per_entry = per_entry.replace(XLogY, lambda a, b: a * log(b))
    return loss(
        name, per_entry, reduction=outer.reduction, targets=outer.targets, predictions=logits, inputs=inputs,
        params={p.symbol: p.default for p in outer.params},
        stabilise=stabilise, gradient_computed_as=gradient_computed_as, doc=doc,
        probabilities=inner(logits, m, j),
    )


def _proven(item: str, label: str, expr: Expr, rewrite: Callable[[Expr], Expr] | None) -> Expr:
    """``rewrite(expr)`` once SymPy proves it equal to ``expr``; ``expr`` itself without one."""
    if rewrite is None:
        return expr
    form = rewrite(expr)
    # A Float in a form is a binary number: the proof takes its exact value.
    exact = unscaled(form).xreplace({f: Rational(f) for f in form.atoms(Float)})
    if not prove_equal(exact, expr):
        raise DefinitionError(item, f"{label} form {form} is not proven equal to {expr}")
    return form


def _allowed(symbol: Expr, targets: IndexedBase, predictions: IndexedBase, parameters) -> bool:
    """True for what a cost may mention: its two arrays, the sizes N and C, its parameters."""
    arrays = (targets, predictions)
    if isinstance(symbol, Indexed):
        return symbol.base in arrays
    return symbol in {N, C} or symbol in {a.label for a in arrays} or symbol in {p.symbol for p in parameters}
