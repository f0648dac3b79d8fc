"""The built-in catalogue: each item is one SymPy definition; everything else is derived."""

from functools import partial

from sympy import (
    Abs, Add, Float, Max, Min, Piecewise, Rational, Sum, Symbol, diff, erf, exp, floor, log, pi, sign, sqrt, tanh,
)
from sympy.codegen.numpy_nodes import logaddexp

from derive.catalog.activations import elementwise
from derive.catalog.registry import CATALOG, Catalog
from derive.catalog.initializers import FAN_IN, FAN_OUT, constant, normal, uniform
from derive.catalog.penalties import STRENGTH, penalty
from derive.catalog.losses import Inputs, by_row_max, elementwise_stable, fused, loss
from derive.core.functions import Logistic, NormalCDF, ScaledDifference, XLogY
from derive.core.stable_forms import saturate
from derive.core.symbols import C, N, i, indexed, j, k, m, n, x
from derive.catalog.vector_functions import vector_function

__all__ = ["register_builtins"]

_TARGETS, _ONE_HOT, _PREDICTIONS = indexed("y"), indexed("y_oh"), indexed("y_pred")

#: The slope or scale parameter of leaky_relu and elu; the derivations assume it positive.
ALPHA = Symbol("alpha", positive=True)
#: Huber's threshold between its squared and linear parts.
DELTA = Symbol("delta", positive=True)


def _sigmoid():
    # f' = sigmoid(x)*sigmoid(-x) = t/(1 + t)**2 with t = exp(-|x|): no overflow and full
    # precision in both tails, where y*(1 - y) loses it once y rounds to 1.
    t = exp(-Abs(x))
    return elementwise(
        "sigmoid",
        1 / (1 + exp(-x)),
        derivative_computed_as=t / (1 + t) ** 2,
        doc="Logistic sigmoid 1/(1 + exp(-x)), squashing any real number into (0, 1).",
    )


def _tanh():
    # 1 - y**2 rounds to 0 once tanh rounds to ±1; 4t/(1 + t)**2 with t = exp(-2|x|) keeps the
    # tails, and is 0 in float64 beyond |x| = 400 (clamped so 2|x| cannot overflow).
    t = exp(-2 * Abs(x))
    return elementwise(
        "tanh", tanh(x), derivative_computed_as=saturate(4 * t / (1 + t) ** 2, x, 400, "activation 'tanh'"),
        doc="Hyperbolic tangent, squashing any real number into (-1, 1).",
    )


def _leaky_relu():
    return elementwise(
        "leaky_relu", Piecewise((ALPHA * x, x <= 0), (x, True)), params={ALPHA: 0.1},
        doc="Leaky rectified linear unit: alpha*x for x <= 0, x above; alpha > 0.",
    )


def _elu():
    # exp(min(x, 0)) cannot overflow in the branch np.where evaluates but discards.
    low = Min(x, 0)
    return elementwise(
        "elu", Piecewise((ALPHA * (exp(x) - 1), x <= 0), (x, True)), params={ALPHA: 1.0},
        computed_as=Piecewise((ALPHA * (exp(low) - 1), x <= 0), (x, True)),
        derivative_computed_as=Piecewise((ALPHA * exp(low), x <= 0), (1, True)),
        doc="Exponential linear unit: alpha*(exp(x) - 1) for x <= 0, x above; alpha > 0.",
    )


def _gaussian():
    # Beyond |x| = 40 both f and f' are 0 in float64; clamping keeps x**2 from overflowing.
    # exp(-x**2) = exp(-h**2)*exp(-(x - h)*(x + h)) for any h; with h = x cut to 16 bits after
    # the point, h**2 is exact and the rounding of x**2 (up to 1600*eps) never reaches exp.
    item = "activation 'gaussian'"
    h = floor(x * 2**16) / 2**16
    split = exp(-h**2) * exp(-(x - h) * (x + h))
    return elementwise(
        "gaussian", exp(-x**2),
        computed_as=saturate(split, x, 40, item),
        derivative_computed_as=saturate(-2 * x * split, x, 40, item),
        doc="Gaussian bump exp(-x**2).",
    )


def _softplus():
    return elementwise(
        "softplus", log(1 + exp(x)),
        computed_as=logaddexp(0, x),
        derivative_computed_as=1 / (1 + exp(-x)),
        doc="Softplus log(1 + exp(x)), a smooth relu; computed as logaddexp(0, x).",
    )


def _silu():
    # f' = sigmoid(x) + x*sigmoid(x)*sigmoid(-x), with the product as t/(1 + t)**2.
    t = exp(-Abs(x))
    return elementwise(
        "silu", x / (1 + exp(-x)),
        derivative_computed_as=1 / (1 + exp(-x)) + x * t / (1 + t) ** 2,
        doc="Sigmoid linear unit (swish) x*sigmoid(x).",
    )


def _gelu_tanh():
    # (1 + tanh(u))/2 = sigmoid(2u); beyond |x| = 22 that factor is 0 or 1 in float64, and
    # clamping it keeps x**3 from overflowing.  The derivative saturates to 0 and 1 as well.
    item = "activation 'gelu_tanh'"
    # f' = g + x*2u'*g*(1 - g) with g = sigmoid(2u): where 1 - g cancels, that term is
    # negligible next to g, so the form stays accurate.
    u = sqrt(2 / pi) * (x + Rational(44715, 1000000) * x**3)
    gate = 1 / (1 + exp(-2 * u))
    definition = x * (1 + tanh(u)) / 2
    return elementwise(
        "gelu_tanh", definition,
        computed_as=x * saturate(gate, x, 22, item),
        derivative_computed_as=saturate(gate + x * diff(2 * u, x) * gate * (1 - gate), x, 22, item),
        doc="Gaussian error linear unit, tanh approximation x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))/2.",
    )


