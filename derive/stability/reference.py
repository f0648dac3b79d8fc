"""High-precision reference values of SymPy expressions, evaluated with mpmath.

An expression in one real variable ``t`` is compiled with
``sympy.lambdify(..., modules="mpmath")`` and evaluated at 50 significant
digits, then again at twice the precision.  Fifty digits are not always
enough for the *definition* of a function: ``log(1 + exp(x))`` at x = -200
cancels 1 + 1e-87 to 1 and gives 0 instead of 1.4e-87.  So the precision is
doubled until two successive results agree to within 2**-20 ulp of float64
(see ``derive.stability.ulp``).  A cancellation beyond both precisions gives exactly 0
at both, so an exact 0 must persist up to 800 digits, enough to resolve any
float64 result of terms up to 1e400 in size.
"""

from collections.abc import Callable, Sequence
from functools import cache, cached_property

import mpmath
from sympy import Expr, Symbol, cancel, lambdify

from derive.core.spelt_out import spelt_out

from derive.stability.ulp import FLOAT64_MAX, ulp

__all__ = ["Reference", "UnsettledReference"]

#: Significant digits of the first evaluation, doubled while results still move.
DIGITS = 50
#: An exact 0 is trusted only from here on; no reference goes beyond _MAX_DIGITS.
_ZERO_CHECK_DIGITS = 800
_MAX_DIGITS = 1600
#: Successive results must agree to 2**-20 ulp.
_AGREEMENT_BITS = 20


class UnsettledReference(ArithmeticError):
    """The reference did not settle by ``_MAX_DIGITS`` digits: the measurement would be meaningless."""


class Reference:
    """The entries of ``exprs`` at a float64 point ``t``, as settled mpmath numbers.

    Calling it returns one ``mpf`` per expression, or None where the
    mathematics gives no float64 answer: a complex or undefined value, or a
    magnitude beyond ``finfo.max``.  Such points are outside the function's
    float64 domain and are not measured.  With ``cancel_first``, SymPy's
    ``cancel`` first puts each expression over one denominator, an exact
    rewrite: ``s - s**2`` of a softmax becomes a ratio of sums of
    exponentials with no subtraction left to cost mpmath digits.  The expressions are
    compiled on the first call, so unused references cost nothing, and
    equal expressions are compiled once.
    """

    def __init__(self, exprs: Sequence[Expr], t: Symbol, *, cancel_first: bool = False) -> None:
        self.exprs = tuple(spelt_out(e) for e in exprs)
        self._t = t
        self._cancel_first = cancel_first

    @cached_property
    def _function(self) -> Callable[[mpmath.mpf], list]:
        return _compiled(self.exprs, self._t, self._cancel_first)

    def __call__(self, t: float) -> list[mpmath.mpf] | None:
        """The settled values at ``t``, or None outside the float64 domain."""
        digits = DIGITS
        previous = self._at(t, digits)
        while previous is not None:
            digits *= 2
            current = self._at(t, digits)
            if current is None:
                return None
            settled = all(_agree(a, b) for a, b in zip(previous, current))
            if settled and (digits >= _ZERO_CHECK_DIGITS or all(v != 0 for v in current)):
                return current
            if digits >= _MAX_DIGITS:
                raise UnsettledReference(f"{list(self.exprs)} at t = {t!r} still moves at {digits} digits")
            previous = current
        return None

    def _at(self, t: float, digits: int) -> list[mpmath.mpf] | None:
        """The values at ``digits`` significant digits, or None outside the float64 domain."""
        with mpmath.workdps(digits):
            try:
                values = self._function(mpmath.mpf(t))
            except (ArithmeticError, ValueError):
                return None
            if not all(isinstance(v, (int, float, mpmath.mpf)) for v in values):
                return None
            values = [mpmath.mpf(v) for v in values]
        if not all(mpmath.isfinite(v) and abs(v) <= FLOAT64_MAX for v in values):
            return None
        return values


@cache
def _compiled(exprs: tuple[Expr, ...], t: Symbol, cancel_first: bool) -> Callable[[mpmath.mpf], list]:
    """``exprs`` as one mpmath function of ``t``; compiled once per process for equal expressions."""
    if cancel_first:
        exprs = tuple(cancel(e) for e in exprs)
    return lambdify((t,), list(exprs), modules="mpmath", cse=True)


def _agree(a: mpmath.mpf, b: mpmath.mpf) -> bool:
    """True when ``a`` and ``b`` differ by at most 2**-20 ulp, compared in mpmath: the bound is below float64 range."""
    return abs(a - b) <= mpmath.ldexp(ulp(b), -_AGREEMENT_BITS)
