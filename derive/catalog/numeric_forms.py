"""Exact rewrites every catalogue form gets before code evaluates it: forms that evaluate better in float64.

Logistic terms as ``Logistic`` (computed without overflow), ``log(1 +
exp(a))`` as ``logaddexp``, ``expm1`` and ``log1p`` where ``exp(a) - 1`` and
``log(1 + a)`` would cancel, a guarded branch's input clipped, and a scale
moved inside a quotient.  Each rewrite is an obligation of the ledger.
"""

from sympy import Add, Expr, Max, Min, Mul, S, exp, expand_mul, log
from sympy.codegen.cfunctions import expm1, log1p
from sympy.codegen.numpy_nodes import logaddexp

from derive.core.functions import Logistic, XDivY
from derive.core.stable_forms import rewrite_guarded_branches, stable_sigmoids

__all__ = ["numeric"]


def numeric(expr: Expr) -> Expr:
    """``expr`` with exact rewrites that evaluate better in float64.

    ``1/(1 + exp(a))`` becomes ``Logistic(-a)``, computed without overflow,
    ``log(1 + exp(a))`` becomes ``logaddexp(0, a)``, ``exp(a) - 1`` becomes
    ``expm1(a)`` and ``log(1 + a)`` becomes ``log1p(a)``.
    """
    return _into_quotients(_log1p(_expm1(_softplus(stable_sigmoids(_logistic(_clip_guarded(expr)))))))


def _into_quotients(expr: Expr) -> Expr:
    """``c * XDivY(a, b)`` -> ``XDivY(c*a, b)``: scale before dividing by a possibly tiny ``b``.

    ``(y/p)/(C*N)`` overflows for a subnormal ``p`` where ``(y/(C*N))/p`` fits.
    """
    if not expr.has(XDivY):
        return expr
    expr = expand_mul(expr)

    def absorb(e: Mul) -> Expr:
        (quotient,) = [f for f in e.args if isinstance(f, XDivY)]
        rest = Mul(*[f for f in e.args if f is not quotient])
        return XDivY(rest * quotient.args[0], quotient.args[1])

    return expr.replace(
        lambda e: isinstance(e, Mul) and sum(isinstance(f, XDivY) for f in e.args) == 1, absorb
    )

def _clip_guarded(expr: Expr) -> Expr:
    """In a branch taken only where ``c*|u| <= d`` (``c > 0``), write ``u`` as ``clip(u, -d/c, d/c)``.

    The two are equal wherever the branch is taken; ``np.where`` evaluates
    every branch everywhere, and the clipped ``u`` keeps ``u**2`` from
    overflowing where the branch is not taken (huber at ``|y - p|`` near 1e308).
    """

    def clip(value: Expr, u: Expr, bound: Expr) -> Expr:
        return value if u.is_Atom else value.xreplace({u: Max(Min(u, bound), -bound)})

    return rewrite_guarded_branches(expr, clip)

def _logistic(expr: Expr) -> Expr:
    """``log(L(a))`` -> ``-logaddexp(0, -a)``, ``log(1 - L(a))`` -> ``-logaddexp(0, a)``, then ``L`` -> exp form."""
    expr = expr.replace(
        lambda e: isinstance(e, log) and isinstance(e.args[0], Logistic),
        lambda e: -logaddexp(0, -e.args[0].args[0]),
    )
    expr = expr.replace(
        lambda e: isinstance(e, log) and isinstance(e.args[0], Add) and len(e.args[0].args) == 2
        and S.One in e.args[0].args and any(isinstance(-a, Logistic) for a in e.args[0].args),
        lambda e: -logaddexp(0, next(-a for a in e.args[0].args if isinstance(-a, Logistic)).args[0]),
    )
    return expr.replace(lambda e: isinstance(e, Logistic), lambda e: e.rewrite(exp))


def _softplus(expr: Expr) -> Expr:
    """``log(1 + exp(a))`` -> ``logaddexp(0, a)``, which cannot overflow."""

    def is_softplus(e: Expr) -> bool:
        if not (isinstance(e, log) and isinstance(e.args[0], Add) and len(e.args[0].args) == 2):
            return False
        return S.One in e.args[0].args and any(isinstance(a, exp) for a in e.args[0].args)

    def rewrite(e: log) -> Expr:
        (power,) = [a for a in e.args[0].args if isinstance(a, exp)]
        return logaddexp(0, power.args[0])

    return expr.replace(is_softplus, rewrite)


def _expm1(expr: Expr) -> Expr:
    """``exp(a) - 1`` -> ``expm1(a)`` and ``1 - exp(a)`` -> ``-expm1(a)``: no cancellation near 0."""

    def is_candidate(e: Expr) -> bool:
        if not isinstance(e, Add) or len(e.args) != 2:
            return False
        ones = [a for a in e.args if a in (S.One, S.NegativeOne)]
        rest = [a for a in e.args if a not in (S.One, S.NegativeOne)]
        return len(ones) == 1 and len(rest) == 1 and isinstance(-rest[0] if ones[0] == 1 else rest[0], exp)

    def rewrite(e: Add) -> Expr:
        one = S.One if S.One in e.args else S.NegativeOne
        (power,) = [a for a in e.args if a != one]
        return expm1(power.args[0]) if one == -1 else -expm1((-power).args[0])

    return expr.replace(is_candidate, rewrite)


def _log1p(expr: Expr) -> Expr:
    """``log(1 + a)`` -> ``log1p(a)``: full precision for small ``a``."""
    return expr.replace(
        lambda e: isinstance(e, log) and isinstance(e.args[0], Add) and S.One in e.args[0].args,
        lambda e: log1p(e.args[0] - 1),
    )
