"""The built-in catalogue: each item is one SymPy definition; everything else is derived."""

from sympy import Abs, Max, Piecewise, Rational, Sum, exp, log

from .activations import elementwise
from .catalog import CATALOG, Catalog
from .losses import Assumption, fused, loss
from .special import XLogY
from .symbols import C, N, i, indexed, k, n, x
from .vector import vector_function

__all__ = ["register_builtins"]

_TARGETS, _ONE_HOT, _PREDICTIONS = indexed("y"), indexed("y_oh"), indexed("y_pred")


def _sigmoid():
    # exp(-|x|) never overflows; each branch divides only numbers in [1, 2].
    return elementwise(
        "sigmoid",
        1 / (1 + exp(-x)),
        computed_as=_piecewise_sigmoid(),
        doc="Logistic sigmoid 1/(1 + exp(-x)), squashing any real number into (0, 1).",
    )


def _piecewise_sigmoid():
    e = exp(-Abs(x))
    return Piecewise((e / (1 + e), x < 0), (1 / (1 + e), True))


def _relu():
    # The x <= 0 branch comes first: the derivative at 0 is 0, as in the notebook.
    return elementwise(
        "relu", Piecewise((0, x <= 0), (x, True)),
        computed_as=Max(x, 0),
        doc="Rectified linear unit max(0, x); its derivative at 0 is taken as 0.",
    )


def _softmax():
    z, s = indexed("x"), indexed("s")
    return vector_function(
        "softmax",
        exp(z[n, i]) / Sum(exp(z[n, k]), (k, 0, C - 1)),
        inputs=z, output=s, preimage=log(s[n, i]),
        doc="Softmax over the features of each row: exp(x_i) / sum_k exp(x_k).",
    )


def _squared_error():
    y, p = _TARGETS, _PREDICTIONS
    return loss(
        "squared_error",
        Rational(1, 2) * Sum((y[n, i] - p[n, i]) ** 2, (i, 0, C - 1), (n, 0, N - 1)),
        targets=y, predictions=p,
        doc="Half the summed squared error 0.5*sum((y - y_pred)**2) (the notebook's Example 1).",
    )


def _neg_log_likelihood():
    y, p = _ONE_HOT, _PREDICTIONS
    return loss(
        "neg_log_likelihood",
        -Sum(XLogY(y[n, i], p[n, i]), (i, 0, C - 1), (n, 0, N - 1)) / N,
        targets=y, predictions=p,
        doc="Mean over samples of -log p at the true class, for one-hot targets and probabilities.",
    )


def _softmax_neg_log_likelihood(catalog: Catalog):
    return fused(
        "softmax_neg_log_likelihood",
        catalog.get("neg_log_likelihood"),
        catalog.get("softmax"),
        assumptions=(Assumption(_ONE_HOT, 1, "targets are one-hot: each row of y_oh sums to 1"),),
        doc="Negative log-likelihood of softmax(y_pred), taking logits; computed with log-sum-exp.",
    )


def register_builtins(catalog: Catalog = CATALOG) -> None:
    """Add the built-in items to ``catalog``, in the order documents list them."""
    catalog.add("activation", "linear", lambda: elementwise("linear", x, doc="The identity: the output is the input."))
    catalog.add("activation", "sigmoid", _sigmoid)
    catalog.add("activation", "relu", _relu)
    catalog.add("vector", "softmax", _softmax)
    catalog.add("loss", "squared_error", _squared_error)
    catalog.add("loss", "neg_log_likelihood", _neg_log_likelihood)
    catalog.add("loss", "softmax_neg_log_likelihood", lambda: _softmax_neg_log_likelihood(catalog))


register_builtins()
