"""Plan the compiled step: the lowered operations as BLAS products, scalar lines and fused loops.

The compiled target reads the same lowering as the NumPy printers
(``operations.lower_statements``, functions of ``FORMS`` written out).  Each
operation becomes one of:

* ``Dot``: a product of two matrices, ``np.dot(a, b, out)`` into its target (BLAS);
  the rest of a matrix sum (``+ b1``, a penalty's ``+ dpenalty1``) becomes an
  elementwise operation reading the product's result;
* ``Scalar``: a number (``1/N``, the cost), one line;
* ``Item``: one entry of an elementwise operation, or a reduction of one
  (``rowsum``/``rowmax`` along a row, ``colsum`` down the rows, ``allsum``);
  nested reductions are taken out first as their own items.

Consecutive items over the same rows join one ``Kernel`` (one pass over the
rows, ``prange``), and inside it consecutive items over the same columns one
inner loop, until an item reads a value not complete yet: a row reduction of
the same loop, or a reduction down the rows of the same kernel.
"""

from dataclasses import dataclass, field
from itertools import count

from sympy import Add, Basic, Integer, MatAdd, MatMul, MatrixExpr, MatrixSymbol, S, Symbol, Transpose
from sympy.core.traversal import preorder_traversal

from .lowering import ALL_AXES, AxisMax, AxisSum, product_parts
from .operations import Operation, Shapes, array_form, lower_statements
from .printer import PrintError

__all__ = ["Dot", "Scalar", "Item", "Kernel", "StepPlan"]

ACROSS_ROWS = ("colsum", "allsum")


@dataclass(frozen=True)
class Dot:
    """``target = left @ right`` through BLAS, ``left``/``right`` as code (``w1.T``)."""

    target: str
    left: str
    right: str
    origin: str


@dataclass(frozen=True)
class Scalar:
    """``target = expr``, a number."""

    target: str
    expr: Basic
    origin: str


@dataclass(frozen=True)
class Item:
    """One entry of ``expr`` (map) or of a reduction's body, in a loop over ``rows`` x ``columns``."""

    target: str
    expr: Basic
    kind: str  # "map", "rowsum", "rowmax", "colsum" or "allsum"
    rows: object
    columns: object
    origin: str

    @property
    def reads(self) -> set[str]:
        return {s.name for s in self.expr.free_symbols if isinstance(s, Symbol)}


@dataclass
class Kernel:
    """Items over the same rows, run in one pass; ``loops``: consecutive items over the same columns."""

    rows: object
    loops: list[list[Item]] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for loop in self.loops for item in loop]

    @property
    def across_rows(self) -> bool:
        return any(item.kind in ACROSS_ROWS for item in self.items)


@dataclass
class StepPlan:
    """The planned steps of a training step's blocks; ``shapes`` and ``owned`` know every array."""

    shapes: Shapes
    owned: set[str]
    declared: dict
    aliases: dict[str, str] = field(default_factory=dict)
    originals: dict[str, Basic] = field(default_factory=dict)
    numbers: count = field(default_factory=count)

    def resolve(self, name: str) -> str:
        """The array ``name`` is another name for (``out`` is ``inp3``), else ``name``."""
        while name in self.aliases:
            name = self.aliases[name]
        return name

    def block(self, statements: list[tuple[str, Basic, bool]]) -> list:
        """The steps of ``statements``, lowered together so they share common subexpressions."""
        self.originals.update({target: array_form(expr) for target, expr, _ in statements})
        names = (Symbol(f"_t{n}") for n in self.numbers)
        sequence: list = []
        for operation in lower_statements(statements, names, written_out=True):
            self._operation(operation, sequence)
        return _kernels(sequence, self.resolve)

    def _operation(self, operation: Operation, sequence: list) -> None:
        target, expr, origin = operation.target, operation.expr, operation.origin
        if operation.is_alias:
            self.aliases[target] = self.resolve(expr.name)
            self.shapes[target] = self.shapes[self.aliases[target]]
            return
        if isinstance(expr, MatrixExpr):
            self.shapes.setdefault(target, tuple(expr.shape))
            expr = self._products(target, expr, origin, sequence)
            if expr is None:
                return
        self._elementwise(target, expr, origin, sequence)

    def _products(self, target: str, expr: MatrixExpr, origin: str, sequence: list) -> Basic | None:
        """Each product of two matrices as a ``Dot``; the rest of the sum as an elementwise expression, or None."""
        terms, rest, written = (expr.args if isinstance(expr, MatAdd) else (expr,)), [], False
        for term in terms:
            coefficient, matrices, axes = product_parts(term) if isinstance(term, MatMul) else (S.One, [term], ())
            if len(matrices) == 2 and not axes:
                dest = target if not written else f"_d{next(self.numbers)}"
                if dest != target:
                    self.shapes[dest] = tuple(term.shape)
                sequence.append(Dot(dest, self._matrix_code(matrices[0]), self._matrix_code(matrices[1]), origin))
                rest.append(coefficient * Symbol(dest, real=True))
                written = True
            elif len(matrices) == 1 and isinstance(matrices[0], MatrixSymbol):
                value = Symbol(matrices[0].name, real=True)
                if axes:
                    value = AxisSum(value, Integer(ALL_AXES if len(axes) == 2 else axes[0]))
                rest.append(coefficient * value)
            else:
                raise PrintError(f"{term}: a matrix term the compiled target cannot print")
        value = Add(*rest)
        return None if value == Symbol(target, real=True) else value

    def _matrix_code(self, matrix: MatrixExpr) -> str:
        if isinstance(matrix, Transpose) and isinstance(matrix.arg, MatrixSymbol):
            return f"{self.resolve(matrix.arg.name)}.T"
        if isinstance(matrix, MatrixSymbol):
            return self.resolve(matrix.name)
        raise PrintError(f"{matrix}: a product operand the compiled target cannot print")

    def _elementwise(self, target: str, expr: Basic, origin: str, sequence: list) -> None:
        """Nested reductions as their own items first, then ``target``'s item, or its line for a number."""
        while True:
            inner = next((e for e in preorder_traversal(expr) if isinstance(e, AxisSum | AxisMax)
                          and e is not expr and not e.args[0].has(AxisSum, AxisMax)), None)
            if inner is None:
                break
            name = f"_r{next(self.numbers)}"
            self._reduction(name, inner, origin, sequence)
            expr = expr.xreplace({inner: Symbol(name, real=True)})
        if isinstance(expr, AxisSum | AxisMax):
            self._reduction(target, expr, origin, sequence)
            return
        shape = self.declared.get(target) or self.shapes.get(target) or self.shapes.of(expr)
        self.shapes[target] = shape
        if shape == ():
            sequence.append(Scalar(target, expr, origin))
        else:
            sequence.append(Item(target, expr, "map", shape[0], shape[1], origin))

    def _reduction(self, target: str, expr: Basic, origin: str, sequence: list) -> None:
        body, axis = expr.args[0], int(expr.args[1])
        rows, columns = self.shapes.of(body) or (1, 1)
        if isinstance(expr, AxisMax):
            if axis != 1:
                raise PrintError(f"{expr}: only row maxima are supported by the compiled target")
            kind, shape = "rowmax", (rows, 1)
        else:
            kind, shape = {1: ("rowsum", (rows, 1)), 0: ("colsum", (1, columns))}.get(axis, ("allsum", ()))
        self.shapes[target] = self.declared.get(target) or self.shapes.get(target) or shape
        sequence.append(Item(target, body, kind, rows, columns, origin))


