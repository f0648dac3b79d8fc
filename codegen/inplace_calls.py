"""Compile one array expression into NumPy calls that write into buffers with ``out=``.

``dinp2 = dh2*h2*(1 - h2)`` becomes ``np.subtract(1, h2, out=_s0)``,
``np.multiply(dh2, h2, out=dinp2)``, ``np.multiply(dinp2, _s0, out=dinp2)``.
An operation writes into its target's buffer when it can, else into a
scratch buffer of its shape, reused once the statement is done.  Each call
is recorded with the names it reads and the buffer it writes
(``buffers.Call``), from which buffer sharing is decided.  Reductions print
as array methods (``g.sum(axis=0, keepdims=True, out=db1)``) and products as
``np.dot``: for small arrays a call's overhead is most of its time.
"""

from dataclasses import dataclass, field

from sympy import (
    Abs, Add, Basic, MatAdd, MatMul, MatrixExpr, MatrixSymbol, Max, Min, Mul, Number, Piecewise, Pow, Rational, S,
    Symbol, Transpose, cosh, exp, floor, log, sign, sinh, tanh,
)
from sympy.codegen.cfunctions import expm1, log1p
from sympy.codegen.numpy_nodes import logaddexp
from sympy.core.relational import Relational

from derive.core.functions import Hypot, Reciprocal, ScaledDifference
from derive.core.stable_forms import Clamp
from derive.layers.dropout import UniformDraw

from .buffers import Buffers, Call
from .lowering import AxisMax, AxisSum, indicator_condition, product_parts
from .operations import Shape, Shapes
from .printer import to_numpy

__all__ = ["ExpressionCalls", "Operand", "array_names", "dtype_of"]

_UNARY: dict[type, str] = {
    exp: "np.exp", log: "np.log", tanh: "np.tanh", Abs: "np.abs", sign: "np.sign", expm1: "np.expm1",
    log1p: "np.log1p", floor: "np.floor", Reciprocal: "np.reciprocal", sinh: "np.sinh", cosh: "np.cosh",
}
_BINARY: dict[type, str] = {Max: "np.maximum", Min: "np.minimum", logaddexp: "np.logaddexp", Hypot: "np.hypot"}
_COMPARISONS = {">": "np.greater", ">=": "np.greater_equal", "<": "np.less", "<=": "np.less_equal",
                "==": "np.equal", "!=": "np.not_equal"}


@dataclass(frozen=True)
class Operand:
    """A value a call reads: its source and the array names that source uses."""

    code: str
    names: frozenset[str]

