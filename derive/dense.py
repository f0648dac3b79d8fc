"""The dense layer ``Z = X Wᵀ + 1 b``, differentiated with matrix calculus.

For an upstream gradient ``G = dL/dZ`` the loss near ``Z`` is ``tr(Gᵀ Z)``;
``sympy`` differentiates that with respect to ``W``, ``X`` and ``b``:
``dL/dW = Gᵀ X``, ``dL/dX = G W``, ``dL/db = 1ᵀ G``.  A bias shared by all
neurons is ``1 b 1ᵀ`` with ``b`` of shape (1, 1): the same derivation then
sums ``G`` over both axes.
"""

from dataclasses import dataclass

from sympy import Expr, MatrixExpr, MatrixSymbol, OneMatrix, Symbol, Trace

from .spec import BiasKind
from .symbols import N

__all__ = ["DenseRule", "dense_rule"]


@dataclass(frozen=True)
class DenseRule:
    """The forward expression of a dense layer and its three gradients."""

    X: MatrixSymbol
    W: MatrixSymbol
    b: MatrixSymbol | None
    G: MatrixSymbol
    forward: MatrixExpr
    grad_W: MatrixExpr
    grad_X: MatrixExpr
    grad_b: MatrixExpr | None


def dense_rule(
    bias: BiasKind,
    n_in: int | Expr = Symbol("n_in", integer=True, positive=True),
    n_out: int | Expr = Symbol("n_out", integer=True, positive=True),
    *,
    names: tuple[str, str, str, str] = ("X", "W", "b", "G"),
) -> DenseRule:
    """Derive the layer's gradients for the given bias kind and sizes."""
    x_name, w_name, b_name, g_name = names
    X = MatrixSymbol(x_name, N, n_in)
    W = MatrixSymbol(w_name, n_out, n_in)
    G = MatrixSymbol(g_name, N, n_out)
    Z = X * W.T
    b = None
    if bias is BiasKind.PER_NEURON:
        b = MatrixSymbol(b_name, 1, n_out)
        Z = Z + OneMatrix(N, 1) * b
    elif bias is BiasKind.SHARED:
        b = MatrixSymbol(b_name, 1, 1)
        Z = Z + OneMatrix(N, 1) * b * OneMatrix(1, n_out)
    surrogate = Trace(G.T * Z)
    return DenseRule(
        X=X, W=W, b=b, G=G, forward=Z,
        grad_W=surrogate.diff(W),
        grad_X=surrogate.diff(X),
        grad_b=surrogate.diff(b) if b is not None else None,
    )
