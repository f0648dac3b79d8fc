"""The built-in losses: each one SymPy definition of its cost; gradients are derived."""

from collections.abc import Callable

from sympy import Abs, Add, Float, Piecewise, Rational, Sum, Symbol, sign

from derive.catalog.losses import Inputs, Loss, by_row_max, elementwise_stable, fused, loss
from derive.catalog.registry import Catalog
from derive.core.functions import Logistic, ScaledDifference, XLogY
from derive.core.symbols import C, N, i, indexed, j, m, n

__all__ = ["DELTA", "LOSSES"]

_TARGETS, _ONE_HOT, _PREDICTIONS = indexed("y"), indexed("y_oh"), indexed("y_pred")
#: Huber's threshold between its squared and linear parts.
DELTA = Symbol("delta", positive=True)


def _entries(expr):
    """Sum of ``expr`` over every entry of a batch (samples n, features i)."""
    return Sum(expr, (i, 0, C - 1), (n, 0, N - 1))


def _squared_error():
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "squared_error", Rational(1, 2) * _entries((y[n, i] - p[n, i]) ** 2),
        targets=y, predictions=p, inputs=Inputs.REGRESSION,
        doc="Half the summed squared error 0.5*sum((y - y_pred)**2) (the notebook's Example 1).",
    )


# The regression losses scale a difference before it is taken (ScaledDifference): y - y_pred
# overflows for y = 1e308, y_pred = -1e308, where the mean of it over two entries fits.
#: Huber's test |r| <= delta, taken as |r/2| <= 0.5*delta: a Float keeps SymPy from rewriting it
#: as delta >= 2*|r/2|, whose 2*|r/2| overflows where r does.
_HALF = Float(0.5)


def _mse():
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "mse", _entries((y[n, i] - p[n, i]) ** 2) / (2 * N * C),
        targets=y, predictions=p, inputs=Inputs.REGRESSION,
        gradient_computed_as=lambda g: ScaledDifference(p[m, j], y[m, j], N * C),
        doc="Half the mean squared error over every entry, 0.5*mean((y - y_pred)**2).",
    )


def _mae():
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "mae", _entries(Abs(y[n, i] - p[n, i])) / (N * C),
        targets=y, predictions=p, inputs=Inputs.REGRESSION,
        cost_computed_as=lambda c: _entries(Abs(ScaledDifference(y[n, i], p[n, i], N * C))),
        gradient_computed_as=lambda g: sign(ScaledDifference(p[m, j], y[m, j], 2)) / (N * C),
        doc="Mean absolute error over every entry, mean(|y - y_pred|); its gradient at y = y_pred is 0.",
    )


def _huber():
    y, p = _TARGETS, _PREDICTIONS
    r = y[n, i] - p[n, i]
    return loss(
        "huber",
        _entries(Piecewise((r**2 / 2, Abs(r) <= DELTA), (DELTA * (Abs(r) - DELTA / 2), True))) / (N * C),
        targets=y, predictions=p, inputs=Inputs.REGRESSION, params={DELTA: 1.0},
        # |r| <= delta as |r/2| <= delta/2; each branch over N*C, scaled before the difference.
        cost_computed_as=lambda c: _entries(Piecewise(
            (2 * ScaledDifference(y[n, i], p[n, i], 2) ** 2 / (N * C), Abs(ScaledDifference(y[n, i], p[n, i], 2)) <= _HALF * DELTA),
            (DELTA * (Abs(ScaledDifference(y[n, i], p[n, i], N * C)) - DELTA / (2 * N * C)), True),
        )),
        gradient_computed_as=lambda g: Piecewise(
            (ScaledDifference(p[m, j], y[m, j], N * C), Abs(ScaledDifference(y[m, j], p[m, j], 2)) <= _HALF * DELTA),
            (DELTA * sign(ScaledDifference(p[m, j], y[m, j], 2)) / (N * C), True),
        ),
        doc="Huber loss: squared error within delta of the target, linear beyond; mean over every entry.",
    )


def _binary_cross_entropy():
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "binary_cross_entropy",
        -_entries(XLogY(y[n, i], p[n, i]) + XLogY(1 - y[n, i], 1 - p[n, i])) / (N * C),
        targets=y, predictions=p, inputs=Inputs.BINARY_PROBABILITIES, probabilities=p[m, j],
        doc="Binary cross-entropy of probabilities, mean over every entry; infinite where p is 0 or 1 "
            "against the target (use sigmoid_cross_entropy on logits).",
    )


def _sigmoid_cross_entropy(catalog: Catalog):
    return fused(
        "sigmoid_cross_entropy", catalog.get("binary_cross_entropy"),
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


def _neg_log_likelihood():
    y, p = _ONE_HOT, _PREDICTIONS
    return loss(
        "neg_log_likelihood", -_entries(XLogY(y[n, i], p[n, i])) / N,
        targets=y, predictions=p, inputs=Inputs.ONE_HOT_PROBABILITIES, probabilities=p[m, j],
        doc="Mean over samples of -log p at the true class, for one-hot targets and probabilities.",
    )


def _softmax_neg_log_likelihood(catalog: Catalog):
    softmax = catalog.get("softmax")
    return fused(
        "softmax_neg_log_likelihood", catalog.get("neg_log_likelihood"),
        lambda logits, row, column: softmax.definition.xreplace(
            {softmax.inputs: logits, n: row, i: column}
        ),
        inputs=Inputs.ONE_HOT_LOGITS, stabilise=by_row_max,
        doc="Negative log-likelihood of softmax(y_pred), taking logits; computed with log-sum-exp.",
    )


#: Name -> recipe, in the order documents list them; a fused loss reads its parts from the catalogue.
LOSSES: dict[str, Callable[[Catalog], Loss]] = {
    "squared_error": lambda catalog: _squared_error(),
    "mse": lambda catalog: _mse(),
    "mae": lambda catalog: _mae(),
    "huber": lambda catalog: _huber(),
    "binary_cross_entropy": lambda catalog: _binary_cross_entropy(),
    "sigmoid_cross_entropy": _sigmoid_cross_entropy,
    "neg_log_likelihood": lambda catalog: _neg_log_likelihood(),
    "softmax_neg_log_likelihood": _softmax_neg_log_likelihood,
}
