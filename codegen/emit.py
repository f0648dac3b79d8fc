"""The functional printer: each lowered operation as one NumPy statement.

A ``Body`` collects the statements of one block of a generated function.
Each expression goes through the one lowering (``operations.lower_statements``:
indexed -> array, common subexpressions as temporaries ``_t0, _t1, ...``
numbered across the function), and each operation prints as ``target = code``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count

from sympy import Expr, Number, Symbol

from derive.core.stable_forms import Let

from .operations import lower_statements
from .printer import to_numpy
from .window_step import STEPS, step_code

__all__ = ["Statement", "Body"]


@dataclass(frozen=True)
class Statement:
    """``target = code``, one line of a generated function."""

    target: str
    code: str


@dataclass
class Body:
    """The statements of one block; ``branch`` starts a block that follows this one."""

    statements: list[Statement] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    numbers: count = field(default_factory=count)

    def branch(self) -> "Body":
        """A new block that sees this block's names and shares its temporary numbering."""
        return Body(known=set(self.known), numbers=self.numbers)

    def add(self, target: str, code: str) -> None:
        self.statements.append(Statement(target, code))
        self.known.add(target)

    def assign(self, target: str, expr: Expr, lets: Iterable[Let] = (), like: str | tuple | None = None) -> None:
        """Append statements that compute ``expr`` into ``target``."""
        self.add(target, self.code(expr, lets, like))

    def code(self, expr: Expr, lets: Iterable[Let] = (), like: str | tuple | None = None) -> str:
        """Source for ``expr``, appending the bindings and temporaries it needs first.

        ``like`` gives a constant its shape: the name of an array of that shape
        and type, or the shape itself (``()``: a Python float).
        """
        for let in lets:
            if str(let.name.label) not in self.known:
                self.add(str(let.name.label), self.code(let.value))
        if isinstance(expr, STEPS):
            statements, value = step_code(expr, f"_t{next(self.numbers)}_")
            for target, code in statements:
                self.add(target, code)
            return value
        *temporaries, operation = lower_statements([("", expr, False)], (Symbol(f"_t{n}") for n in self.numbers))
        if isinstance(operation.expr, Number):
            if like is None:
                raise ValueError(f"the constant {operation.expr} needs an array to take its shape from")
            return _constant_like(operation.expr, like)
        for temporary in temporaries:
            self.add(temporary.target, to_numpy(temporary.expr))
        return to_numpy(operation.expr)


def _constant_like(value: Number, like: str | tuple) -> str:
    """An array of ``like``'s shape and dtype (or of the shape ``like``) filled with ``value``; ``()``: a float."""
    if like == ():
        return repr(float(value))
    if isinstance(like, tuple):
        return f"np.full({like}, {repr(float(value))})"
    if value == 0:
        return f"np.zeros_like({like})"
    if value == 1:
        return f"np.ones_like({like})"
    return f"np.full_like({like}, {to_numpy(value)})"
