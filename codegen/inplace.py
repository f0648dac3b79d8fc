"""Print assignments as in-place NumPy: every array written into a preallocated buffer with ``out=``.

The expressions are those ``emit.Body`` prints (lowered, split by ``cse``),
compiled into one NumPy call per operation instead of one expression per
line: ``dinp2 = dh2*h2*(1 - h2)`` becomes ``np.subtract(1, h2, out=dinp2)``,
``np.multiply(dinp2, h2, out=dinp2)``, ``np.multiply(dinp2, dh2, out=dinp2)``.
An operation writes into its target's buffer when it can, else into a
scratch buffer of its shape, reused once the statement is done.  ``Buffers``
records every buffer's shape and type, so a generated module allocates them
once per batch size and a training step allocates nothing large.
Functions with no NumPy call taking ``out=`` are written out first as
operations (``derive.core.operation_forms``).
Scalars (``1/N``, the cost) print as ordinary expressions, their whole-array
sums over bodies computed in scratch buffers.  Reductions print as array
methods (``g.sum(axis=0, keepdims=True, out=db1)``) and products as
``np.dot``: for small arrays a call's overhead is most of its time.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

from sympy import (
    Abs, Add, Basic, Indexed, MatAdd, MatMul, MatrixExpr, MatrixSymbol, Max, Min, Mul, Number,
    OneMatrix, Piecewise, Pow, Rational, S, Sum, Symbol, Transpose, cse, exp, floor, log, sign, tanh,
)
from sympy.codegen.cfunctions import expm1, log1p
from sympy.codegen.numpy_nodes import logaddexp
from sympy.core.relational import Relational

from derive.layers.dropout import UniformDraw
from derive.core.functions import ScaledDifference
from derive.core.stable_forms import Clamp, Largest, RowMax

from .inplace_forms import split_form
from .lowering import ALL_AXES, AxisMax, AxisSum, lower
from .printer import to_numpy

__all__ = ["Buffers", "InplaceBody", "Shape"]

#: ``(rows, columns)``, each an int or the batch size ``N``; ``()`` for a scalar.
Shape = tuple

_UNARY: dict[type, str] = {
    exp: "np.exp", log: "np.log", tanh: "np.tanh", Abs: "np.abs", sign: "np.sign", expm1: "np.expm1",
    log1p: "np.log1p", floor: "np.floor",
}
_BINARY: dict[type, str] = {Max: "np.maximum", Min: "np.minimum", logaddexp: "np.logaddexp"}
_COMPARISONS = {">": "np.greater", ">=": "np.greater_equal", "<": "np.less", "<=": "np.less_equal",
                "==": "np.equal", "!=": "np.not_equal"}


@dataclass
class Buffers:
    """Every buffer a block of in-place code writes: name -> (shape, dtype), in order of first use."""

    shapes: dict[str, tuple[Shape, str]] = field(default_factory=dict)
    _free: dict[tuple[Shape, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    _numbers: count = field(default_factory=count)

    def named(self, name: str, shape: Shape, dtype: str = "float64") -> str:
        self.shapes[name] = (shape, dtype)
        return name

    def scratch(self, shape: Shape, dtype: str = "float64") -> str:
        """A scratch buffer of ``shape`` not in use: a freed one, else a new ``_sK``."""
        free = self._free[(shape, dtype)]
        if free:
            return free.pop()
        return self.named(f"_s{next(self._numbers)}", shape, dtype)

    def release(self, names: list[str]) -> None:
        for name in names:
            self._free[self.shapes[name]].append(name)

    def storage(self, lines: list[str]) -> dict[str, str]:
        """Which buffer holds each one once ``lines`` have run: a buffer takes over one whose work is done.

        A buffer whose first use comes after another's last, with the same
        shape and type, shares its memory; so may one written by the
        elementwise line that last reads the other (NumPy computes such a
        line in place), but not by ``np.dot``, whose output may not overlap
        its inputs.  Names bound to the same array (``out = inp3``) count as one;
        the result maps every buffer's name to the name of the memory it uses.
        """
        same = {}
        for line in lines:
            alias = re.fullmatch(r"(\w+) = (\w+)", line)
            if alias:
                same[alias.group(1)] = same.get(alias.group(2), alias.group(2))
        uses: dict[str, list[int]] = defaultdict(list)
        for index, line in enumerate(lines):
            for word in dict.fromkeys(re.findall(r"[A-Za-z_]\w*", line)):
                name = same.get(word, word)
                if name in self.shapes:
                    uses[name].append(index)
        holder: dict[str, str] = {}
        free: dict[tuple[Shape, str], list[tuple[int, str]]] = defaultdict(list)
        for name in sorted(uses, key=lambda n: (uses[n][0], n)):
            first, pool = uses[name][0], free[self.shapes[name]]
            shareable = [
                (last, memory) for last, memory in pool
                if last < first or (last == first and not lines[first].startswith("np.dot("))
            ]
            memory = max(shareable)[1] if shareable else name
            if shareable:
                pool.remove(max(shareable))
            holder[name] = memory
            pool.append((uses[name][-1], memory))
        return holder


@dataclass
class InplaceBody:
    """In-place statements of one block; ``shapes`` knows every array read, and learns each target."""

    shapes: dict[str, Shape]
    buffers: Buffers
    lines: list[str] = field(default_factory=list)
    numbers: count = field(default_factory=count)
    #: Shapes the derivation gives targets whose expression may fold to a number (a penalty of strength 0).
    declared: dict[str, Shape] = field(default_factory=dict)
    _protected: str | None = None

    def assign(self, target: str, expr: Basic, *, owned: bool = False) -> None:
        """Compute ``expr`` into ``target``; ``owned``: the target's buffer exists already (a parameter)."""
        self.assign_all([(target, expr, owned)])

    def assign_all(self, statements: list[tuple[str, Basic, bool]]) -> None:
        """Several ``(target, expr, owned)`` in order; the elementwise ones share common subexpressions.

        One ``cse`` runs over every elementwise statement, so a value the
        forward pass and the backward pass both need (GELU's ``Phi(inp)``) is
        computed once; each shared temporary is computed just before the first
        statement that needs it, when every array it reads exists.
        """
        elementwise = [
            lower(expr) if expr.has(Indexed, Sum, RowMax) else expr
            for _, expr, owned in statements if not _is_matrix(expr, owned)
        ]
        temporaries, reduced = cse(elementwise, symbols=(Symbol(f"_t{n}") for n in self.numbers))
        values, done = dict(temporaries), set()
        results = iter(reduced)
        for target, expr, owned in statements:
            if isinstance(expr, (Symbol, MatrixSymbol)) and not owned:
                self.lines.append(f"{target} = {expr.name}")  # the same array: no copy
                self.shapes[target] = self.shapes[expr.name]
            elif isinstance(expr, MatrixExpr):
                self._statement(target, expr, owned=owned)
            else:
                result = next(results)
                for name, value in _needed(result, values, temporaries, done):
                    self._expanded(str(name), value, owned=False)
                self._expanded(target, result, owned=owned)

    def _expanded(self, target: str, expr: Basic, *, owned: bool) -> None:
        """One elementwise statement, its ``FORMS`` functions written out, their repeated parts computed once."""
        temporaries, reduced = split_form(expr, (Symbol(f"_t{n}") for n in self.numbers))
        for name, value in temporaries:
            self._statement(str(name), value, owned=False)
        self._statement(target, reduced, owned=owned)

    def _statement(self, target: str, expr: Basic, *, owned: bool) -> None:
        shape = self._shape(expr) if not isinstance(expr, Number) else self.declared.get(target, ())
        self.shapes[target] = shape
        if shape == ():
            self.lines.append(f"{target} = {to_numpy(self._sums_in_place(expr))}")
            return
        if not owned:
            self.buffers.named(target, shape, _dtype(expr))
        # A statement that reads its own target (``w = w - lr*dw``) writes it only in its last operation.
        self._protected = target if target in _names(expr) else None
        scratch: list[str] = []
        self._value(expr, target, scratch)
        self.buffers.release(scratch)

    def _sums_in_place(self, expr: Basic) -> Basic:
        """A scalar whose whole-array sums have their bodies computed in scratch buffers first."""
        scratch: list[str] = []

        def summed(total: AxisSum) -> Symbol:
            # A symbol whose name is the code of the sum: the printer writes names as they are.
            return Symbol(f"{self._value(total.args[0], None, scratch)}.sum()")

        reduced = expr.replace(
            lambda e: isinstance(e, AxisSum) and int(e.args[1]) == ALL_AXES and self._shape(e.args[0]) != (),
            summed,
        )
        self.buffers.release(scratch)
        return reduced

    # -- shapes -----------------------------------------------------------------

    def _shape(self, expr: Basic) -> Shape:
        if isinstance(expr, MatrixExpr):
            return tuple(expr.shape)
        if isinstance(expr, Symbol):
            return self.shapes.get(expr.name, ())
        if isinstance(expr, Number | Largest) or not expr.args:
            return ()
        if isinstance(expr, AxisSum | AxisMax):
            body, axis = expr.args
            inner = self._shape(body)
            if int(axis) == ALL_AXES or inner == ():
                return ()
            return (1, inner[1]) if int(axis) == 0 else (inner[0], 1)
        shapes = [s for s in (self._shape(a) for a in _operands(expr)) if s != ()]
        if not shapes:
            return ()
        rows = next((r for r, _ in shapes if r != 1), 1)
        columns = next((c for _, c in shapes if c != 1), 1)
        return (rows, columns)

    def _shape_of_buffer(self, name: str) -> Shape:
        return self.shapes[name] if name in self.shapes else self.buffers.shapes[name][0]

    def _dtype_of_buffer(self, name: str) -> str:
        return self.buffers.shapes[name][1] if name in self.buffers.shapes else "float64"

    # -- values -----------------------------------------------------------------

    def _value(self, expr: Basic, dest: str | None, scratch: list[str]) -> str:
        """Source naming ``expr``'s value; an operation is computed into ``dest``, else into a scratch buffer."""
        if self._shape(expr) == ():
            if dest is None:
                return to_numpy(expr)
            self.lines.append(f"np.copyto({dest}, {to_numpy(expr)})")
            return dest
        if isinstance(expr, (Symbol, MatrixSymbol)):
            if dest is not None and dest != expr.name:
                self.lines.append(f"np.copyto({dest}, {expr.name})")
                return dest
            return expr.name
        if isinstance(expr, Transpose) and isinstance(expr.arg, MatrixSymbol):
            return f"{expr.arg.name}.T"
        if _is_indicator(expr):
            # [condition] as a boolean array: multiplying by it keeps the other factor's dtype.
            condition = expr.args[0].cond if expr.args[0].expr == 1 else ~expr.args[0].cond
            return self._value(condition, dest, scratch)
        out = dest
        if out is None:
            out = self.buffers.scratch(self._shape(expr), _dtype(expr))
            scratch.append(out)
        self._emit(expr, out, scratch)
        return out

    def _emit(self, expr: Basic, out: str, scratch: list[str]) -> None:
        """The NumPy calls that leave ``expr``'s value in ``out``."""
        if isinstance(expr, MatAdd):
            self._matadd(expr, out, scratch)
        elif isinstance(expr, MatMul):
            self._matmul(expr, out, scratch)
        elif isinstance(expr, Add):
            self._add(expr, out, scratch)
        elif isinstance(expr, Mul):
            self._mul(expr, out, scratch)
        elif isinstance(expr, Pow):
            self._pow(expr, out, scratch)
        elif isinstance(expr, Relational):
            self._fold([(_COMPARISONS[expr.rel_op], a) for a in expr.args], out, scratch)
        elif isinstance(expr, Piecewise):
            self._piecewise(expr, out, scratch)
        elif type(expr) in _UNARY:
            self._fold([(_UNARY[type(expr)], expr.args[0])], out, scratch)
        elif type(expr) in _BINARY:
            self._fold([(_BINARY[type(expr)], a) for a in _numbers_last(expr.args)], out, scratch)
        elif isinstance(expr, AxisSum | AxisMax):
            body, axis = expr.args
            method = "sum" if isinstance(expr, AxisSum) else "max"
            self.lines.append(f"{self._value(body, None, scratch)}.{method}(axis={int(axis)}, keepdims=True, out={out})")
        elif isinstance(expr, Clamp):
            value, bound = expr.args
            self.lines.append(
                f"np.clip({self._value(value, None, scratch)}, -{to_numpy(bound)}, {to_numpy(bound)}, out={out})"
            )
        elif isinstance(expr, ScaledDifference):
            # (a - b)/k as (a/2 - b/2)/(k/2), as codegen.printer prints it: the halves cannot overflow.
            a, b, k = expr.args
            self._fold([("", a / 2), ("np.subtract", b / 2)], out, scratch)
            if k / 2 != 1:
                self.lines.append(f"np.divide({out}, {to_numpy(k / 2)}, out={out})")
        elif isinstance(expr, UniformDraw):
            self.lines.append(f"rng.random(out={out})")
        else:
            # A function with no in-place call and no entry in derive.core.operation_forms.FORMS: computed whole, copied in.
            # It allocates an array of its size; tests/test_step_allocation.py keeps the catalogue free of it.
            self.lines.append(f"np.copyto({out}, {to_numpy(expr)})")

    def _fold(self, steps: list[tuple[str, Basic]], out: str, scratch: list[str]) -> None:
        """``out = f1(v0, v1)``, then ``out = fk(out, vk)``: every operand computed before ``out`` is written.

        A one-step fold applies its function to the single operand.  The first
        operand may be computed in ``out`` itself unless the statement reads it.
        """
        values = []
        for index, (_, term) in enumerate(steps):
            reuse = (
                index == 0 and out != self._protected and _is_operation(term)
                and self._shape(term) == self._shape_of_buffer(out) and _dtype(term) == self._dtype_of_buffer(out)
            )
            values.append(self._value(term, out if reuse else None, scratch))
        if len(steps) == 1:
            self.lines.append(f"{steps[0][0]}({values[0]}, out={out})")  # in place when computed in out
            return
        self.lines.append(f"{steps[1][0]}({values[0]}, {values[1]}, out={out})")
        for (function, _), value in zip(steps[2:], values[2:]):
            self.lines.append(f"{function}({out}, {value}, out={out})")

    def _add(self, expr: Add, out: str, scratch: list[str]) -> None:
        """Terms added, arrays before scalars, the target first when the statement reads it; negatives subtracted."""
        negative = [t for t in expr.args if t.could_extract_minus_sign()]
        positive = sorted((t for t in expr.args if t not in negative), key=self._order)
        if not positive:
            positive, negative = [negative[0]], negative[1:]
        steps = [("", positive[0])] + [("np.add", t) for t in positive[1:]] + [("np.subtract", -t) for t in negative]
        self._fold_or_copy(steps, out, scratch)

    def _mul(self, expr: Mul, out: str, scratch: list[str]) -> None:
        """Array factors multiplied (the target first when read), those with a negative power divided by,
        and every scalar factor (``learning_rate/N``) applied once, at the end."""
        scalar = Mul(*(f for f in expr.args if self._shape(f) == ()))
        arrays = [f for f in expr.args if self._shape(f) != ()]
        denominator = [1 / f for f in arrays if isinstance(f, Pow) and f.exp.is_negative]
        numerator = sorted((f for f in arrays if not (isinstance(f, Pow) and f.exp.is_negative)), key=self._order)
        if scalar == S.NegativeOne and len(arrays) == 1:
            self._fold([("np.negative", arrays[0])], out, scratch)
            return
        if not numerator:
            numerator, scalar = [scalar], S.One
        steps = [("", numerator[0])] + [("np.multiply", f) for f in numerator[1:]]
        steps += [("np.divide", f) for f in denominator]
        self._fold_or_copy(steps + ([("np.multiply", scalar)] if scalar != 1 else []), out, scratch)

    def _fold_or_copy(self, steps: list[tuple[str, Basic]], out: str, scratch: list[str]) -> None:
        if len(steps) == 1:
            self._value(steps[0][1], out, scratch)
        else:
            self._fold(steps, out, scratch)

    def _order(self, term: Basic) -> tuple[bool, bool]:
        """Sort key: the protected target first, then arrays, then scalars."""
        return (not (isinstance(term, Symbol) and term.name == self._protected), self._shape(term) == ())

    def _pow(self, expr: Pow, out: str, scratch: list[str]) -> None:
        base, power = expr.args
        if power == 2:
            self._fold([("np.square", base)], out, scratch)
        elif power == Rational(1, 2):
            self._fold([("np.sqrt", base)], out, scratch)
        elif power.is_negative:
            self._fold([("", S.One), ("np.divide", base ** -power)], out, scratch)
        else:
            self._fold([("", base), ("np.power", power)], out, scratch)

    def _piecewise(self, expr: Piecewise, out: str, scratch: list[str]) -> None:
        """The last branch computed into ``out``, then each earlier one, last first, copied in where it holds.

        Each branch is computed just before it is copied, so its buffers are
        free for the next; only when the statement reads ``out`` itself are
        all branches computed before ``out`` is written.
        """
        *branches, (default, _) = expr.args
        if out == self._protected:
            values = [(self._value(v, None, scratch), self._value(c, None, scratch)) for v, c in branches]
            self._value(default, out, scratch)
            for value, where in reversed(values):
                self.lines.append(f"np.copyto({out}, {value}, where={where})")
            return
        self._value(default, out, scratch)
        for value, condition in reversed(branches):
            where = self._value(condition, None, scratch)
            self.lines.append(f"np.copyto({out}, {self._value(value, None, scratch)}, where={where})")

    def _matmul(self, expr: MatMul, out: str, scratch: list[str]) -> None:
        """A product (``np.dot``, which has less overhead than ``@``), or a sum where a ``OneMatrix`` multiplies."""
        coefficient, matrices = expr.as_coeff_matrices()
        matrices = list(matrices)
        axes = []
        if matrices and isinstance(matrices[0], OneMatrix) and matrices.pop(0).shape[1] != 1:
            axes.append(0)
        if matrices and isinstance(matrices[-1], OneMatrix) and matrices.pop().shape[0] != 1:
            axes.append(1)
        operands = [self._value(m, None, scratch) for m in matrices]
        if axes:
            (operand,) = operands
            axis = "" if len(axes) == 2 else f"axis={axes[0]}, "
            self.lines.append(f"{operand}.sum({axis}keepdims=True, out={out})")
        elif len(operands) == 1:
            self.lines.append(f"np.multiply({operands[0]}, {to_numpy(coefficient)}, out={out})")
            return
        else:
            self.lines.append(f"np.dot({', '.join(operands)}, out={out})")
        if coefficient != 1:
            self.lines.append(f"np.multiply({out}, {to_numpy(coefficient)}, out={out})")

    def _matadd(self, expr: MatAdd, out: str, scratch: list[str]) -> None:
        """Products (or the target itself) first, into ``out``; then each other term added or subtracted."""
        def negative(term: MatrixExpr) -> bool:
            return isinstance(term, MatMul) and term.as_coeff_matrices()[0].could_extract_minus_sign()

        terms = sorted(expr.args, key=lambda t: (
            not (isinstance(t, MatrixSymbol) and t.name == self._protected), negative(t), not _is_product(t), str(t),
        ))
        steps = [("", terms[0])]
        steps += [("np.subtract", -t) if negative(t) else ("np.add", _broadcast(t)) for t in terms[1:]]
        self._fold(steps, out, scratch)


