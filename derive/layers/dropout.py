"""Inverted dropout: each unit is kept with probability ``1 - p`` and scaled by ``1/(1 - p)``.

In training, ``mask = 1/(1 - p)`` where a uniform draw ``u`` on [0, 1) is at
least ``p``, else 0, and the layer passes on ``h * mask``; the scaling keeps
the expected output equal to ``h``, so inference passes ``h`` unchanged.
The gradient is derived: ``d(h * mask)/dh = mask``.
"""

from dataclasses import dataclass

from sympy import Expr, Function, Piecewise, Symbol, diff, sympify

__all__ = ["Dropout", "UniformDraw", "dropout"]


class UniformDraw(Function):
    """Independent draws on [0, 1), one per entry of the array given: ``rng.random(h.shape)``."""


@dataclass(frozen=True)
class Dropout:
    """The draws, the mask, the kept output and the gradient step of one dropout layer."""

    draws: Expr
    mask: Expr
    output: Expr
    grad_input: Expr


def dropout(p: float | Expr, kept: str, *, draws: str, mask: str, upstream: str) -> Dropout:
    """Dropout with probability ``p`` (a number, or a symbol for the documents) of the array ``kept``.

    The other arguments name its draws, its mask and its upstream gradient.
    """
    h, u, keep, p = Symbol(kept, real=True), Symbol(draws, real=True), Symbol(mask, real=True), sympify(p)
    output = h * keep
    return Dropout(
        draws=UniformDraw(h),
        mask=Piecewise((1 / (1 - p), u >= p), (0, True)),
        output=output,
        grad_input=diff(output, h) * Symbol(upstream, real=True),
    )
