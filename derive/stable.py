"""Numerically stable forms of expressions over logits, derived and proven.

Softmax and log-sum-exp overflow when a logit is large.  Both are unchanged
when every logit of a row is shifted by the same amount, so the toolkit
substitutes ``z = z_shifted + max_k z`` and lets SymPy cancel the maximum:
``exp`` then only ever sees values ``<= 0``, and ``log(sum(exp(z)))`` becomes
``max + log(sum(exp(z_shifted)))``.  The result is proven equal to the input.
"""

from dataclasses import dataclass

from sympy import (
    Expr, Function, Indexed, IndexedBase, Sum, exp, expand, expand_log, expand_power_exp, simplify,
)
from sympy.simplify.simplify import factor_sum

from .errors import DefinitionError
from .proof import is_zero
from .symbols import i, indexed, n

__all__ = ["RowMax", "Let", "Shifted", "shift_by_row_max"]


class RowMax(Function):
    """``RowMax(z, n)``: the largest entry of row ``n`` of the array ``z``."""

    is_real = True

    def _latex(self, printer) -> str:
        base, row = self.args
        return rf"\max_{{k}} {printer._print(base)}_{{{printer._print(row)}, k}}"


@dataclass(frozen=True)
class Let:
    """A named intermediate array: ``name[n, i] = value`` (value indexed the same way)."""

    name: IndexedBase
    value: Expr


@dataclass(frozen=True)
class Shifted:
    """An expression rewritten over shifted logits, with the binding that defines them."""

    expr: Expr
    lets: tuple[Let, ...]


def shift_by_row_max(expr: Expr, logits: IndexedBase, item: str) -> Shifted:
    """Rewrite ``expr`` over ``logits - max(logits)`` and prove it unchanged."""
    shifted = indexed(f"{logits.label}_shifted")

    def as_shifted(a: Indexed) -> Expr:
        return shifted[a.indices] + RowMax(logits, a.indices[0])

    rewritten = expr.replace(lambda a: isinstance(a, Indexed) and a.base == logits, as_shifted)
    rewritten = expand_log(rewritten, force=True)
    rewritten = rewritten.replace(
        lambda a: a.func == exp, lambda a: expand_power_exp(exp(expand(a.args[0])))
    )
    rewritten = rewritten.replace(lambda a: isinstance(a, Sum), factor_sum)
    rewritten = simplify(expand_log(rewritten, force=True))
    if rewritten.has(RowMax):
        raise DefinitionError(item, "the row maximum does not cancel: the expression is not shift-invariant")
    _prove_shift(expr, rewritten, shifted, logits, item)
    let = Let(shifted, logits[n, i] - RowMax(logits, n))
    return Shifted(rewritten, (let,) if rewritten.has(shifted) else ())


def _prove_shift(original: Expr, rewritten: Expr, shifted: IndexedBase, logits: IndexedBase, item: str) -> None:
    """Substitute the shifted logits back and check SymPy finds the original."""
    restored = rewritten.replace(
        lambda a: isinstance(a, Indexed) and a.base == shifted,
        lambda a: logits[a.indices] - RowMax(logits, a.indices[0]),
    )
    restored = restored.replace(lambda a: a.func == exp, lambda a: expand_power_exp(exp(expand(a.args[0]))))
    restored = restored.replace(lambda a: isinstance(a, Sum), factor_sum)
    difference = expand_log(restored, force=True) - expand_log(original, force=True)
    if not is_zero(difference.replace(lambda a: isinstance(a, Sum), factor_sum)):
        raise DefinitionError(item, "the shifted form is not proven equal to the definition")
