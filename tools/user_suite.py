"""Activations a user would add, written as a user registers them: the suite the accuracy search is measured on.

None is in the built-in catalogue.  Each is one SymPy expression, as
``register_activation`` takes it (``derive.catalog.registry``), with no hand
form: whatever accuracy its generated code has, the search found.
``KNOWN_GAPS`` lists the functions whose generated code misses the accuracy
target, with the reason and the error measured when the entry was set.
"""

from dataclasses import dataclass, field

from sympy import Abs, Expr, Float, Piecewise, Rational, Symbol, cosh, exp, log, sqrt, tanh

from derive.core.symbols import x

__all__ = ["UserActivation", "SUITE", "Gap", "KNOWN_GAPS"]

_ALPHA = Symbol("alpha", positive=True)
_BETA = Symbol("beta", positive=True)
#: SELU's constants (Klambauer et al., 2017), to the digits PyTorch's documentation gives.
_SELU_SCALE = Float("1.0507009873554804934193349852946")
_SELU_ALPHA = Float("1.6732632423543772848170429916717")


@dataclass(frozen=True)
class UserActivation:
    """``register_activation(name, definition, params=params, doc=doc)``, as a user's extension file calls it."""

    name: str
    definition: Expr
    doc: str
    params: dict[Symbol, float] = field(default_factory=dict)


SUITE = (
    UserActivation("mish", x * tanh(log(1 + exp(x))), "Mish x*tanh(softplus(x)) (Misra, 2019)."),
    UserActivation("log_sigmoid", log(1 / (1 + exp(-x))), "Log-sigmoid log(1/(1 + exp(-x)))."),
    UserActivation("log_cosh", log(cosh(x)), "Log-cosh log(cosh(x))."),
    UserActivation("quick_gelu", x / (1 + exp(-Rational(1702, 1000) * x)), "Quick GELU x*sigmoid(1.702*x)."),
    UserActivation("softsign", x / (1 + Abs(x)), "Softsign x/(1 + |x|)."),
    UserActivation("bent_identity", (sqrt(x**2 + 1) - 1) / 2 + x, "Bent identity (sqrt(x**2 + 1) - 1)/2 + x."),
    UserActivation(
        "selu", _SELU_SCALE * Piecewise((_SELU_ALPHA * (exp(x) - 1), x <= 0), (x, True)),
        "Scaled exponential linear unit (SELU).",
    ),
    UserActivation(
        "celu", Piecewise((_ALPHA * (exp(x / _ALPHA) - 1), x <= 0), (x, True)),
        "Continuously differentiable ELU: alpha*(exp(x/alpha) - 1) for x <= 0, x above.", {_ALPHA: 1.0},
    ),
    UserActivation("isru", x / sqrt(1 + x**2), "Inverse square root unit x/sqrt(1 + x**2)."),
    UserActivation("tanhshrink", x - tanh(x), "Tanhshrink x - tanh(x)."),
    UserActivation("swish", x / (1 + exp(-_BETA * x)), "Swish x*sigmoid(beta*x).", {_BETA: 1.0}),
)


@dataclass(frozen=True)
class Gap:
    """Where the function is well conditioned, its code is beyond 4 ulp but within ``ulps``, because ``reason``."""

    ulps: float
    reason: str


#: A sum whose terms cancel near a zero of the function: the terms' rounding, not x's, is magnified.
_NEAR_ZERO = ("Near the zero of {name} at x ≈ {zero} its terms {terms} cancel, so their rounding is magnified "
              "several times, though κ of {name} itself stays below 16 there.")
#: Function label (``name``, or ``name′`` for the derivative) -> its gap: the largest error where
#: κ <= 16 on the full grid of ``derive.stability.grid``, as measured when the entry was set
#: (NumPy 2.4, x86-64), rounded up.
KNOWN_GAPS: dict[str, Gap] = {
    "mish′": Gap(25.0, _NEAR_ZERO.format(name="mish′", zero="−1.19", terms="tanh(softplus(x)) and "
                                         "x·σ(x)·(1 − tanh²(softplus(x)))")),
    "swish′": Gap(10.0, _NEAR_ZERO.format(name="swish′", zero="−1.28", terms="1 and x·σ(−x) (in "
                                          "(1 + x·σ(−x))·σ(x))")),
    "log_cosh": Gap(5.0, "The search joins log1p(2·sinh²(x/2)) near 0 to |x| + log1p(exp(−2|x|)) − log 2 "
                         "beyond; just beyond the split the second subtracts log 2 from about 0.81 for a result "
                         "of 0.12, which costs a few of its last bits (4.3 ulp at x = −0.5)."),
    "quick_gelu": Gap(19.0, "σ(1.702·x) is computed from the rounded product 1.702·x, and in σ's left tail a "
                            "relative error in its argument is magnified about |1.702·x| times: an intermediate "
                            "rounding, which κ of the function does not count."),
    "quick_gelu′": Gap(17.0, "As for quick_gelu: both terms take σ of the rounded product 1.702·x."),
    "isru′": Gap(1.1e40, "SymPy's derivative 1/sqrt(x² + 1) − x²/(x² + 1)^(3/2) cancels for large |x|, where it "
                         "is (x² + 1)^(−3/2), a form the search does not reach; beyond 2⁸⁵ it clamps x, the same "
                         "cancellation making that part look constant at 50 digits."),
    "tanhshrink": Gap(65.0, "x − tanh(x) cancels near 0, where it is about x³/3. The search's Taylor polynomial "
                            "(to x¹⁷) serves |x| ≤ 1/8, where it holds to 2⁻⁵⁶; between 1/8 and about 0.6 the "
                            "closed form still cancels (61 ulp at x = −0.16)."),
}
