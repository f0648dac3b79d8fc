"""``explain``: the walk-through of one parameter read off a network's Program and its trace.

Every factor's form comes from the Program (the loss gradient's definition,
the activation step differentiated by ``dh``, the dense assignment written out
entry by entry and differentiated); every number is the trace's evaluation of
that form (``derive.program.trace``), so nothing is special to one network.
"""

import re
from dataclasses import dataclass

from sympy import Basic, Float, ImmutableMatrix, Indexed, IndexedBase, Sum, Symbol, diff, sympify
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.program.network import LEARNING_RATE, Program, Stage
from derive.core.symbols import C, N, feature_indices, j, m, sample_indices
from derive.program.trace import Trace, trace_example

from derive.presentation.walkthrough import (
    E, ExplainError, Factor, Path, Step, Update, Value, Walkthrough, entry_name,
)

__all__ = ["explain", "parameter_entries"]


def parameter_entries(program: Program) -> list[str]:
    """Every entry ``explain`` accepts, in the Program's parameter order: ``w1[0,0]``, ..."""
    return [
        f"{p.name}[{row},{column}]"
        for p in program.parameters
        for row in range(p.shape[0])
        for column in range(p.shape[1])
    ]


def explain(program: Program, parameter: str, trace: Trace | None = None) -> Walkthrough:
    """The walk-through of ``∂E/∂parameter`` at the trace's arrays (the spec's example by default).

    ``parameter`` names one entry, ``w2[0,0]`` or ``b1[0,0]``: row, then column.
    """
    target, layer_number = _parse(program, parameter)
    trace = trace_example(program) if trace is None else trace
    layers = _layers(program, trace.values["x"].rows)
    builder = _Builder(program, trace, layers)
    final = builder.parameter_step(layers[layer_number - 1], target)
    steps = sorted(builder.steps.values(), key=lambda item: item[0])
    return Walkthrough(
        network=program.spec.name,
        parameter=target,
        meaning=_meaning(layers[layer_number - 1], final, target),
        forward=builder.forward(),
        loss_name=program.loss.name,
        loss_terms=builder.loss_terms(),
        loss=Value(E, _assignment(program, Stage.LOSS, "cost").shown, trace.values["cost"][0, 0]),
        steps=tuple(step for _, step in steps) + (final,),
        update=builder.update(target, final.value),
    )


_ENTRY = re.compile(r"([A-Za-z_]\w*)\[(\d+),(\d+)\]")


def _parse(program: Program, parameter: str) -> tuple[Indexed, int]:
    """``"w2[0, 0]"`` -> (``w2[0, 0]``, layer 2); unknown entries list every valid one."""
    match = _ENTRY.fullmatch(parameter.replace(" ", ""))
    known = {p.name: p for p in program.parameters}
    if match:
        name, row, column = match.group(1), int(match.group(2)), int(match.group(3))
        if name in known and row < known[name].shape[0] and column < known[name].shape[1]:
            return IndexedBase(name)[row, column], known[name].layer
    raise ExplainError(
        f"{program.spec.name} has no parameter {parameter!r}; its parameters are: "
        f"{', '.join(parameter_entries(program))}"
    )


@dataclass(frozen=True)
class _Layer:
    """What the walk-through reads of one layer, in entries ``name[sample, neuron]``."""

    number: int
    last: bool
    inputs: IndexedBase
    pre: IndexedBase
    post: IndexedBase
    dense: ImmutableMatrix
    activation: Basic
    local: Basic

    def at(self, expr: Basic, sample: int, neuron: int) -> Basic:
        """An elementwise expression in whole-array symbols, at one entry."""
        return expr.xreplace({
            s: IndexedBase(s.name)[sample, neuron]
            for s in expr.free_symbols if isinstance(s, Symbol) and not s.is_integer and s != LEARNING_RATE
        })

    def entries(self) -> list[tuple[int, int]]:
        return [(sample, neuron) for sample in range(self.dense.rows) for neuron in range(self.dense.cols)]


