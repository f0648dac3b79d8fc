"""The built-in activations and vector functions: each one SymPy definition, and a hand form where the search finds none as good."""

from collections.abc import Callable

from sympy import Max, Piecewise, Rational, Sum, Symbol, diff, erf, exp, floor, log, pi, sqrt, tanh

from derive.catalog.activations import Activation, elementwise
from derive.catalog.vector_functions import VectorFunction, vector_function
from derive.core.functions import NormalCDF
from derive.core.stable_forms import saturate
from derive.core.symbols import C, i, indexed, k, n, x

__all__ = ["ALPHA", "ACTIVATIONS", "VECTOR_FUNCTIONS"]

#: The slope or scale parameter of leaky_relu and elu; the derivations assume it positive.
ALPHA = Symbol("alpha", positive=True)


def _sigmoid():
    return elementwise(
        "sigmoid",
        1 / (1 + exp(-x)),
        doc="Logistic sigmoid 1/(1 + exp(-x)), squashing any real number into (0, 1).",
    )


def _tanh():
    return elementwise("tanh", tanh(x), doc="Hyperbolic tangent, squashing any real number into (-1, 1).")


def _leaky_relu():
    return elementwise(
        "leaky_relu", Piecewise((ALPHA * x, x <= 0), (x, True)), params={ALPHA: 0.1},
        doc="Leaky rectified linear unit: alpha*x for x <= 0, x above; alpha > 0.",
    )


def _elu():
    return elementwise(
        "elu", Piecewise((ALPHA * (exp(x) - 1), x <= 0), (x, True)), params={ALPHA: 1.0},
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
        doc="Softplus log(1 + exp(x)), a smooth relu; computed as logaddexp(0, x).",
    )


def _silu():
    return elementwise("silu", x / (1 + exp(-x)), doc="Sigmoid linear unit (swish) x*sigmoid(x).")


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


def _linear():
    return elementwise("linear", x, doc="The identity: the output is the input.")


#: Name -> recipe, in the order documents list them.
ACTIVATIONS: dict[str, Callable[[], Activation]] = {
    "linear": _linear, "sigmoid": _sigmoid, "relu": _relu, "tanh": _tanh, "leaky_relu": _leaky_relu, "elu": _elu,
    "gaussian": _gaussian, "softplus": _softplus, "silu": _silu, "gelu": _gelu, "gelu_tanh": _gelu_tanh,
}
VECTOR_FUNCTIONS: dict[str, Callable[[], VectorFunction]] = {"softmax": _softmax, "log_softmax": _log_softmax}
