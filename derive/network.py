"""A network's derivation as one straight-line program of named assignments.

``derive_network`` walks a spec's layers: the dense rule gives each layer's
forward product and its weight, bias and input gradients; the activation
gives ``h = f(inp)`` and the step ``dinp = f'(inp) * dh`` (in output form
when proven); the loss gives the cost and ``dout``.  The resulting list is
what ``codegen`` prints, what LaTeX shows, and what a trace evaluates.
The update stage and the learning-rate schedule come from ``derive.optimizers``;
a layer with ``trainable = false`` gets no update.
Names follow the seed notebook: ``inp1, h1, ..., out, cost, dout, dinp3, dw3``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from sympy import Basic, Expr, Float, IndexedBase, Symbol

from .activations import Activation
from .catalog import Catalog
from .dense import dense_rule
from .losses import Loss
from .optimizers import LEARNING_RATE, Velocity, learning_rate_at, update_steps
from .spec import NetworkSpec, SpecError
from .stable import Shifted
from .symbols import N, indexed, x as x_symbol, y as y_symbol

__all__ = ["Stage", "Assignment", "Parameter", "Program", "derive_network", "LEARNING_RATE"]


class Stage(str, Enum):
    """Which generated function an assignment belongs to."""

    FORWARD = "forward"
    LOSS = "loss"
    BACKWARD = "backward"
    UPDATE = "update"


@dataclass(frozen=True)
class Assignment:
    """``target = expr`` in one stage; ``layer`` is 1-based, 0 for the loss.

    ``expr`` is the form code computes; ``definition``, when given, is the
    same quantity as defined (``1/(1 + exp(-inp1))`` rather than its stable
    piecewise form), which is what a reader wants to see.
    """

    target: str
    expr: Basic
    stage: Stage
    layer: int
    role: str
    definition: Basic | None = None

    @property
    def shown(self) -> Basic:
        return self.expr if self.definition is None else self.definition


@dataclass(frozen=True)
class Parameter:
    """A trainable array of the network and its shape."""

    name: str
    shape: tuple[int, int]
    layer: int


@dataclass(frozen=True)
class Program:
    """The derivation of a whole network: parameters and ordered assignments.

    ``state`` is what the optimiser keeps between updates (momentum's
    velocities); ``learning_rate`` is the schedule, an expression of the
    epoch and the spec's base rate (``derive.optimizers``).
    """

    spec: NetworkSpec
    parameters: tuple[Parameter, ...]
    assignments: tuple[Assignment, ...]
    loss: Loss
    activations: tuple[Activation, ...]
    state: tuple[Velocity, ...]
    learning_rate: Expr

    def stage(self, stage: Stage) -> list[Assignment]:
        return [a for a in self.assignments if a.stage is stage]

    @property
    def sizes(self) -> dict[Symbol, tuple[str, int]]:
        """Size symbols and where generated code reads them: ``N = x.shape[0]``."""
        return {N: ("x", 0)}


def derive_network(spec: NetworkSpec, catalog: Catalog) -> Program:
    """Derive every forward, loss, gradient and update assignment of ``spec``."""
    _refuse_ungenerated(spec)
    layers = spec.layers
    activations = tuple(catalog.get(layer.activation) for layer in layers)
    constants = [_values(a, layer.activation_params) for a, layer in zip(activations, layers)]
    loss: Loss = catalog.get(spec.loss)
    parameters, forward, backward, update = [], [], [], []
    outputs = ["x"] + [f"h{number}" for number in range(1, len(layers))] + ["out"]

    widths = [spec.inputs] + [layer.units for layer in layers]
    rules = []
    for number, layer in enumerate(layers, start=1):
        rule = dense_rule(
            layer.bias, widths[number - 1], widths[number],
            names=(outputs[number - 1], f"w{number}", f"b{number}", f"dinp{number}"),
        )
        rules.append(rule)
        parameters.append(Parameter(f"w{number}", (widths[number], widths[number - 1]), number))
        if rule.b is not None:
            parameters.append(Parameter(f"b{number}", tuple(rule.b.shape), number))
        activation, values = activations[number - 1], constants[number - 1]
        forward.append(Assignment(f"inp{number}", rule.forward, Stage.FORWARD, number, "dense"))
        forward.append(Assignment(
            outputs[number], _apply(activation.computed_as, f"inp{number}", values), Stage.FORWARD, number,
            f"activation {activation.name}", _apply(activation.definition, f"inp{number}", values),
        ))

    targets, predictions = indexed("y"), indexed(outputs[-1])
    names = {loss.targets: targets, loss.predictions: predictions, **_values(loss, spec.loss_params)}
    cost = _rename(loss.cost_computed_as, names, predictions)
    loss_stage = _lets(cost, Stage.LOSS) + [
        Assignment("cost", cost.expr, Stage.LOSS, 0, f"loss {loss.name}", loss.cost.xreplace(names))
    ]
    gradient = _rename(loss.gradient_computed_as, names, predictions)
    backward += _lets(gradient, Stage.BACKWARD)
    backward.append(Assignment(
        f"d{outputs[-1]}", gradient.expr, Stage.BACKWARD, len(layers), "loss gradient", loss.gradient.xreplace(names)
    ))

    for number in range(len(layers), 0, -1):
        rule, activation = rules[number - 1], activations[number - 1]
        step = _backward_step(
            activation, constants[number - 1], f"inp{number}", outputs[number], f"d{outputs[number]}"
        )
        backward.append(Assignment(f"dinp{number}", step, Stage.BACKWARD, number, "activation gradient"))
        backward.append(Assignment(f"dw{number}", rule.grad_W, Stage.BACKWARD, number, "weight gradient"))
        if rule.grad_b is not None:
            backward.append(Assignment(f"db{number}", rule.grad_b, Stage.BACKWARD, number, "bias gradient"))
        if number > 1:
            backward.append(Assignment(f"dh{number - 1}", rule.grad_X, Stage.BACKWARD, number, "input gradient"))

    state = []
    for parameter in parameters:
        if not layers[parameter.layer - 1].trainable:
            continue
        steps, velocities = update_steps(spec.optimizer, parameter.name, parameter.shape)
        update += [Assignment(s.target, s.expr, Stage.UPDATE, parameter.layer, "update") for s in steps]
        state += velocities
    return Program(
        spec=spec,
        parameters=tuple(parameters),
        assignments=tuple(forward + loss_stage + backward + update),
        loss=loss,
        activations=activations,
        state=tuple(state),
        learning_rate=learning_rate_at(spec.optimizer.schedule),
    )


def _refuse_ungenerated(spec: NetworkSpec) -> None:
    """Stop on a training feature the spec asks for that generated modules do not apply yet.

    Dropout, batch normalisation and penalties are read and checked, but a
    module that silently trained without them would be wrong.
    """
    checks = []
    for index, layer in enumerate(spec.layers):
        checks += [
            (f"layers[{index}].dropout", layer.dropout > 0),
            (f"layers[{index}].batch_norm", layer.batch_norm),
            (f"layers[{index}].penalty", layer.penalty is not None),
        ]
    asked = [field for field, used in checks if used]
    if asked:
        raise SpecError(
            spec.source, asked[0], "is read, but generated modules do not apply it yet",
            "its default (no dropout, no batch norm, no penalty)",
        )


def _values(item: Activation | Loss, given: Mapping[str, float]) -> dict[Symbol, Float]:
    """An item's parameters as numbers in the network's expressions: the spec's, else the defaults."""
    return {p.symbol: Float(given.get(p.name, p.default)) for p in item.params}


