"""An expression in functions mpmath knows, for exact evaluation: derive's own functions written out."""

from sympy import Eq, Expr, Function, Piecewise, S, erf, exp, log
from sympy.codegen.numpy_nodes import logaddexp

from derive.core.functions import XDivY, XLogY
from derive.core.stable_forms import unclamp

__all__ = ["spelt_out"]


def spelt_out(expr: Expr) -> Expr:
    """``expr`` in functions mpmath knows: derive's own functions written out.

    ``XLogY``/``XDivY`` become ``a*log(b)`` and ``a/b``, 0 where ``a = 0``;
    any other function defined in ``derive`` (such as ``Logistic``) is
    rewritten in terms of ``exp`` (``NormalCDF`` in terms of ``erf``), NumPy's ``logaddexp`` as the log of a sum,
    and a ``Clamp`` as the value it stands for.
    """
    expr = unclamp(expr).replace(lambda e: isinstance(e, logaddexp), lambda e: e.rewrite(log))
    expr = expr.replace(
        lambda e: isinstance(e, (XLogY, XDivY)),
        lambda e: Piecewise((S.Zero, Eq(e.args[0], 0)), (e.rewrite(log), True)),
    )
    expr = expr.replace(_is_derived_function, lambda e: e.rewrite(exp)).replace(
        _is_derived_function, lambda e: e.rewrite(erf))
    left = sorted({type(e).__name__ for e in expr.atoms(Function) if _is_derived_function(e)})
    if left:
        raise ValueError(f"{', '.join(left)} in {expr}: no rewrite in terms of exp for an mpmath reference")
    return expr


def _is_derived_function(expr: Expr) -> bool:
    return isinstance(expr, Function) and type(expr).__module__.startswith("derive.")