@dataclass
class ExpressionCalls:
    """The calls compiled so far, into ``buffers``; ``shapes`` knows every array read."""

    shapes: Shapes
    buffers: Buffers
    calls: list[Call] = field(default_factory=list)
    #: A statement that reads its own target (``w = w - lr*dw``) writes it only in its last operation.
    _protected: str | None = None

    def _call(self, text: str, operands: list[Operand], out: str | None, *, product: bool = False,
              rowwise: bool = False) -> None:
        names = frozenset().union(*(operand.names for operand in operands))
        self.calls.append(Call(text, names, out, product=product, rowwise=rowwise))

    def _shape_of_buffer(self, name: str) -> Shape:
        return self.shapes[name] if name in self.shapes else self.buffers.shapes[name][0]

    def _dtype_of_buffer(self, name: str) -> str:
        return self.buffers.shapes[name][1] if name in self.buffers.shapes else "float64"

    # -- values -----------------------------------------------------------------

    def _value(self, expr: Basic, dest: str | None, scratch: list[str]) -> Operand:
        """The operand naming ``expr``'s value; an operation is computed into ``dest``, else into a scratch buffer."""
        if self.shapes.of(expr) == ():
            value = Operand(to_numpy(expr), array_names(expr))
            if dest is None:
                return value
            self._call(f"np.copyto({dest}, {value.code})", [value], dest, rowwise=True)
            return Operand(dest, frozenset({dest}))
        if isinstance(expr, (Symbol, MatrixSymbol)):
            if dest is not None and dest != expr.name:
                self._call(f"np.copyto({dest}, {expr.name})", [Operand(expr.name, frozenset({expr.name}))], dest,
                           rowwise=True)
                return Operand(dest, frozenset({dest}))
            return Operand(expr.name, frozenset({expr.name}))
        if isinstance(expr, Transpose) and isinstance(expr.arg, MatrixSymbol):
            return Operand(f"{expr.arg.name}.T", frozenset({expr.arg.name}))
        condition = indicator_condition(expr)
        if condition is not None:
            # [condition] as a boolean array: multiplying by it keeps the other factor's dtype.
            return self._value(condition, dest, scratch)
        out = dest
        if out is None:
            out = self.buffers.scratch(self.shapes.of(expr), dtype_of(expr))
            scratch.append(out)
        self._emit(expr, out, scratch)
        return Operand(out, frozenset({out}))

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
            value = self._value(body, None, scratch)
            self._call(f"{value.code}.{method}(axis={int(axis)}, keepdims=True, out={out})", [value], out,
                       rowwise=int(axis) == 1)
        elif isinstance(expr, Clamp):
            value, bound = expr.args
            operand = self._value(value, None, scratch)
            self._call(f"np.clip({operand.code}, -{to_numpy(bound)}, {to_numpy(bound)}, out={out})", [operand], out,
                       rowwise=True)
        elif isinstance(expr, ScaledDifference):
            # (a - b)/k as (a/2 - b/2)/(k/2), as codegen.printer prints it: the halves cannot overflow.
            a, b, k = expr.args
            self._fold([("", a / 2), ("np.subtract", b / 2)], out, scratch)
            if k / 2 != 1:
                self._call(f"np.divide({out}, {to_numpy(k / 2)}, out={out})", [], out, rowwise=True)
        elif isinstance(expr, UniformDraw):
            self._call(f"rng.random(out={out})", [], out)
        else:
            # A function with no in-place call and no entry in derive.core.operation_forms.FORMS: computed
            # whole, copied in.  It allocates an array of its size; tests/test_step_allocation.py keeps the
            # catalogue free of it.
            self._call(f"np.copyto({out}, {to_numpy(expr)})", [Operand("", array_names(expr))], out)

    def _fold(self, steps: list[tuple[str, Basic]], out: str, scratch: list[str]) -> None:
        """``out = f1(v0, v1)``, then ``out = fk(out, vk)``: every operand computed before ``out`` is written.

        A one-step fold applies its function to the single operand.  The first
        operand may be computed in ``out`` itself unless the statement reads it.
        """
        values = []
        for index, (_, term) in enumerate(steps):
            reuse = (
                index == 0 and out != self._protected and _is_operation(term)
                and self.shapes.of(term) == self._shape_of_buffer(out)
                and dtype_of(term) == self._dtype_of_buffer(out)
            )
            values.append(self._value(term, out if reuse else None, scratch))
        if len(steps) == 1:
            # In place when computed in out.
            self._call(f"{steps[0][0]}({values[0].code}, out={out})", values, out, rowwise=True)
            return
        self._call(f"{steps[1][0]}({values[0].code}, {values[1].code}, out={out})", values[:2], out, rowwise=True)
        for (function, _), value in zip(steps[2:], values[2:]):
            self._call(f"{function}({out}, {value.code}, out={out})", [value], out, rowwise=True)

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
        scalar = Mul(*(f for f in expr.args if self.shapes.of(f) == ()))
        arrays = [f for f in expr.args if self.shapes.of(f) != ()]
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
        return (not (isinstance(term, Symbol) and term.name == self._protected), self.shapes.of(term) == ())

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
                self._call(f"np.copyto({out}, {value.code}, where={where.code})", [value, where], out, rowwise=True)
            return
        self._value(default, out, scratch)
        for value, condition in reversed(branches):
            where = self._value(condition, None, scratch)
            operand = self._value(value, None, scratch)
            self._call(f"np.copyto({out}, {operand.code}, where={where.code})", [operand, where], out, rowwise=True)

    def _matmul(self, expr: MatMul, out: str, scratch: list[str]) -> None:
        """A product (``np.dot``, which has less overhead than ``@``), or a sum where a ``OneMatrix`` multiplies."""
        coefficient, matrices, axes = product_parts(expr)
        operands = [self._value(m, None, scratch) for m in matrices]
        if axes:
            (operand,) = operands
            axis = "" if len(axes) == 2 else f"axis={axes[0]}, "
            self._call(f"{operand.code}.sum({axis}keepdims=True, out={out})", operands, out, rowwise=axes == (1,))
        elif len(operands) == 1:
            self._call(f"np.multiply({operands[0].code}, {to_numpy(coefficient)}, out={out})", operands, out,
                       rowwise=True)
            return
        else:
            code = ", ".join(operand.code for operand in operands)
            self._call(f"np.dot({code}, out={out})", operands, out, product=True)
        if coefficient != 1:
            self._call(f"np.multiply({out}, {to_numpy(coefficient)}, out={out})", [], out, rowwise=True)

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


def _is_operation(expr: Basic) -> bool:
    return not isinstance(expr, (Symbol, MatrixSymbol, Number, Transpose))


def dtype_of(expr: Basic) -> str:
    """The type of the array an expression gives: boolean for a comparison, else float64."""
    return "bool" if isinstance(expr, Relational) else "float64"


def array_names(expr: Basic) -> frozenset[str]:
    return frozenset(s.name for s in expr.free_symbols if isinstance(s, (Symbol, MatrixSymbol)))


def _is_product(term: MatrixExpr) -> bool:
    return isinstance(term, MatMul) and len(product_parts(term)[1]) > 1


def _broadcast(term: MatrixExpr) -> MatrixExpr:
    """A bias term ``1 b`` (or ``1 b 1ᵀ``) as ``b`` itself: NumPy broadcasts it."""
    if isinstance(term, MatMul):
        coefficient, matrices, axes = product_parts(term)
        if len(matrices) == 1 and coefficient == 1 and not axes:
            return matrices[0]
    return term


def _numbers_last(args: tuple) -> list:
    return sorted(args, key=lambda a: isinstance(a, Number))