def _assignment(program: Program, stage: Stage, target: str):
    return next(a for a in program.stage(stage) if a.target == target)


def _layers(program: Program, samples: int) -> list[_Layer]:
    """Each layer's dense entries, activation and activation step, read off the Program."""
    forward = program.stage(Stage.FORWARD)
    layers, inputs = [], "x"
    count = len(program.spec.layers)
    for number in range(1, count + 1):
        dense = next(a for a in forward if a.layer == number and a.role == "dense")
        activation = next(a for a in forward if a.layer == number and a is not dense)
        step = _assignment(program, Stage.BACKWARD, f"d{dense.target}")
        upstream = Symbol(f"d{activation.target}", real=True)
        layers.append(_Layer(
            number=number,
            last=number == count,
            inputs=IndexedBase(inputs),
            pre=IndexedBase(dense.target),
            post=IndexedBase(activation.target),
            dense=_entries(dense.expr.xreplace({N: samples}).as_explicit()),
            activation=activation.shown,
            local=diff(step.expr, upstream),
        ))
        inputs = activation.target
    return layers


def _entries(matrix: ImmutableMatrix) -> ImmutableMatrix:
    """Matrix elements ``w1[0, 1]`` as indexed entries, the walk-through's one notation."""
    return matrix.applyfunc(lambda entry: entry.xreplace({
        e: IndexedBase(e.parent.name)[e.i, e.j] for e in entry.atoms(MatrixElement)
    }))


