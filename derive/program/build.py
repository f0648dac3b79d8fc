"""``derive_network``: a spec's layers derived into one ``Program``.

The dense rule gives each layer's forward product and its weight, bias and
input gradients; the activation gives ``h = f(inp)`` and the step
``dinp = f'(inp) * dh`` (in output form when proven); the loss gives the cost
and ``dout``.  The update stage and the learning-rate schedule come from
``derive.layers.optimizers``; a layer with ``trainable = false`` gets no
update.  Batch normalisation (``derive.layers.batch_norm``), dropout
(``derive.layers.dropout``) and weight penalties (``derive.catalog.penalties``)
add their own assignments.  A conv2d or pooling layer's definition and
derived gradients come from ``derive.program.window_layers`` (a convolution
then takes its activation, dropout and penalty as a dense layer does); a
flatten layer adds nothing, its output being its input stored flat.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sympy import Add, Expr, Float, Indexed, IndexedBase, Integer, MatrixSymbol, Symbol

from derive.catalog.activations import Activation
from derive.layers.batch_norm import BatchNorm, batch_norm
from derive.catalog.registry import Catalog
from derive.layers.dense import dense_rule
from derive.layers.dropout import Dropout, dropout
from derive.catalog.losses import Loss
from derive.layers.optimizers import learning_rate_at, update_steps
from derive.catalog.penalties import STRENGTH, Penalty
from derive.spec.model import LayerKind, LayerSpec, NetworkSpec
from derive.core.stable_forms import Shifted
from derive.core.symbols import C, N, indexed, x as x_symbol, y as y_symbol
from derive.catalog.initializers import Initializer
from derive.program.fold import folded_backward, folded_update
from derive.program.network import Assignment, FoldedStep, Mode, NetworkArray, Program, Stage
from derive.program.layer_names import LayerNames, layer_names
from derive.program.window_layers import WindowLayer, window_forward, window_gradients, window_parameters

__all__ = ["derive_network"]


def derive_network(spec: NetworkSpec, catalog: Catalog) -> Program:
    """Derive every forward, loss, gradient and update assignment of ``spec``."""
    layers = spec.layers
    activations = tuple(catalog.get(layer.activation) for layer in layers)
    loss: Loss = catalog.loss(spec.loss, spec.loss_reduction)
    names = layer_names(spec)
    parameters, statistics, forward, backward, penalty, running = [], [], [], [], [], []
    rules = []
    for number, (layer, activation, name) in enumerate(zip(layers, activations, names), start=1):
        if layer.kind is not LayerKind.DENSE:
            rules.append(None)
            if layer.kind is not LayerKind.FLATTEN:
                window = _window(layer, number, name)
                parameters += window_parameters(window)
                forward += window_forward(window)
            if layer.kind is not LayerKind.CONV2D:
                continue
        else:
            rule = dense_rule(
                layer.bias, name.fan_in, layer.units, names=(name.input, f"w{number}", f"b{number}", f"dinp{number}"),
            )
            rules.append(rule)
            parameters.append(NetworkArray(f"w{number}", (layer.units, name.fan_in), number, layer.weight_init))
            if rule.b is not None:
                parameters.append(NetworkArray(f"b{number}", tuple(rule.b.shape), number, layer.bias_init))
            forward.append(Assignment(f"inp{number}", rule.forward, Stage.FORWARD, number, "dense"))
        if layer.batch_norm:
            norm = _batch_norm(number)
            parameters += [
                NetworkArray(f"gamma{number}", (1, layer.units), number, "ones"),
                NetworkArray(f"beta{number}", (1, layer.units), number, "zeros"),
            ]
            statistics += [
                NetworkArray(f"running_mean{number}", (1, layer.units), number, _INITIALIZER[norm.initial_mean]),
                NetworkArray(f"running_var{number}", (1, layer.units), number, _INITIALIZER[norm.initial_variance]),
            ]
            forward += _batch_norm_forward(norm, number)
            running += [
                Assignment(f"running_mean{number}", norm.running_mean, Stage.STATISTICS, number, "running mean"),
                Assignment(f"running_var{number}", norm.running_variance, Stage.STATISTICS, number, "running variance"),
            ]
        values = _values(activation, layer.activation_params)
        forward.append(Assignment(
            name.output, _apply(activation.computed_as, name.activation_input, values), Stage.FORWARD, number,
            f"activation {activation.name}", _apply(activation.definition, name.activation_input, values),
        ))
        if layer.dropout > 0:
            forward += _dropout_forward(_dropout(layer.dropout, name, number), name, number)
        if layer.penalty is not None:
            penalty.append(_penalty(catalog.get(layer.penalty), layer, number, name.fan_in))

    targets, predictions = indexed("y"), indexed(names[-1].output)
    replacements = {loss.targets: targets, loss.predictions: predictions, **_values(loss, spec.loss_params)}
    cost = _rename(loss.cost_computed_as, replacements, predictions)
    loss_stage = _lets(cost, Stage.LOSS) + [
        Assignment("cost", cost.expr, Stage.LOSS, 0, f"loss {loss.name}", loss.cost.xreplace(replacements))
    ]
    probabilities = []
    if loss.probabilities_computed_as is not None:
        form = _rename(loss.probabilities_computed_as, replacements, predictions)
        probabilities = _lets(form, Stage.PROBABILITIES) + [Assignment(
            "proba", form.expr, Stage.PROBABILITIES, 0, f"probabilities of {loss.name}",
            loss.probabilities.xreplace(replacements),
        )]
    penalty_stage = [Assignment("penalty", Add(*(p.cost for p in penalty)), Stage.PENALTY, 0, "penalty", shape=())]
    gradient = _rename(loss.gradient_computed_as, replacements, predictions)
    backward += _lets(gradient, Stage.BACKWARD)
    backward.append(Assignment(
        f"d{names[-1].output}", gradient.expr, Stage.BACKWARD, len(layers), "loss gradient",
        loss.gradient.xreplace(replacements),
    ))
    penalised = {p.layer: p for p in penalty}
    for number in range(len(layers), 0, -1):
        layer, name, rule = layers[number - 1], names[number - 1], rules[number - 1]
        activation = activations[number - 1]
        if layer.kind in (LayerKind.MAX_POOL, LayerKind.AVG_POOL):
            backward += window_gradients(_window(layer, number, name), name.input != x_symbol.name)
        if layer.kind not in (LayerKind.DENSE, LayerKind.CONV2D):
            continue
        if layer.dropout > 0:
            step = _dropout(layer.dropout, name, number).grad_input
            backward.append(Assignment(f"d{name.output}", step, Stage.BACKWARD, number, "dropout gradient"))
        step = _backward_step(
            activation, _values(activation, layer.activation_params),
            name.activation_input, name.output, f"d{name.output}",
        )
        backward.append(Assignment(f"d{name.activation_input}", step, Stage.BACKWARD, number, "activation gradient"))
        if layer.batch_norm:
            backward += _batch_norm_backward(_batch_norm(number), number)
        weights = layer.weight_shape(name.fan_in)
        if number in penalised:
            term = penalised[number]
            backward.append(Assignment(
                term.target, term.gradient, Stage.BACKWARD, number, "penalty gradient", shape=weights,
            ))
        if rule is None:
            penalty_target = penalised[number].target if number in penalised else None
            backward += window_gradients(_window(layer, number, name), name.input != x_symbol.name, penalty_target)
            continue
        grad_w = rule.grad_W
        if number in penalised:
            grad_w = grad_w + MatrixSymbol(penalised[number].target, *rule.W.shape)
        backward.append(Assignment(f"dw{number}", grad_w, Stage.BACKWARD, number, "weight gradient"))
        if rule.grad_b is not None:
            backward.append(Assignment(f"db{number}", rule.grad_b, Stage.BACKWARD, number, "bias gradient"))
        if name.input != x_symbol.name:
            backward.append(Assignment(f"d{name.input}", rule.grad_X, Stage.BACKWARD, number, "input gradient"))

    update, state = [], []
    for parameter in parameters:
        if not layers[parameter.layer - 1].trainable:
            continue
        steps, velocities = update_steps(spec.optimizer, parameter.name, parameter.shape)
        update += [Assignment(s.target, s.expr, Stage.UPDATE, parameter.layer, "update") for s in steps]
        state += velocities
    program = Program(
        spec=spec,
        parameters=tuple(parameters),
        statistics=tuple(statistics),
        assignments=tuple(forward + loss_stage + (penalty_stage if penalty else []) + backward + update + running),
        loss=loss,
        activations=activations,
        state=tuple(state),
        learning_rate=learning_rate_at(spec.optimizer.schedule),
        initializers=_initializers(catalog, parameters + statistics),
        folded=FoldedStep((), (), ()),
        probabilities=tuple(probabilities),
    )
    return replace(program, folded=_folded(program))


def _initializers(catalog: Catalog, arrays: list[NetworkArray]) -> tuple[Initializer, ...]:
    """The initialisers ``arrays`` name, each once, in catalogue order."""
    used = {array.init for array in arrays}
    return tuple(catalog.get(name) for name in catalog.names("initializer") if name in used)


def _folded(program: Program) -> FoldedStep:
    """``program``'s training step with the learning rate folded in; no update when every layer is frozen."""
    update, velocities = folded_update(program) if program.trained else ([], [])
    return FoldedStep(tuple(folded_backward(program)), tuple(update), tuple(velocities))


