"""The one lowering every printer reads: assignments as an ordered list of named array operations.

``lower_statements`` turns derived assignments ``target = expr`` into
``Operation`` records: indexed expressions become array expressions
(``lowering.lower``), common subexpressions become named temporaries placed
just before the first operation that reads them, and, for printers that
compile one call per elementary operation, the functions of
``derive.core.operation_forms`` are written out.  The functional printer
(``emit``) formats each operation as one line, the in-place printer
(``inplace``) compiles each into NumPy calls writing into buffers, and
``Shapes`` gives every operation's shape to the printers that allocate.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sympy import Basic, Indexed, MatrixExpr, MatrixSymbol, Number, Piecewise, Sum, Symbol, cse

from derive.core.stable_forms import Largest, RowMax

from .inplace_forms import split_form
from .lowering import ALL_AXES, AxisMax, AxisSum, lower
from .window_step import STEPS, stored_shape

__all__ = ["Operation", "Shape", "Shapes", "lower_statements", "array_form"]

#: ``(rows, columns)``, each an int or the batch size ``N``; ``()`` for a scalar.
Shape = tuple


@dataclass(frozen=True)
class Operation:
    """``target = expr`` over named arrays; ``owned``: the target's storage exists already (a parameter).

    ``origin`` is the assignment of the derivation the operation computes, or,
    for a temporary, the first one that reads it.
    """

    target: str
    expr: Basic
    owned: bool = False
    origin: str = ""

    @property
    def reads(self) -> frozenset[str]:
        """The names of the arrays and numbers the operation reads."""
        return frozenset(s.name for s in self.expr.free_symbols if isinstance(s, (Symbol, MatrixSymbol)))

    @property
    def is_alias(self) -> bool:
        """True when the target is another name for an array that exists (``out = inp3``)."""
        return isinstance(self.expr, (Symbol, MatrixSymbol)) and not self.owned


def array_form(expr: Basic) -> Basic:
    """``expr`` over whole arrays: indexed entries, sums and row maxima lowered; a matrix expression as it is."""
    if isinstance(expr, (MatrixExpr, *STEPS)) or not expr.has(Indexed, Sum, RowMax):
        return expr
    return lower(expr)


def lower_statements(
    statements: Iterable[tuple[str, Basic, bool]], names: Iterator[Symbol], *, written_out: bool = False,
) -> list[Operation]:
    """The operations computing each ``(target, expr, owned)`` in order, repeated work named once.

    One ``cse`` runs over every elementwise statement, so a value two
    statements need (GELU's ``Phi(inp)`` forward and backward) is computed
    once, just before the first statement that reads it.  With
    ``written_out``, each elementwise operation has its ``FORMS`` functions
    written out as operations first.  Temporaries are named from ``names``.
    """
    statements = list(statements)
    elementwise = [array_form(expr) for _, expr, owned in statements if not _by_itself(expr, owned)]
    temporaries, reduced = cse(elementwise, symbols=names) if elementwise else ([], [])
    values, done, results = dict(temporaries), set(), iter(reduced)
    operations: list[Operation] = []

    def add(target: str, expr: Basic, owned: bool, origin: str) -> None:
        if written_out and not isinstance(expr, MatrixExpr):
            parts, expr = split_form(expr, names)
            operations.extend(Operation(str(name), value, False, origin) for name, value in parts)
        operations.append(Operation(target, expr, owned, origin))

    for target, expr, owned in statements:
        if _by_itself(expr, owned):
            operations.append(Operation(target, expr, owned, target))
            continue
        result = next(results)
        for name, value in _needed(result, values, temporaries, done):
            add(str(name), value, False, target)
        add(target, result, owned, target)
    return operations


def _by_itself(expr: Basic, owned: bool) -> bool:
    """A statement with no subexpression to share: an alias, a matrix expression or a window layer's step."""
    return (isinstance(expr, (Symbol, MatrixSymbol)) and not owned) or isinstance(expr, (MatrixExpr, *STEPS))


def _needed(expr: Basic, values: dict, temporaries: list, done: set) -> list:
    """The temporaries ``expr`` reads, directly or through others, not computed yet, in ``cse``'s order."""
    needed, frontier = set(), expr.free_symbols & values.keys()
    while frontier:
        needed |= frontier
        frontier = set().union(*(values[t].free_symbols for t in frontier)) & values.keys() - needed
    fresh = [(name, value) for name, value in temporaries if name in needed and name not in done]
    done.update(name for name, _ in fresh)
    return fresh


class Shapes(dict):
    """Array name -> ``Shape``; ``of`` infers an expression's shape by broadcasting its operands'."""

    def of(self, expr: Basic) -> Shape:
        if isinstance(expr, MatrixExpr):
            return tuple(expr.shape)
        if isinstance(expr, STEPS):
            return stored_shape(expr)
        if isinstance(expr, Symbol):
            return self.get(expr.name, ())
        if isinstance(expr, Number | Largest) or not expr.args:
            return ()
        if isinstance(expr, AxisSum | AxisMax):
            body, axis = expr.args
            inner = self.of(body)
            if int(axis) == ALL_AXES or inner == ():
                return ()
            return (1, inner[1]) if int(axis) == 0 else (inner[0], 1)
        shapes = [s for s in (self.of(a) for a in _operands(expr)) if s != ()]
        if not shapes:
            return ()
        rows = next((r for r, _ in shapes if r != 1), 1)
        columns = next((c for _, c in shapes if c != 1), 1)
        return (rows, columns)


def _operands(expr: Basic) -> tuple:
    """The arguments whose shapes broadcast into ``expr``'s: a Piecewise's values and conditions."""
    if isinstance(expr, Piecewise):
        return tuple(part for pair in expr.args for part in pair)
    return expr.args
