"""The dense layer ``Z = X Wᵀ + 1 b``, differentiated with matrix calculus.

For an upstream gradient ``G = dL/dZ`` the loss near ``Z`` is ``tr(Gᵀ Z)``;
``sympy`` differentiates that with respect to ``W``, ``X`` and ``b``:
``dL/dW = Gᵀ X``, ``dL/dX = G W``, ``dL/db = 1ᵀ G``.  A bias shared by all
neurons is ``1 b 1ᵀ`` with ``b`` of shape (1, 1): the same derivation then
sums ``G`` over both axes.
"""

from dataclasses import dataclass, fields
from functools import cache

from sympy import Expr, MatrixExpr, MatrixSymbol, OneMatrix, Symbol, Trace

from derive.spec.model import BiasKind
from derive.core.symbols import N
from derive.core.shown_as_math import ShownAsMath

__all__ = ["DenseRule", "dense_rule"]


@dataclass(frozen=True, repr=False)
class DenseRule(ShownAsMath):
    """The forward expression of a dense layer and its three gradients."""

    X: MatrixSymbol
    W: MatrixSymbol
    b: MatrixSymbol | None
    G: MatrixSymbol
    forward: MatrixExpr
    grad_W: MatrixExpr
    grad_X: MatrixExpr
    grad_b: MatrixExpr | None


_IN = Symbol("n_in", integer=True, positive=True)
_OUT = Symbol("n_out", integer=True, positive=True)
_NAMES = ("X", "W", "b", "G")


def dense_rule(
    bias: BiasKind, n_in: int | Expr = _IN, n_out: int | Expr = _OUT, *, names: tuple[str, str, str, str] = _NAMES,
) -> DenseRule:
    """The layer's gradients for the given bias kind, sizes and names.

    The matrix calculus is done once per bias kind, over symbolic sizes and
    the names ``X, W, b, G``; sizes and names are then substituted.
    """
    generic = _derived(bias)
    sizes = {_IN: n_in, _OUT: n_out}
    renamed = {}
    for old, new in zip(_NAMES, names):
        for matrix in _matrices(generic, old):
            resized = matrix.xreplace(sizes)
            renamed[resized] = MatrixSymbol(new, *resized.shape)

    def substitute(expr: MatrixExpr | None) -> MatrixExpr | None:
        return None if expr is None else expr.xreplace(sizes).xreplace(renamed)

    return DenseRule(**{f.name: substitute(getattr(generic, f.name)) for f in fields(DenseRule)})


def _matrices(rule: DenseRule, name: str) -> set[MatrixSymbol]:
    """The matrix symbols called ``name`` anywhere in ``rule``."""
    return {
        matrix for f in fields(DenseRule) if getattr(rule, f.name) is not None
        for matrix in getattr(rule, f.name).atoms(MatrixSymbol) if matrix.name == name
    }


@cache
def _derived(bias: BiasKind) -> DenseRule:
    """The rule over symbolic sizes ``n_in``, ``n_out`` and the names ``X, W, b, G``."""
    n_in, n_out = _IN, _OUT
    X = MatrixSymbol("X", N, n_in)
    W = MatrixSymbol("W", n_out, n_in)
    G = MatrixSymbol("G", N, n_out)
    Z = X * W.T
    b = None
    if bias is BiasKind.PER_NEURON:
        b = MatrixSymbol("b", 1, n_out)
        Z = Z + OneMatrix(N, 1) * b
    elif bias is BiasKind.SHARED:
        b = MatrixSymbol("b", 1, 1)
        Z = Z + OneMatrix(N, 1) * b * OneMatrix(1, n_out)
    surrogate = Trace(G.T * Z)
    return DenseRule(
        X=X, W=W, b=b, G=G, forward=Z,
        grad_W=surrogate.diff(W),
        grad_X=surrogate.diff(X),
        grad_b=surrogate.diff(b) if b is not None else None,
    )
