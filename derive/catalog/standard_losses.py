"""The built-in losses: each one SymPy definition of its cost per entry and its reduction; gradients are derived.

Each recipe derives its loss under any reduction (``LOSSES`` pairs it with
the loss's own); a form a recipe gives for code to compute divides by that
reduction's ``divisor`` and is proven equal to the derived one.
"""

from collections.abc import Callable
from functools import partial

from sympy import Abs, Add, Expr, Float, Piecewise, Rational, Sum, Symbol, sign

from derive.catalog.losses import Inputs, Loss, by_row_max, divisor, elementwise_stable, fused, loss
from derive.catalog.registry import Catalog
from derive.core.functions import Logistic, ScaledDifference, XLogY
from derive.core.symbols import C, N, i, indexed, j, m, n
from derive.spec.model import Reduction

__all__ = ["DELTA", "LOSSES"]

_TARGETS, _ONE_HOT, _PREDICTIONS = indexed("y"), indexed("y_oh"), indexed("y_pred")
#: Huber's threshold between its squared and linear parts.
DELTA = Symbol("delta", positive=True)

# The regression losses scale a difference before it is taken (ScaledDifference): y - y_pred
# overflows for y = 1e308, y_pred = -1e308, where the mean of it over two entries fits.
#: Huber's test |r| <= delta, taken as |r/2| <= 0.5*delta: a Float keeps SymPy from rewriting it
#: as delta >= 2*|r/2|, whose 2*|r/2| overflows where r does.
_HALF = Float(0.5)


def _entries(expr: Expr) -> Expr:
    """Sum of ``expr`` over every entry of a batch (samples n, features i)."""
    return Sum(expr, (i, 0, C - 1), (n, 0, N - 1))


def _scaled(a: Expr, b: Expr, k: Expr) -> Expr:
    """``(a - b)/k``, scaled before the difference is taken unless ``k`` is 1 (a sum)."""
    return a - b if k == 1 else ScaledDifference(a, b, k)


def _half_squared_error(name: str, doc: str, reduction: Reduction) -> Loss:
    """Half the squared error per entry: ``squared_error`` sums it, ``mse`` averages it."""
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        name, Rational(1, 2) * (y[n, i] - p[n, i]) ** 2, reduction=reduction,
        targets=y, predictions=p, inputs=Inputs.REGRESSION,
        gradient_computed_as=lambda g: _scaled(p[m, j], y[m, j], divisor(reduction)),
        doc=doc,
    )


def _mae(reduction: Reduction) -> Loss:
    y, p, k = _TARGETS, _PREDICTIONS, divisor(reduction)
    return loss(
        "mae", Abs(y[n, i] - p[n, i]), reduction=reduction,
        targets=y, predictions=p, inputs=Inputs.REGRESSION,
        cost_computed_as=lambda c: _entries(Abs(_scaled(y[n, i], p[n, i], k))),
        gradient_computed_as=lambda g: sign(ScaledDifference(p[m, j], y[m, j], 2)) / k,
        doc="Mean absolute error over every entry, mean(|y - y_pred|); its gradient at y = y_pred is 0.",
    )


def _huber(reduction: Reduction) -> Loss:
    y, p, k = _TARGETS, _PREDICTIONS, divisor(reduction)
    r = y[n, i] - p[n, i]
    return loss(
        "huber", Piecewise((r**2 / 2, Abs(r) <= DELTA), (DELTA * (Abs(r) - DELTA / 2), True)), reduction=reduction,
        targets=y, predictions=p, inputs=Inputs.REGRESSION, params={DELTA: 1.0},
        # |r| <= delta as |r/2| <= delta/2; each branch over the divisor k, scaled before the difference.
        cost_computed_as=lambda c: _entries(Piecewise(
            (2 * ScaledDifference(y[n, i], p[n, i], 2) ** 2 / k, Abs(ScaledDifference(y[n, i], p[n, i], 2)) <= _HALF * DELTA),
            (DELTA * (Abs(_scaled(y[n, i], p[n, i], k)) - DELTA / (2 * k)), True),
        )),
        gradient_computed_as=lambda g: Piecewise(
            (_scaled(p[m, j], y[m, j], k), Abs(ScaledDifference(y[m, j], p[m, j], 2)) <= _HALF * DELTA),
            (DELTA * sign(ScaledDifference(p[m, j], y[m, j], 2)) / k, True),
        ),
        doc="Huber loss: squared error within delta of the target, linear beyond; mean over every entry.",
    )