def _kernels(sequence: list, resolve) -> list:
    """``sequence`` with items joined into kernels and inner loops; numbers moved before a kernel.

    An item joins the last kernel over its rows even past products, numbers and other kernels
    printed after it, when none of them reads or writes what the item reads or
    writes: a bias gradient joins the pass computing the layer's gradient,
    ahead of the weight gradient's product.
    """
    steps: list = []
    for entry in sequence:
        if isinstance(entry, Scalar):
            _hoist(steps, entry, {resolve(n) for n in _names(entry.expr)})
            continue
        if not isinstance(entry, Item):
            steps.append(entry)
            continue
        reads = {resolve(n) for n in entry.reads}
        kernel = next((s for s in reversed(steps) if isinstance(s, Kernel) and s.rows == entry.rows), None)
        if kernel is None or not _joins(kernel, entry, reads) or not _free(steps, kernel, entry, reads, resolve):
            kernel = Kernel(entry.rows)
            steps.append(kernel)
        _place(kernel, entry, reads)
    return steps


def _free(steps: list, kernel: Kernel, item: Item, reads: set[str], resolve) -> bool:
    """True when no step after ``kernel`` writes what ``item`` reads, or reads or writes its target."""
    for step in steps[steps.index(kernel) + 1:]:
        written = {step.target} if not isinstance(step, Kernel) else {i.target for i in step.items}
        read = {resolve(name) for name in _step_reads(step)}
        if reads & written or item.target in written | read:
            return False
    return True


def _step_reads(step) -> set[str]:
    if isinstance(step, Dot):
        return {step.left.removesuffix(".T"), step.right.removesuffix(".T")}
    if isinstance(step, Scalar):
        return _names(step.expr)
    return set().union(*(item.reads for item in step.items))


def _hoist(steps: list, scalar: Scalar, reads: set[str]) -> None:
    """``scalar`` placed before the kernels at the end of ``steps`` that compute nothing it reads.

    Kernels printed after it can then take the items that read it.
    """
    position = len(steps)
    while position and isinstance(steps[position - 1], Kernel):
        if reads & {item.target for item in steps[position - 1].items}:
            break
        position -= 1
    steps.insert(position, scalar)


def _names(expr: Basic) -> set[str]:
    return {s.name for s in expr.free_symbols if isinstance(s, Symbol)}


def _joins(kernel: Kernel, item: Item, reads: set[str]) -> bool:
    """An item joins a kernel over its rows unless it reads a reduction down the kernel's rows."""
    across = {i.target for i in kernel.items if i.kind in ACROSS_ROWS}
    return item.rows == kernel.rows and not reads & across


def _place(kernel: Kernel, item: Item, reads: set[str]) -> None:
    """``item`` in the kernel's last inner loop when over the same columns and reading no row total of it."""
    loop = kernel.loops[-1] if kernel.loops else None
    totals = {i.target for i in loop or [] if i.kind in ("rowsum", "rowmax")}
    if loop is not None and loop[0].columns == item.columns and not reads & totals:
        loop.append(item)
    else:
        kernel.loops.append([item])
