"""Batch normalisation, defined with sums over the batch and differentiated by SymPy.

For one feature ``i`` of a batch ``z`` of ``N`` samples::

    mean = sum_m z[m, i] / N        var = sum_m (z[m, i] - mean)**2 / N
    out[n, i] = gamma * (z[n, i] - mean) / sqrt(var + epsilon) + beta

The gradient of ``L = sum_m G[m, i] * out[m, i]`` with respect to ``z[n, i]``
has three paths: direct, through the mean and through the variance.  SymPy
differentiates each; the variance's own dependence on the mean vanishes
because ``sum_m (z[m, i] - mean) = 0`` is the mean's definition, which is
substituted, not assumed.  The result, with common factors taken out, is
the closed form ``gamma/sqrt(var + epsilon) * (G - (sum G + (z - mean)*sum(G*(z - mean))/(var + epsilon))/N)``.
Inference normalises with running statistics, which training moves towards
each batch's statistics, keeping ``RUNNING_DECAY`` of the old (the batch variance, as defined).
"""

from dataclasses import dataclass, fields
from functools import cache

from sympy import Add, Expr, Float, Integer, Rational, Sum, Symbol, collect, diff, factor_terms, sqrt

from derive.core.indexing import drop_range_guards
from derive.core.symbols import N, i, indexed, m, n

__all__ = ["BatchNorm", "batch_norm", "EPSILON", "RUNNING_DECAY"]

#: Added to the variance before its square root, so a constant feature does not divide by 0.
EPSILON = Float("1e-5")
#: Weight of the old running statistics in each training step's update.
RUNNING_DECAY = Rational(9, 10)


@dataclass(frozen=True)
class BatchNorm:
    """Every expression of one batch-normalised layer, over the names given to ``batch_norm``.

    ``mean`` and ``variance`` are batch sums; ``training`` and ``inference``
    the normalised output from batch and from running statistics;
    ``grad_input``, ``grad_gamma`` and ``grad_beta`` the gradients for an
    upstream gradient ``G``; ``running_mean`` and ``running_variance`` the
    updated running statistics; ``initial_mean`` and ``initial_variance``
    their values before training.
    """

    mean: Expr
    variance: Expr
    training: Expr
    inference: Expr
    grad_input: Expr
    grad_gamma: Expr
    grad_beta: Expr
    running_mean: Expr
    running_variance: Expr
    initial_mean: Expr = Integer(0)
    initial_variance: Expr = Integer(1)


def batch_norm(
    z: str = "z", upstream: str = "G", *, mean: str = "mean", variance: str = "var", gamma: str = "gamma",
    beta: str = "beta", running_mean: str = "running_mean", running_variance: str = "running_var",
) -> BatchNorm:
    """Batch normalisation of the batch ``z`` for an upstream gradient ``upstream``, over these names.

    The derivation is done once, over the default names, and renamed.
    """
    names = {
        indexed("z"): indexed(z), indexed("G"): indexed(upstream),
        _MEAN: Symbol(mean, real=True), _VARIANCE: Symbol(variance, nonnegative=True),
        _GAMMA: Symbol(gamma, real=True), _BETA: Symbol(beta, real=True),
        _RUNNING_MEAN: Symbol(running_mean, real=True), _RUNNING_VARIANCE: Symbol(running_variance, nonnegative=True),
    }
    derived = _derived()
    return BatchNorm(**{f.name: getattr(derived, f.name).xreplace(names) for f in fields(BatchNorm)})


_MEAN, _VARIANCE = Symbol("mean", real=True), Symbol("var", nonnegative=True)
_GAMMA, _BETA = Symbol("gamma", real=True), Symbol("beta", real=True)
_RUNNING_MEAN, _RUNNING_VARIANCE = Symbol("running_mean", real=True), Symbol("running_var", nonnegative=True)


@cache
def _derived() -> BatchNorm:
    """The derivation over the names ``z``, ``G``, ``mean``, ``var``, ``gamma``, ``beta`` and the running ones."""
    Z, G = indexed("z"), indexed("G")
    mu, var, g, b = _MEAN, _VARIANCE, _GAMMA, _BETA
    batch_sum = lambda body: Sum(body, (m, 0, N - 1))  # noqa: E731 - a sum over the samples m

    mean_of_z = batch_sum(Z[m, i]) / N
    variance_of_z = batch_sum((Z[m, i] - mu) ** 2) / N
    normalised = lambda at, mu_, var_: (Z[at, i] - mu_) / sqrt(var_ + EPSILON)  # noqa: E731
    out = lambda at: g * normalised(at, mu, var) + b  # noqa: E731

    cost = batch_sum(G[m, i] * out(m))
    d_mean = _partial(mean_of_z, Z[n, i])
    # The variance also moves with the mean; that path is 0 by the mean's definition.
    variance_through_mean = _pull_constants(diff(variance_of_z, mu).expand())
    if variance_through_mean.subs(batch_sum(Z[m, i]), N * mu).expand() != 0:
        raise AssertionError(f"the variance's dependence on the mean did not vanish: {variance_through_mean}")
    d_variance = _partial(variance_of_z, Z[n, i])
    grad_input = (
        _partial(cost, Z[n, i])
        + diff(cost, mu) * d_mean
        + diff(cost, var) * d_variance
    )
    running_mu, running_var = _RUNNING_MEAN, _RUNNING_VARIANCE
    return BatchNorm(
        mean=mean_of_z,
        variance=variance_of_z,
        training=out(n),
        inference=g * normalised(n, running_mu, running_var) + b,
        grad_input=collect(factor_terms(_pull_constants(grad_input)), 1 / N),
        grad_gamma=_pull_constants(diff(cost, g)),
        grad_beta=_pull_constants(diff(cost, b)),
        running_mean=RUNNING_DECAY * running_mu + (1 - RUNNING_DECAY) * mu,
        running_variance=RUNNING_DECAY * running_var + (1 - RUNNING_DECAY) * var,
    )


def _partial(expr: Expr, entry: Expr) -> Expr:
    """``d expr / d entry`` with the batch statistics held fixed; the KroneckerDelta sums evaluated."""
    return drop_range_guards(diff(expr, entry).doit())


def _pull_constants(expr: Expr) -> Expr:
    """Each batch sum split term by term, factors free of the summed index taken outside.

    ``sum_m gamma*G[m, i]`` becomes ``gamma*sum_m G[m, i]`` and ``sum_m mean`` becomes ``N*mean``.
    """
    def pulled(total: Sum) -> Expr:
        (index, *_), = total.limits
        terms = Add.make_args(total.function)
        split = [term.as_independent(index, as_Add=False) for term in terms]
        return Add(*(constant * Sum(body, *total.limits).doit() for constant, body in split))
    return expr.replace(lambda e: isinstance(e, Sum), pulled)
