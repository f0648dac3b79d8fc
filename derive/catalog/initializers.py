"""Weight initialisers: a distribution and its scale, as an expression of the fans.

Glorot and He set the *variance* of a weight: ``2/(fan_in + fan_out)`` and
``2/fan_in``.  The normal initialiser's standard deviation is its square
root; the uniform one's limit ``a`` solves ``Var(Uniform(-a, a)) = variance``,
which SymPy's statistics module derives (``a = sqrt(3*variance)``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache

from sympy import Eq, Expr, Symbol, solve, sqrt, sympify
from sympy.stats import Uniform, variance

from derive.catalog.activations import Parameter, parameters_of
from derive.core.shown_as_math import ShownAsMath

__all__ = ["Distribution", "Initializer", "FAN_IN", "FAN_OUT", "constant", "normal", "uniform"]

#: Inputs and outputs of a weight of shape (fan_out, fan_in): (units, inputs).
FAN_IN = Symbol("fan_in", integer=True, positive=True)
FAN_OUT = Symbol("fan_out", integer=True, positive=True)


class Distribution(str, Enum):
    """How the generated function fills an array."""

    CONSTANT = "constant"
    NORMAL = "normal"
    UNIFORM = "uniform"


@dataclass(frozen=True, repr=False)
class Initializer(ShownAsMath):
    """``scale`` is the constant, the normal's standard deviation, or the uniform's limit."""

    name: str
    distribution: Distribution
    scale: Expr
    variance: Expr | None
    params: tuple[Parameter, ...]
    doc: str


def constant(name: str, value: float, *, doc: str) -> Initializer:
    """Every entry equal to ``value``."""
    return Initializer(name, Distribution.CONSTANT, sympify(value), None, (), doc)


def normal(name: str, variance_: Expr, *, params: Mapping[Symbol, float] | None = None, doc: str) -> Initializer:
    """Zero-mean normal with the given variance: standard deviation ``sqrt(variance)``."""
    parameters = parameters_of(f"initializer {name!r}", params or {})
    return Initializer(name, Distribution.NORMAL, sqrt(variance_), variance_, parameters, doc)


@cache
def _uniform_variance() -> tuple[Symbol, Expr]:
    """The limit ``a`` and the variance of ``Uniform(-a, a)``, derived once for every uniform initialiser."""
    a = Symbol("a", positive=True)
    return a, variance(Uniform("u", -a, a))


def uniform(name: str, variance_: Expr, *, params: Mapping[Symbol, float] | None = None, doc: str) -> Initializer:
    """``Uniform(-a, a)`` with the given variance; ``a`` solved from the uniform's variance."""
    a, uniform_variance = _uniform_variance()
    (limit,) = solve(Eq(uniform_variance, variance_), a)
    parameters = parameters_of(f"initializer {name!r}", params or {})
    return Initializer(name, Distribution.UNIFORM, limit, variance_, parameters, doc)