def _window(layer: LayerSpec, number: int, name: LayerNames) -> WindowLayer:
    """A conv2d layer's sum gives ``inpK``, its activation's input; a pooling's gives the layer's output."""
    return WindowLayer(number, layer, name.input, f"inp{number}" if layer.kind is LayerKind.CONV2D else name.output)


#: The catalogue initialiser giving a running statistic its starting value.
_INITIALIZER = {0: "zeros", 1: "ones"}


def _batch_norm(number: int) -> BatchNorm:
    """Layer ``number``'s batch normalisation over its names: ``inpK`` in, ``bnK`` out, ``dbnK`` upstream."""
    return batch_norm(
        f"inp{number}", f"dbn{number}", mean=f"mean{number}", variance=f"var{number}", gamma=f"gamma{number}",
        beta=f"beta{number}", running_mean=f"running_mean{number}", running_variance=f"running_var{number}",
    )


def _batch_norm_forward(norm: BatchNorm, number: int) -> list[Assignment]:
    """Batch statistics and ``bnK`` in training; ``bnK`` from the running statistics in inference."""
    role = "batch normalisation"
    return [
        Assignment(f"mean{number}", norm.mean, Stage.FORWARD, number, "batch mean", mode=Mode.TRAINING),
        Assignment(f"var{number}", norm.variance, Stage.FORWARD, number, "batch variance", mode=Mode.TRAINING),
        Assignment(f"bn{number}", norm.training, Stage.FORWARD, number, role, mode=Mode.TRAINING),
        Assignment(f"bn{number}", norm.inference, Stage.FORWARD, number, role, mode=Mode.INFERENCE),
    ]