class _Builder:
    """Builds each step once, dependencies first; ``steps`` maps an entry to (order, Step)."""

    def __init__(self, program: Program, trace: Trace, layers: list[_Layer]) -> None:
        self.program, self.trace, self.layers = program, trace, layers
        self.steps: dict[Indexed, tuple[tuple, Step]] = {}

    def forward(self) -> tuple[Value, ...]:
        values = []
        for layer in self.layers:
            for sample, neuron in layer.entries():
                for base, form in ((layer.pre, layer.dense[sample, neuron]),
                                   (layer.post, layer.at(layer.activation, sample, neuron))):
                    values.append(Value(base[sample, neuron], form, self._value(base, sample, neuron)))
        return tuple(values)

    def loss_terms(self) -> tuple[Value, ...]:
        """``E[n,i]``, the summand of sample ``n`` and output ``i``, when the cost is such a sum."""
        definition = _assignment(self.program, Stage.LOSS, "cost").shown
        coefficient, summed = definition.as_independent(Sum, as_Add=False)
        if not isinstance(summed, Sum) or len(summed.limits) != 2:
            return ()
        indices = {limit[0] for limit in summed.limits}
        sample = next((s for s in sample_indices if s in indices), None)
        output = next((s for s in feature_indices if s in indices), None)
        if sample is None or output is None:
            return ()
        samples, outputs = self.trace.values["y"].shape
        sizes = {N: samples, C: outputs}
        terms = []
        for n in range(samples):
            for i in range(outputs):
                form = (coefficient * summed.function).xreplace({sample: n, output: i, **sizes})
                terms.append(Value(IndexedBase("E")[n, i], form, self.trace.evaluate(form)))
        return tuple(terms)

    def parameter_step(self, layer: _Layer, target: Indexed) -> Step:
        """``∂E/∂target`` summed over the entries of the layer it enters."""
        return Step(target, tuple(
            Path(layer.pre[sample, neuron], (
                self._upstream(layer, sample, neuron),
                self._activation(layer, sample, neuron),
                self._dense(layer, sample, neuron, target),
            ))
            for sample, neuron in self._entered(layer, target)
        ))

    def update(self, target: Indexed, gradient: Float) -> Update:
        name, (row, column) = str(target.base.label), target.indices
        update = _assignment(self.program, Stage.UPDATE, name)
        return Update(
            parameter=target,
            form=_entries(update.expr.as_explicit())[row, column],
            learning_rate=self.trace.learning_rate,
            before=self.trace.values[name][row, column],
            gradient=gradient,
            value=self.trace.updated[name][row, column],
        )

    # -- the steps ------------------------------------------------------------

    def _pre_step(self, layer: _Layer, sample: int, neuron: int) -> Step:
        """``∂E/∂inp[n,r] = ∂E/∂h[n,r] · ∂h[n,r]/∂inp[n,r]``."""
        entry = layer.pre[sample, neuron]
        if entry not in self.steps:
            path = Path(layer.post[sample, neuron], (
                self._upstream(layer, sample, neuron), self._activation(layer, sample, neuron),
            ))
            self.steps[entry] = ((-2 * layer.number, sample, neuron), Step(entry, (path,)))
        return self.steps[entry][1]

    def _post_step(self, layer: _Layer, sample: int, neuron: int) -> Step:
        """``∂E/∂h[n,r]`` as the sum over the paths through the next layer's entries."""
        entry = layer.post[sample, neuron]
        if entry not in self.steps:
            following = self.layers[layer.number]
            paths = tuple(
                Path(following.pre[s, q], (
                    self._earlier(self._pre_step(following, s, q)), self._dense(following, s, q, entry),
                ))
                for s, q in self._entered(following, entry)
            )
            self.steps[entry] = ((-2 * layer.number - 1, sample, neuron), Step(entry, paths))
        return self.steps[entry][1]

    # -- the factors ----------------------------------------------------------

    def _upstream(self, layer: _Layer, sample: int, neuron: int) -> Factor:
        """``∂E/∂h[n,r]``: from the loss for the last layer, else from its own step."""
        if not layer.last:
            return self._earlier(self._post_step(layer, sample, neuron))
        gradient = next(a for a in self.program.stage(Stage.BACKWARD) if a.role == "loss gradient")
        samples, outputs = self.trace.values["y"].shape
        form = gradient.shown.xreplace({m: sample, j: neuron, N: samples, C: outputs})
        return Factor(E, layer.post[sample, neuron], form, self.trace.evaluate(form))

    def _activation(self, layer: _Layer, sample: int, neuron: int) -> Factor:
        form = layer.at(layer.local, sample, neuron)
        return Factor(layer.post[sample, neuron], layer.pre[sample, neuron], form, self.trace.evaluate(form))

    def _dense(self, layer: _Layer, sample: int, neuron: int, wrt: Indexed) -> Factor:
        form = diff(layer.dense[sample, neuron], wrt)
        return Factor(layer.pre[sample, neuron], wrt, form, self.trace.evaluate(form))

    @staticmethod
    def _earlier(step: Step) -> Factor:
        return Factor(E, step.entry, None, step.value)

    def _entered(self, layer: _Layer, wrt: Indexed) -> list[tuple[int, int]]:
        """The entries of ``layer``'s dense product that depend on ``wrt``."""
        return [(s, r) for s, r in layer.entries() if diff(layer.dense[s, r], wrt) != 0]

    def _value(self, base: IndexedBase, sample: int, neuron: int) -> Float:
        return self.trace.values[str(base.label)][sample, neuron]


def _meaning(layer: _Layer, final: Step, target: Indexed) -> str:
    """What the entry is, read off the layer: a weight multiplies an input, a bias is added."""
    name, (row, column) = entry_name(target.base), target.indices
    neurons = sorted({int(path.via.indices[1]) for path in final.paths})
    forms = {path.factors[-1].form for path in final.paths}
    where = f"row {row}, column {column} of {name}"
    if forms == {sympify(1)}:
        if len(neurons) > 1:
            return f"{where}: the bias shared by neurons {', '.join(map(str, neurons))} of layer {layer.number}"
        return f"{where}: the bias of neuron {neurons[0]} of layer {layer.number}"
    return (
        f"{where}: the weight from input {column} of layer {layer.number} "
        f"({entry_name(layer.inputs)}[:,{column}]) into its neuron {neurons[0]}"
    )