def _gelu():
    # x*Phi(x) keeps the left tail, where 1 + erf(x/sqrt(2)) cancels; f' = Phi(x) + x*phi(x),
    # whose second term is 0 in float64 beyond |x| = 40 (clamped so x**2 cannot overflow).
    item = "activation 'gelu'"
    return elementwise(
        "gelu", x * (1 + erf(x / sqrt(2))) / 2,
        computed_as=x * NormalCDF(x),
        derivative_computed_as=NormalCDF(x) + saturate(x * exp(-x**2 / 2) / sqrt(2 * pi), x, 40, item),
        doc="Gaussian error linear unit x*Phi(x), Phi the standard normal CDF (the erf form).",
    )


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
        inputs=z, output=s, preimage=log(s[n, i]), normaliser=Sum(s[n, k], (k, 0, C - 1)),
        doc="Softmax over the features of each row: exp(x_i) / sum_k exp(x_k).\n\n"
            "    The seed notebook's derivative=True gives the Jacobian diagonal at the true class\n"
            "    only (and the softmax elsewhere); this one gives it at every class.",
    )


def _log_softmax():
    z, s = indexed("x"), indexed("s")
    return vector_function(
        "log_softmax",
        z[n, i] - log(Sum(exp(z[n, k]), (k, 0, C - 1))),
        inputs=z, output=s, preimage=s[n, i], normaliser=Sum(exp(s[n, k]), (k, 0, C - 1)),
        doc="Log-softmax over the features of each row: x_i - log(sum_k exp(x_k)), by log-sum-exp.",
    )


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
        targets=y, predictions=p, inputs=Inputs.BINARY_PROBABILITIES,
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
        targets=y, predictions=p, inputs=Inputs.ONE_HOT_PROBABILITIES,
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


def _penalties() -> list[partial]:
    """Recipes of the penalties, each ``partial(penalty, name, ...)``: derived when first used."""
    w = indexed("w")
    entries = lambda term: Sum(term, (i, 0, C - 1), (n, 0, N - 1))  # noqa: E731
    return [
        partial(penalty, "l1", STRENGTH * entries(Abs(w[n, i])), weights=w,
                doc="L1 penalty strength*sum(|w|); its gradient at w = 0 is 0."),
        partial(penalty, "l2", STRENGTH * entries(w[n, i] ** 2) / 2, weights=w,
                doc="L2 penalty strength/2*sum(w**2), so that its gradient is strength*w."),
    ]


def _initializers() -> list[partial]:
    """Recipes of the initialisers, each ``partial(kind, name, ...)``: the uniform limits are solved when first used."""
    stddev, limit = Symbol("stddev", positive=True), Symbol("limit", positive=True)
    glorot, he = 2 / (FAN_IN + FAN_OUT), 2 / FAN_IN
    return [
        partial(constant, "zeros", 0, doc="Every entry 0."),
        partial(constant, "ones", 1, doc="Every entry 1."),
        partial(normal, "random_normal", stddev**2, params={stddev: 0.05},
                doc="Normal with mean 0 and standard deviation stddev."),
        partial(uniform, "random_uniform", limit**2 / 3, params={limit: 0.05}, doc="Uniform on [-limit, limit]."),
        partial(normal, "glorot_normal", glorot, doc="Glorot (Xavier) normal: variance 2/(fan_in + fan_out)."),
        partial(uniform, "glorot_uniform", glorot, doc="Glorot (Xavier) uniform: variance 2/(fan_in + fan_out)."),
        partial(normal, "he_normal", he, doc="He normal: variance 2/fan_in, for relu layers."),
        partial(uniform, "he_uniform", he, doc="He uniform: variance 2/fan_in, for relu layers."),
    ]


def register_builtins(catalog: Catalog = CATALOG) -> None:
    """Add the built-in items to ``catalog``, in the order documents list them."""
    catalog.add("activation", "linear", lambda: elementwise("linear", x, doc="The identity: the output is the input."), cache=True)
    catalog.add("activation", "sigmoid", _sigmoid, cache=True)
    catalog.add("activation", "relu", _relu, cache=True)
    catalog.add("activation", "tanh", _tanh, cache=True)
    catalog.add("activation", "leaky_relu", _leaky_relu, cache=True)
    catalog.add("activation", "elu", _elu, cache=True)
    catalog.add("activation", "gaussian", _gaussian, cache=True)
    catalog.add("activation", "softplus", _softplus, cache=True)
    catalog.add("activation", "silu", _silu, cache=True)
    catalog.add("activation", "gelu", _gelu, cache=True)
    catalog.add("activation", "gelu_tanh", _gelu_tanh, cache=True)
    catalog.add("vector", "softmax", _softmax, cache=True)
    catalog.add("vector", "log_softmax", _log_softmax, cache=True)
    catalog.add("loss", "squared_error", _squared_error, cache=True)
    catalog.add("loss", "mse", _mse, cache=True)
    catalog.add("loss", "mae", _mae, cache=True)
    catalog.add("loss", "huber", _huber, cache=True)
    catalog.add("loss", "binary_cross_entropy", _binary_cross_entropy, cache=True)
    catalog.add("loss", "sigmoid_cross_entropy", lambda: _sigmoid_cross_entropy(catalog), cache=True)
    catalog.add("loss", "neg_log_likelihood", _neg_log_likelihood, cache=True)
    catalog.add("loss", "softmax_neg_log_likelihood", lambda: _softmax_neg_log_likelihood(catalog), cache=True)
    for recipe in _penalties():
        catalog.add("penalty", recipe.args[0], recipe, cache=True)
    for recipe in _initializers():
        catalog.add("initializer", recipe.args[0], recipe, cache=True)


register_builtins()