def _batch_norm_backward(norm: BatchNorm, number: int) -> list[Assignment]:
    return [
        Assignment(f"dgamma{number}", norm.grad_gamma, Stage.BACKWARD, number, "scale gradient"),
        Assignment(f"dbeta{number}", norm.grad_beta, Stage.BACKWARD, number, "shift gradient"),
        Assignment(f"dinp{number}", norm.grad_input, Stage.BACKWARD, number, "batch normalisation gradient"),
    ]


def _dropout(p: float, name: LayerNames, number: int) -> Dropout:
    """Layer ``number``'s dropout of its output: draws ``drawsK``, mask ``maskK``, upstream ``d`` of the kept output."""
    return dropout(p, name.output, draws=f"draws{number}", mask=f"mask{number}", upstream=f"d{name.dropped}")


def _dropout_forward(drop: Dropout, name: LayerNames, number: int) -> list[Assignment]:
    """Draws, mask and the kept units in training; the layer's output unchanged in inference."""
    return [
        Assignment(f"draws{number}", drop.draws, Stage.FORWARD, number, "dropout draws", mode=Mode.TRAINING),
        Assignment(f"mask{number}", drop.mask, Stage.FORWARD, number, "dropout mask", mode=Mode.TRAINING),
        Assignment(name.dropped, drop.output, Stage.FORWARD, number, "dropout", mode=Mode.TRAINING),
        Assignment(name.dropped, Symbol(name.output, real=True), Stage.FORWARD, number, "dropout",
                   mode=Mode.INFERENCE),
    ]


@dataclass(frozen=True)
class _PenaltyTerm:
    """One layer's penalty: its cost, and its gradient assigned to ``target``."""

    layer: int
    cost: Expr
    target: str
    gradient: Expr


def _penalty(item: Penalty, layer: LayerSpec, number: int, fan_in: int) -> _PenaltyTerm:
    """The catalogue penalty over ``wK`` at the layer's strength; its sums bound by the weight's shape."""
    weights = indexed(f"w{number}")
    rows, columns = layer.weight_shape(fan_in)
    values = {item.weights: weights, STRENGTH: Float(layer.penalty_strength), N: Integer(rows), C: Integer(columns)}
    gradient = item.gradient.xreplace(values).replace(
        lambda e: isinstance(e, Indexed) and e.base == weights, lambda e: Symbol(f"w{number}", real=True)
    )
    return _PenaltyTerm(number, item.cost.xreplace(values), f"dpenalty{number}", gradient)


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
