"""Numbers from a derivation: a Program's assignments evaluated by SymPy on concrete arrays.

This is the third rendering of a network's derivation, beside the generated
NumPy and the LaTeX.  Every assignment is evaluated in order, at high
precision, on the arrays of a worked example:

* a matrix assignment (``inp1 = x w1ᵀ + 1 b1``, ``dw1 = dinp1ᵀ x``) is written
  out entry by entry with ``as_explicit`` once the batch size ``N`` is bound;
* an elementwise assignment (``h1 = f(inp1)``, ``dinp1 = f'(h1) dh1``) is
  applied to each entry of the arrays it reads;
* an indexed assignment (the cost, ``dout``) is evaluated for each value of its
  free indices with ``N`` and ``C`` bound, its sums expanded by ``doit``.

Each entry then becomes a number by substituting the entries already known.
Assignments are evaluated as defined (``Assignment.shown``): at this precision
the float64 safeguards of the computed forms are not needed, so comparing a
trace with ``generated/`` also checks those safeguards.  Nothing is compiled
or generated here.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sympy import (
    Basic, Expr, Float, ImmutableMatrix, Indexed, MatrixExpr, Max, Sum, Symbol, exp, sympify,
)
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.program.network import LEARNING_RATE, Program, Stage
from derive.layers.optimizers import MOMENTUM
from derive.core.stable_forms import RowMax, ShiftRows
from derive.core.symbols import C, N, feature_indices, sample_indices

__all__ = ["DIGITS", "Trace", "TraceError", "trace", "trace_example"]

#: Significant digits every number of a trace carries.
DIGITS = 30


class TraceError(ValueError):
    """A trace that cannot be computed: missing or misshapen arrays, or an expression with no value."""


@dataclass(frozen=True)
class Trace:
    """Every array of one forward pass, cost, backward pass and update, as SymPy numbers.

    ``values`` holds the inputs ``x`` and ``y``, the parameters and every
    forward, loss and backward target (the cost as a 1×1 matrix); ``updated``
    holds each parameter after one step of ``learning_rate``.
    """

    program: Program
    values: Mapping[str, ImmutableMatrix]
    updated: Mapping[str, ImmutableMatrix]
    learning_rate: Float
    digits: int = DIGITS

    def evaluate(self, expr: Basic) -> Float:
        """The number ``expr`` stands for, given entries such as ``out[0, 1]`` or ``w2[1, 0]``.

        Sums must have concrete bounds; ``N`` and ``C`` are not bound here.
        """
        return _number(expr, self.values, self.learning_rate, self.digits)


def trace(
    program: Program,
    arrays: Mapping[str, Sequence[Sequence[float]]],
    *,
    learning_rate: float | None = None,
    digits: int = DIGITS,
) -> Trace:
    """Evaluate ``program`` on ``arrays`` (``x``, ``y`` and every parameter, as rows or NumPy arrays).

    Numbers are read from their shortest decimal form, so ``0.1`` is one tenth;
    ``learning_rate`` defaults to the spec's.
    """
    _refuse_random_or_batch_dependent(program)
    values = {name: _matrix(name, arrays, shape, digits) for name, shape in _expected_shapes(program, arrays)}
    rate = _float(program.spec.learning_rate if learning_rate is None else learning_rate, digits)
    samples = values["x"].rows
    momentum = program.spec.optimizer.momentum
    constants = {} if momentum is None else {MOMENTUM: _float(momentum, digits)}
    # The optimiser's state before the first step: each velocity at its initial value.
    values.update({v.name: ImmutableMatrix(*values[v.parameter].shape, lambda *_: v.initial) for v in program.state})
    updated = {}
    for assignment in program.assignments:
        if assignment.stage is Stage.UPDATE:
            # An update reads the velocities updated before it, and the parameters as they were.
            result = _evaluate(assignment.shown.xreplace(constants), {**values, **updated}, samples, rate, digits,
                               assignment.target)
            updated[assignment.target] = result
        else:
            values[assignment.target] = _evaluate(assignment.shown, values, samples, rate, digits, assignment.target)
    return Trace(program=program, values=values, updated=updated, learning_rate=rate, digits=digits)


def _refuse_random_or_batch_dependent(program: Program) -> None:
    """A trace follows fixed numbers through elementwise and matrix steps: no dropout draws, no batch statistics.

    Nor window layers: their derived sums are printed to NumPy but not evaluated entry by entry here.
    """
    for index, layer in enumerate(program.spec.layers):
        if layer.kind.value != "dense":
            raise TraceError(
                f"{program.spec.source}: layers[{index}].kind: a trace follows dense layers only, not "
                f"{layer.kind.value!r}; the generated module's gradient_check checks its gradients"
            )
        for field, used in (("dropout", layer.dropout > 0), ("batch_norm", layer.batch_norm)):
            if used:
                raise TraceError(
                    f"{program.spec.source}: layers[{index}].{field}: a trace does not follow dropout or "
                    "batch normalisation; trace a spec without them"
                )


def trace_example(program: Program, *, digits: int = DIGITS) -> Trace:
    """The trace of the spec's own worked example (its ``[example]`` table)."""
    if program.spec.example is None:
        raise TraceError(
            f"{program.spec.source}: the spec has no [example] table; "
            "give x, y and every parameter there to trace it"
        )
    return trace(program, program.spec.example, digits=digits)