def _binary_cross_entropy(reduction: Reduction) -> Loss:
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "binary_cross_entropy", -(XLogY(y[n, i], p[n, i]) + XLogY(1 - y[n, i], 1 - p[n, i])), reduction=reduction,
        targets=y, predictions=p, inputs=Inputs.BINARY_PROBABILITIES, probabilities=p[m, j],
        doc="Binary cross-entropy of probabilities, mean over every entry; infinite where p is 0 or 1 "
            "against the target (use sigmoid_cross_entropy on logits).",
    )


def _sigmoid_cross_entropy(catalog: Catalog, reduction: Reduction) -> Loss:
    return fused(
        "sigmoid_cross_entropy", catalog.loss("binary_cross_entropy", reduction),
        lambda logits, row, column: Logistic(logits[row, column]),
        inputs=Inputs.BINARY_LOGITS, stabilise=elementwise_stable,
        # sigmoid(z) - y = (1 - y)*sigmoid(z) - y*sigmoid(-z): no 1 - sigmoid(z) of a rounded sigmoid.
        gradient_computed_as=lambda g: g.replace(
            lambda e: isinstance(e, Add) and any(isinstance(a, Logistic) for a in e.args),
            lambda e: _complemented(e),
        ),
        doc="Binary cross-entropy of sigmoid(y_pred), taking logits; computed with logaddexp.",
    )


def _complemented(difference):
    """``L(a) - y`` as ``(1 - y)*L(a) - y*L(-a)``, using ``1 - L(a) = L(-a)``."""
    (logistic,) = [a for a in difference.args if isinstance(a, Logistic)]
    rest = difference - logistic
    return (1 + rest) * logistic + rest * Logistic(-logistic.args[0])


def _neg_log_likelihood(reduction: Reduction) -> Loss:
    y, p = _ONE_HOT, _PREDICTIONS
    return loss(
        "neg_log_likelihood", -XLogY(y[n, i], p[n, i]), reduction=reduction,
        targets=y, predictions=p, inputs=Inputs.ONE_HOT_PROBABILITIES, probabilities=p[m, j],
        doc="Mean over samples of -log p at the true class, for one-hot targets and probabilities.",
    )


def _softmax_neg_log_likelihood(catalog: Catalog, reduction: Reduction) -> Loss:
    softmax = catalog.get("softmax")
    return fused(
        "softmax_neg_log_likelihood", catalog.loss("neg_log_likelihood", reduction),
        lambda logits, row, column: softmax.definition.xreplace(
            {softmax.inputs: logits, n: row, i: column}
        ),
        inputs=Inputs.ONE_HOT_LOGITS, stabilise=by_row_max,
        doc="Negative log-likelihood of softmax(y_pred), taking logits; computed with log-sum-exp.",
    )


#: A loss derived under a given reduction; a fused loss reads its parts from the catalogue.
Recipe = Callable[[Catalog, Reduction], Loss]


def _alone(derive: Callable[[Reduction], Loss]) -> Recipe:
    """The recipe of a loss that needs nothing from the catalogue."""
    return lambda catalog, reduction: derive(reduction)


#: Name -> (the loss's own reduction, its recipe), in the order documents list them.
LOSSES: dict[str, tuple[Reduction, Recipe]] = {
    "squared_error": (Reduction.SUM, _alone(partial(
        _half_squared_error, "squared_error",
        "Half the summed squared error 0.5*sum((y - y_pred)**2) (the notebook's Example 1).",
    ))),
    "mse": (Reduction.MEAN, _alone(partial(
        _half_squared_error, "mse", "Half the mean squared error over every entry, 0.5*mean((y - y_pred)**2).",
    ))),
    "mae": (Reduction.MEAN, _alone(_mae)),
    "huber": (Reduction.MEAN, _alone(_huber)),
    "binary_cross_entropy": (Reduction.MEAN, _alone(_binary_cross_entropy)),
    "sigmoid_cross_entropy": (Reduction.MEAN, _sigmoid_cross_entropy),
    "neg_log_likelihood": (Reduction.MEAN_OVER_SAMPLES, _alone(_neg_log_likelihood)),
    "softmax_neg_log_likelihood": (Reduction.MEAN_OVER_SAMPLES, _softmax_neg_log_likelihood),
}
