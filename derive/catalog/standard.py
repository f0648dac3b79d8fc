"""The built-in catalogue: the activations, vector functions and losses of ``standard_activations`` and
``standard_losses``, the penalties and the initialisers, registered in the order documents list them."""

from functools import partial

from sympy import Abs, Sum, Symbol

from derive.catalog.initializers import FAN_IN, FAN_OUT, constant, normal, uniform
from derive.catalog.penalties import STRENGTH, penalty
from derive.catalog.registry import CATALOG, Catalog
from derive.catalog.standard_activations import ACTIVATIONS, VECTOR_FUNCTIONS
from derive.catalog.standard_losses import LOSSES
from derive.core.symbols import C, N, i, indexed, n

__all__ = ["register_builtins"]


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
    for name, recipe in ACTIVATIONS.items():
        catalog.add("activation", name, recipe, cache=True)
    for name, recipe in VECTOR_FUNCTIONS.items():
        catalog.add("vector", name, recipe, cache=True)
    for name, (reduction, loss_recipe) in LOSSES.items():
        catalog.add_loss(name, reduction, partial(loss_recipe, catalog), cache=True)
    for recipe in _penalties():
        catalog.add("penalty", recipe.args[0], recipe, cache=True)
    for recipe in _initializers():
        catalog.add("initializer", recipe.args[0], recipe, cache=True)

register_builtins()
