"""The standard normal CDF as an expression NumPy can evaluate, for GELU.

NumPy has no ``erf``.  ``NORMAL_CDF`` writes ``Phi(x)`` with the rational
approximations of the Cephes library (``ndtr``, ``erf``, ``erfc``; coefficients
below, accurate to about 1e-16 relative), as one SymPy expression of ``x``
that ``codegen`` prints into the generated module.  It is an approximation,
not an identity: its accuracy is measured against mpmath (``docs/accuracy.md``)
rather than proven.
"""

from sympy import Abs, Expr, Float, Piecewise, Rational, Symbol, exp, floor, sqrt

from derive.core.stable_forms import Clamp

__all__ = ["NORMAL_CDF", "normal_cdf_input"]

#: The input symbol of ``NORMAL_CDF``.
normal_cdf_input = Symbol("x", real=True)

# Cephes ndtr.c: erfc(z) = exp(-z**2) P(z)/Q(z) for 1 <= z < 8, exp(-z**2) R(z)/S(z) for z >= 8,
# erf(z) = z T(z**2)/U(z**2) for |z| < 1; Q, S and U have an implicit leading 1.
_P = [
    "2.46196981473530512524e-10", "5.64189564831068821977e-1", "7.46321056442269912687e0",
    "4.86371970985681366614e1", "1.96520832956077098242e2", "5.26445194995477358631e2",
    "9.34528527171957607540e2", "1.02755188689515710272e3", "5.57535335369399327526e2",
]
_Q = [
    "1", "1.32281951154744992508e1", "8.67072140885989742329e1", "3.54937778887819891062e2",
    "9.75708501743205489753e2", "1.82390916687909736289e3", "2.24633760818710981792e3",
    "1.65666309194161350182e3", "5.57535340817727675546e2",
]
_R = [
    "5.64189583547755073984e-1", "1.27536670759978104416e0", "5.01905042251180477414e0",
    "6.16021097993053585195e0", "7.40974269950448939160e0", "2.97886665372100240670e0",
]
_S = [
    "1", "2.26052863220117276590e0", "9.39603524938001434673e0", "1.20489539808096656605e1",
    "1.70814450747565897222e1", "9.60896809063285878198e0", "3.36907645100081516050e0",
]
_T = [
    "9.60497373987051638749e0", "9.00260197203842689217e1", "2.23200534594684319226e3",
    "7.00332514112805075473e3", "5.55923013010394962768e4",
]
_U = [
    "1", "3.35617141647503099647e1", "5.21357949780152679795e2", "4.59432382970980127987e3",
    "2.26290000613890934246e4", "4.92673942608635921086e4",
]


def _horner(coefficients: list[str], z: Expr) -> Expr:
    """The polynomial with ``coefficients`` (highest degree first) in Horner form."""
    result = Float(coefficients[0], 21)
    for c in coefficients[1:]:
        result = result * z + Float(c, 21)
    return result


def _exp_minus_square(z: Expr) -> Expr:
    """``exp(-z**2)`` as ``exp(-h**2) exp(-(z - h)(z + h))`` with ``h`` exact in 16 bits after the point."""
    h = floor(z * 2**16) / 2**16
    return exp(-h**2) * exp(-(z - h) * (z + h))


def _normal_cdf() -> Expr:
    x = normal_cdf_input
    # Beyond |x| = 40, Phi(x) is 0 or 1 in float64; clamping keeps every branch finite.
    clamped = Clamp(x, Float(40))
    z = Abs(clamped) / sqrt(2)
    w = clamped / sqrt(2)
    erf_small = w * _horner(_T, w**2) / _horner(_U, w**2)
    # erfc(z)/2 for z >= sqrt(1/2): Cephes takes 1 - erf(z) below 1, where P/Q is not fitted.
    erf_z = z * _horner(_T, z**2) / _horner(_U, z**2)
    tail = Piecewise(
        (1 - erf_z, z < 1),
        (_exp_minus_square(z) * _horner(_P, z) / _horner(_Q, z), z < 8),
        (_exp_minus_square(z) * _horner(_R, z) / _horner(_S, z), True),
    ) / 2
    return Piecewise(
        (Rational(1, 2) + erf_small / 2, z < sqrt(2) / 2),
        (tail, clamped < 0),
        (1 - tail, True),
    )


#: ``Phi(x)`` in the form generated code evaluates.
NORMAL_CDF = _normal_cdf()
