"""The in-place printer: every array of a block written into a preallocated buffer with ``out=``.

It reads the same lowered operations as the functional printer
(``operations.lower_statements``), with the functions of
``derive.core.operation_forms`` written out, and compiles each into NumPy
calls (``inplace_calls``).  ``Buffers`` records every buffer's shape and
type, so a generated module allocates them once per batch size and a
training step allocates nothing large.  Scalars (``1/N``, the cost) print as
ordinary expressions, their whole-array sums over bodies computed in scratch
buffers.
"""

from dataclasses import dataclass, field
from itertools import count

from sympy import Basic, Number, Symbol

from .buffers import Call
from .inplace_calls import ExpressionCalls, array_names, dtype_of
from .lowering import ALL_AXES, AxisSum
from .operations import Operation, Shape, Shapes, array_form, lower_statements
from .printer import to_numpy
from .window_step import STEPS, step_code, stored_shape

__all__ = ["InplaceBody"]


@dataclass
class InplaceBody(ExpressionCalls):
    """In-place calls of one block; ``shapes`` knows every array read, and learns each target."""

    numbers: count = field(default_factory=count)
    #: Shapes the derivation gives targets whose expression may fold to a number (a penalty of strength 0).
    declared: dict[str, Shape] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.shapes = Shapes(self.shapes)

    @property
    def lines(self) -> list[str]:
        """The printed calls."""
        return [call.text for call in self.calls]

    def assign(self, target: str, expr: Basic, *, owned: bool = False) -> None:
        """Compute ``expr`` into ``target``; ``owned``: the target's buffer exists already (a parameter)."""
        self.assign_all([(target, expr, owned)])

    def assign_all(self, statements: list[tuple[str, Basic, bool]]) -> None:
        """Several ``(target, expr, owned)`` in order, lowered together so they share common subexpressions.

        The calls of each array statement follow a comment that states it as
        the functional module prints it: ``# dinp2 = dh2*h2*(1 - h2)``.
        """
        originals = {target: array_form(expr) for target, expr, _ in statements}
        names, stated = (Symbol(f"_t{n}") for n in self.numbers), None
        for operation in lower_statements(statements, names, written_out=True):
            origin = operation.origin
            if origin != stated and not operation.is_alias and self.shapes.of(originals[origin]) != ():
                stating = "a window layer's derived sum" if isinstance(originals[origin], STEPS) \
                    else to_numpy(originals[origin])
                self.calls.append(Call(f"# {origin} = {stating}", comment=True))
            stated = origin
            self.compile(operation)

    def compile(self, operation: Operation) -> None:
        """The calls that leave ``operation``'s value in its target."""
        target, expr, owned = operation.target, operation.expr, operation.owned
        if isinstance(expr, STEPS):
            self._step(target, expr, owned)
            return
        if operation.is_alias:
            self.calls.append(Call(f"{target} = {expr.name}", frozenset({expr.name}), binds=target))  # no copy
            self.shapes[target] = self.shapes[expr.name]
            return
        shape = self.shapes.of(expr) if not isinstance(expr, Number) else self.declared.get(target, ())
        self.shapes[target] = shape
        if shape == ():
            reduced, reads = self._sums_in_place(expr)
            self.calls.append(Call(f"{target} = {to_numpy(reduced)}", reads | array_names(reduced)))
            return
        if not owned:
            self.buffers.named(target, shape, dtype_of(expr))
        # A statement that reads its own target (``w = w - lr*dw``) writes it only in its last operation.
        self._protected = target if target in array_names(expr) else None
        scratch: list[str] = []
        self._value(expr, target, scratch)
        self.buffers.release(scratch)

    def _step(self, target: str, expr: Basic, owned: bool) -> None:
        """A window layer's step, as the functional printer writes it: its result is a new array, not a buffer.

        Every line lists all the arrays the step reads, since its window views
        keep reading them until the step's last line.
        """
        statements, value = step_code(expr, f"_t{next(self.numbers)}_")
        reads = frozenset(expr.views) if hasattr(expr, "views") else frozenset({expr.array})
        self.calls += [Call(f"{name} = {code}", reads) for name, code in statements]
        self.shapes[target] = stored_shape(expr)
        if owned:
            self.calls.append(Call(f"np.copyto({target}, {value})", reads, target))
        else:
            self.calls.append(Call(f"{target} = {value}", reads))

    def _sums_in_place(self, expr: Basic) -> tuple[Basic, frozenset[str]]:
        """A scalar whose whole-array sums have their bodies computed in scratch buffers first."""
        scratch: list[str] = []

        def summed(total: AxisSum) -> Symbol:
            # A symbol whose name is the code of the sum: the printer writes names as they are.
            return Symbol(f"{self._value(total.args[0], None, scratch).code}.sum()")

        reduced = expr.replace(
            lambda e: isinstance(e, AxisSum) and int(e.args[1]) == ALL_AXES and self.shapes.of(e.args[0]) != (),
            summed,
        )
        self.buffers.release(scratch)
        return reduced, frozenset(scratch)