def _is_matrix(expr: Basic, owned: bool) -> bool:
    """A statement ``assign_all`` prints by itself: an alias of another array, or a matrix expression."""
    return (isinstance(expr, (Symbol, MatrixSymbol)) and not owned) or isinstance(expr, MatrixExpr)


def _needed(expr: Basic, values: dict, temporaries: list, done: set) -> list:
    """The temporaries ``expr`` reads, directly or through others, not computed yet, in ``cse``'s order."""
    needed, frontier = set(), expr.free_symbols & values.keys()
    while frontier:
        needed |= frontier
        frontier = set().union(*(values[t].free_symbols for t in frontier)) & values.keys() - needed
    fresh = [(name, value) for name, value in temporaries if name in needed and name not in done]
    done.update(name for name, _ in fresh)
    return fresh


def _operands(expr: Basic) -> tuple:
    """The arguments whose shapes broadcast into ``expr``'s: a Piecewise's values and conditions."""
    if isinstance(expr, Piecewise):
        return tuple(part for pair in expr.args for part in pair)
    return expr.args


def _is_operation(expr: Basic) -> bool:
    return not isinstance(expr, (Symbol, MatrixSymbol, Number, Transpose))


def _dtype(expr: Basic) -> str:
    """The type of the array an expression gives: boolean for a comparison, else float64."""
    return "bool" if isinstance(expr, Relational) else "float64"


def _is_indicator(expr: Basic) -> bool:
    """``Piecewise((1, c), (0, True))`` or ``Piecewise((0, c), (1, True))``."""
    return isinstance(expr, Piecewise) and len(expr.args) == 2 and {expr.args[0].expr, expr.args[1].expr} == {
        S.Zero, S.One,
    }


def _names(expr: Basic) -> set[str]:
    return {s.name for s in expr.free_symbols if isinstance(s, (Symbol, MatrixSymbol))}


def _is_product(term: MatrixExpr) -> bool:
    if not isinstance(term, MatMul):
        return False
    return len([m for m in term.as_coeff_matrices()[1] if not isinstance(m, OneMatrix)]) > 1


def _broadcast(term: MatrixExpr) -> MatrixExpr:
    """A bias term ``1 b`` (or ``1 b 1ᵀ``) as ``b`` itself: NumPy broadcasts it."""
    if isinstance(term, MatMul):
        coefficient, matrices = term.as_coeff_matrices()
        kept = [m for m in matrices if not isinstance(m, OneMatrix)]
        if len(kept) == 1 and coefficient == 1:
            return kept[0]
    return term


def _numbers_last(args: tuple) -> list:
    return sorted(args, key=lambda a: isinstance(a, Number))