def _apply(form: Expr, argument: str, values: dict[Symbol, Float]) -> Expr:
    """One of an activation's forms at ``argument``, its parameters at ``values``."""
    return form.xreplace({x_symbol: Symbol(argument, real=True), **values})


def _backward_step(
    activation: Activation, values: dict[Symbol, Float], argument: str, output: str, upstream: str
) -> Expr:
    """``f'(argument) * upstream``, reading ``output`` instead when the output form is proven."""
    replacements = {
        x_symbol: Symbol(argument, real=True),
        y_symbol: Symbol(output, real=True),
        **values,
    }
    return activation.backward.xreplace(replacements) * Symbol(upstream, real=True)


def _rename(form: Shifted, names: dict, predictions: IndexedBase) -> Shifted:
    """A loss form over the network's ``y`` and output arrays instead of the catalogue's."""
    names = dict(names)
    for let in form.lets:
        names[let.name] = indexed(f"{predictions.label}_shifted")
    lets = tuple(type(let)(names[let.name], let.value.xreplace(names)) for let in form.lets)
    return Shifted(form.expr.xreplace(names), lets)


def _lets(form: Shifted, stage: Stage) -> list[Assignment]:
    return [Assignment(str(let.name.label), let.value, stage, 0, "shifted logits") for let in form.lets]
