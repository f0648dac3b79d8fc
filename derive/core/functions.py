"""Functions with a convention at a point that plain SymPy arithmetic lacks.

Cross-entropies sum ``y * log(p)`` over every class, and a class with target
``y = 0`` must contribute nothing even where ``p = 0``: ``0 * log(0)`` is
``nan`` in floating point.  ``XLogY`` and ``XDivY`` carry that convention
through differentiation, so the gradient ``y / p`` is 0 wherever ``y = 0``.
At numbers both evaluate, with the convention, so a trace can compute them.
"""

from sympy import Abs, Expr, Function, Max, Piecewise, S, erf, exp, log, pi, sqrt

__all__ = ["XLogY", "XDivY", "Logistic", "NormalCDF", "ScaledDifference", "Reciprocal", "Hypot", "unscaled"]


class XDivY(Function):
    """``XDivY(a, b) = a / b``, taken as 0 where ``a = 0``."""

    is_real = True

    @classmethod
    def eval(cls, a: Expr, b: Expr) -> Expr | None:
        if a.is_zero:
            return S.Zero
        return a / b if a.is_Number and b.is_Number else None

    def fdiff(self, argindex: int = 1):
        a, b = self.args
        return 1 / b if argindex == 1 else -XDivY(a, b ** 2)

    def _eval_rewrite_as_log(self, a, b, **kwargs):
        return a / b

    def _latex(self, printer, exp=None) -> str:
        a, b = self.args
        text = rf"\frac{{{printer._print(a)}}}{{{printer._print(b)}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


class XLogY(Function):
    """``XLogY(a, b) = a * log(b)``, taken as 0 where ``a = 0``."""

    is_real = True

    @classmethod
    def eval(cls, a: Expr, b: Expr) -> Expr | None:
        if a.is_zero:
            return S.Zero
        return a * log(b) if a.is_Number and b.is_Number else None

    def fdiff(self, argindex: int = 1):
        a, b = self.args
        return log(b) if argindex == 1 else XDivY(a, b)

    def _eval_rewrite_as_log(self, a, b, **kwargs):
        return a * log(b)

    def _latex(self, printer, exp=None) -> str:
        a, b = self.args
        text = rf"{printer.parenthesize(a, 50)} \log{{{printer.parenthesize(b, 50)}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


class Logistic(Function):
    """``Logistic(a) = 1/(1 + exp(-a))``, the sigmoid σ(a), kept whole so derivations can cancel it.

    Its derivative ``L*(1 - L)`` lets SymPy reduce a cross-entropy of
    sigmoids to ``L - y``.  Code computes it as ``computed_form``, which
    cannot overflow; ``derive.catalog.numeric_forms.numeric`` writes every
    logistic term of a computed form as ``Logistic`` and ``log(L)`` as
    ``-logaddexp(0, -a)``.
    """

    is_real = True

    @classmethod
    def eval(cls, a: Expr) -> Expr | None:
        # Only the limits: at finite numbers it stays whole, as derivations expect.
        return {S.Infinity: S.One, S.NegativeInfinity: S.Zero}.get(a)

    @property
    def definition(self) -> Expr:
        """``1/(1 + exp(-a))``: what the function means."""
        return 1 / (1 + exp(-self.args[0]))

    @property
    def computed_form(self) -> Expr:
        """``max(t, [a >= 0])/(1 + t)`` with ``t = exp(-|a|)``: ``exp`` never overflows, and no select is needed.

        ``t <= 1``, so the numerator is 1 where ``a >= 0`` and ``t`` elsewhere:
        ``1/(1 + t)`` and ``t/(1 + t)``, the two halves of the sigmoid.
        """
        a = self.args[0]
        t = exp(-Abs(a))
        return Max(t, Piecewise((S.One, a >= 0), (S.Zero, True))) / (1 + t)

    def fdiff(self, argindex: int = 1):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / (1 + exp(-a))

    def _eval_evalf(self, prec: int) -> Expr | None:
        return self.definition._eval_evalf(prec) if self.args[0].is_Number else None

    def _mpmathcode(self, printer) -> str:
        return printer._print(self.definition)

    def _latex(self, printer, exp=None) -> str:
        text = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"


class NormalCDF(Function):
    """``NormalCDF(x) = (1 + erf(x/sqrt(2)))/2``, the standard normal CDF, kept whole.

    NumPy has no ``erf``: code evaluates it with ``derive.core.normal_cdf.NORMAL_CDF``.
    """

    is_real = True

    def fdiff(self, argindex: int = 1):
        x = self.args[0]
        return exp(-x**2 / 2) / sqrt(2 * pi)

    def _eval_rewrite_as_erf(self, x, **kwargs):
        return (1 + erf(x / sqrt(2))) / 2

    def _latex(self, printer, exp=None) -> str:
        text = rf"\Phi\left({printer._print(self.args[0])}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"


class ScaledDifference(Function):
    """``ScaledDifference(a, b, k) = (a - b)/k`` for ``k > 0``, kept whole so code can scale first.

    ``a - b`` overflows for ``a = 1e308, b = -1e308`` where ``(a - b)/k`` fits
    once ``k >= 2``; code computes ``(a/2 - b/2)/(k/2)`` (``codegen.printer``),
    proven equal in the tests.  Proofs reason about ``unscaled`` forms.
    """

    is_real = True

    @classmethod
    def eval(cls, a: Expr, b: Expr, k: Expr) -> Expr | None:
        return (a - b) / k if a.is_Number and b.is_Number and k.is_Number else None

    def fdiff(self, argindex: int = 1):
        k = self.args[2]
        return (1 / k, -1 / k, -self / k)[argindex - 1]

    def _latex(self, printer, exp=None) -> str:
        a, b, k = self.args
        text = rf"\frac{{{printer._print(a - b)}}}{{{printer._print(k)}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


class Reciprocal(Function):
    """``Reciprocal(a) = 1/a``, kept whole so a power of it stays a power of the reciprocal.

    SymPy writes ``(1/a)**2`` as ``a**-2``, whose code squares ``a`` first and
    overflows for ``|a| > 1.3e154``; ``Reciprocal(a)**2`` squares ``1/a`` instead.
    """

    is_real = True

    def fdiff(self, argindex: int = 1):
        return -self**2

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / a

    def _latex(self, printer, exp=None) -> str:
        text = rf"\frac{{1}}{{{printer._print(self.args[0])}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


class Hypot(Function):
    """``Hypot(a, b) = sqrt(a**2 + b**2)``, computed (``np.hypot``) without squaring: no overflow, no underflow."""

    is_real = True

    def fdiff(self, argindex: int = 1):
        return self.args[argindex - 1] / self

    def _eval_rewrite_as_exp(self, a, b, **kwargs):
        return sqrt(a**2 + b**2)

    def _latex(self, printer, exp=None) -> str:
        a, b = (printer._print(arg) for arg in self.args)
        text = rf"\sqrt{{{a}^{{2}} + {b}^{{2}}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


def unscaled(expr: Expr) -> Expr:
    """``expr`` with every ``ScaledDifference(a, b, k)`` written ``(a - b)/k``: the form proofs reason about."""
    return expr.replace(lambda e: isinstance(e, ScaledDifference), lambda e: (e.args[0] - e.args[1]) / e.args[2])
