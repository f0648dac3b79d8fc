"""Hand-written accurate forms the catalogue once stated, kept as cases the accuracy search must match or beat.

Each was proven equal to its function and printed until the search
(``derive.stability.search``) found a form at least as accurate; the
catalogue now derives those items by search alone.  ``derivative`` marks a
form of f' rather than f.
"""

from dataclasses import dataclass

from sympy import Abs, Expr, Min, Piecewise, Symbol, exp
from sympy.codegen.numpy_nodes import logaddexp

from derive.core.stable_forms import saturate
from derive.core.symbols import x

__all__ = ["HandForm", "RETIRED"]

_ALPHA = Symbol("alpha", positive=True)


@dataclass(frozen=True)
class HandForm:
    """The hand form ``form`` of activation ``name`` (of its derivative when ``derivative``)."""

    name: str
    derivative: bool
    form: Expr


def _t(scale: int = 1) -> Expr:
    return exp(-scale * Abs(x))


RETIRED = (
    HandForm("sigmoid", True, _t() / (1 + _t()) ** 2),
    HandForm("tanh", True, saturate(4 * _t(2) / (1 + _t(2)) ** 2, x, 400, "activation 'tanh'")),
    HandForm("elu", False, Piecewise((_ALPHA * (exp(Min(x, 0)) - 1), x <= 0), (x, True))),
    HandForm("elu", True, Piecewise((_ALPHA * exp(Min(x, 0)), x <= 0), (1, True))),
    HandForm("softplus", False, logaddexp(0, x)),
    HandForm("softplus", True, 1 / (1 + exp(-x))),
    HandForm("silu", True, 1 / (1 + exp(-x)) + x * _t() / (1 + _t()) ** 2),
)