def _expected_shapes(program: Program, arrays: Mapping) -> list[tuple[str, tuple[int | None, int]]]:
    """``(name, (rows, columns))`` of every array a trace reads; ``None`` rows follow ``x``."""
    spec = program.spec
    shapes = [("x", (None, spec.inputs)), ("y", (None, spec.layers[-1].units))]
    shapes += [(p.name, p.shape) for p in program.parameters]
    missing = [name for name, _ in shapes if name not in arrays]
    if missing:
        raise TraceError(f"missing array(s) {', '.join(missing)}; a trace of {spec.name} needs "
                         f"{', '.join(name for name, _ in shapes)}")
    return shapes


def _float(value: float, digits: int) -> Float:
    """``value`` at ``digits`` significant digits, read from its shortest decimal form."""
    return Float(repr(float(value)), digits)


def _matrix(name: str, arrays: Mapping, shape: tuple[int | None, int], digits: int) -> ImmutableMatrix:
    rows = arrays[name]
    height, width = shape
    if len(rows) == 0 or any(len(row) != width for row in rows) or height not in (None, len(rows)):
        expected = f"{height if height is not None else 'N'} rows of {width}"
        raise TraceError(f"array {name}: expected {expected} numbers")
    if name == "y" and len(rows) != len(arrays["x"]):
        raise TraceError(f"array y: expected {len(arrays['x'])} rows like x, got {len(rows)}")
    return ImmutableMatrix([[_float(v, digits) for v in row] for row in rows])


def _evaluate(expr: Basic, values: dict, samples: int, rate: Float, digits: int, target: str) -> ImmutableMatrix:
    """The array one assignment's expression gives, entry by entry."""
    if isinstance(expr, MatrixExpr):
        explicit = expr.xreplace({N: samples}).as_explicit()
        return explicit.applyfunc(lambda entry: _number(entry, values, rate, digits, target))
    if expr.atoms(Indexed) or expr.atoms(RowMax):
        return _indexed(expr, values, samples, rate, digits, target)
    return _elementwise(expr, values, rate, digits, target)


def _elementwise(expr: Expr, values: dict, rate: Float, digits: int, target: str) -> ImmutableMatrix:
    """Apply an expression in whole-array symbols (``h1*(1 - h1)*dh1``) to each entry."""
    arrays = sorted((s for s in expr.free_symbols if isinstance(s, Symbol) and s != LEARNING_RATE), key=str)
    shapes = {values[s.name].shape for s in arrays if s.name in values}
    unknown = [s.name for s in arrays if s.name not in values]
    if unknown or len(shapes) != 1:
        problem = f"unknown array(s) {', '.join(unknown)}" if unknown else f"arrays of shapes {sorted(shapes)}"
        raise TraceError(f"{target} = {expr}: {problem}")
    ((rows, columns),) = shapes
    return ImmutableMatrix(rows, columns, lambda r, c: _number(
        expr.xreplace({s: values[s.name][r, c] for s in arrays}), values, rate, digits, target,
    ))


def _indexed(expr: Expr, values: dict, samples: int, rate: Float, digits: int, target: str) -> ImmutableMatrix:
    """Evaluate an expression over ``a[sample, feature]`` for every value of its free indices."""
    widths = {values[str(base.label)].cols for base in _bases(expr) if str(base.label) in values}
    if len(widths) != 1:
        raise TraceError(f"{target} = {expr}: its arrays must be known and share one width, got {sorted(widths)}")
    (width,) = widths
    bound = expr.xreplace({N: samples, C: width})
    row = next((s for s in sample_indices if s in bound.free_symbols), None)
    column = next((s for s in feature_indices if s in bound.free_symbols), None)
    return ImmutableMatrix(samples if row else 1, width if column else 1, lambda r, c: _number(
        bound.xreplace({index: value for index, value in ((row, r), (column, c)) if index is not None}),
        values, rate, digits, target,
    ))


def _bases(expr: Expr) -> set:
    """The arrays an indexed expression reads, in entries and in row maxima."""
    return {a.base for a in expr.atoms(Indexed)} | {m.args[0] for m in expr.atoms(RowMax)}


def _number(expr: Basic, values: Mapping, rate: Float, digits: int, target: str = "") -> Float:
    """One entry: expand sums, substitute known entries and the learning rate, evaluate."""
    # Shifted logits read their whole row: written out (row maxima and all) while entries are still indexed.
    expr = sympify(expr).replace(lambda e: isinstance(e, ShiftRows), lambda e: e.computed_form)
    if expr.has(Sum):
        expr = expr.doit()
    expr = expr.replace(
        lambda e: isinstance(e, RowMax),
        lambda e: Max(*values[str(e.args[0].label)].row(int(e.args[1]))),
    )
    entries = {}
    for entry in expr.atoms(Indexed, MatrixElement):
        if isinstance(entry, Indexed):
            name, (row, column) = str(entry.base.label), entry.indices
        else:
            name, row, column = str(entry.parent.name), entry.i, entry.j
        if name in values:
            entries[entry] = values[name][int(row), int(column)]
    result = expr.xreplace({**entries, LEARNING_RATE: rate}).evalf(digits)
    if not result.is_Number:
        # A function kept whole for derivations (``Logistic``) evaluates through its definition in exp.
        result = result.rewrite(exp).evalf(digits)
    if not result.is_Number:
        where = f" in {target}" if target else ""
        raise TraceError(f"cannot evaluate {result}{where}: it has no numeric value")
    return result
