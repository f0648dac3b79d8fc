"""Template context of a network module: one function per stage of the program.

Besides the stages, the module gets what training needs: the initialiser of
every parameter (the catalogue's functions, printed privately into the
module), the optimiser's initial state and the learning-rate schedule, each
printed from its expression in ``derive``.
"""

from dataclasses import dataclass

from sympy import Basic, Indexed, MatrixSymbol, Symbol

from derive.catalog import Catalog
from derive.gradient_check import CENTRAL_DIFFERENCE, RELATIVE_ERROR
from derive.network import Program, Stage
from derive.optimizers import LEARNING_RATE, MOMENTUM
from derive.symbols import C, N

from .emit import Body, Statement
from .lowering import reads_size
from .modules import Initializer, initializer_functions

__all__ = ["StageFunction", "NetworkModule", "network_module"]


@dataclass(frozen=True)
class StageFunction:
    """The body of ``forward``, ``loss``, ``backward`` or ``update``.

    ``unpack`` lists ``(name, source)`` pairs read at the top, e.g.
    ``("w1", "params")``; ``outputs`` are the names the function returns.
    """

    stage: Stage
    unpack: list[tuple[str, str]]
    statements: list[Statement]
    outputs: list[str]


@dataclass(frozen=True)
class NetworkModule:
    """Everything the network template lays out.

    ``initial`` pairs each parameter with the private initialiser function
    that fills it; ``state`` holds the statements of the optimiser's initial
    state (empty for plain gradient descent); ``schedule`` the statements and
    result of the learning rate at ``epoch``.
    """

    name: str
    description: str
    source: str
    architecture: str
    loss: str
    inputs: int
    outputs: int
    learning_rate: float
    momentum: float | None
    schedule_kind: str
    parameters: list[tuple[str, tuple[int, int]]]
    frozen: list[str]
    stages: dict[str, StageFunction]
    initializers: list[Initializer]
    initial: list[tuple[str, str]]
    state: StageFunction
    schedule: StageFunction
    central_difference: str
    relative_error: str


def names_in(expr: Basic) -> set[str]:
    """Array names an expression reads (symbols, matrix symbols and indexed bases)."""
    names = {str(s.name) for s in expr.atoms(MatrixSymbol)}
    names |= {str(a.base.label) for a in expr.atoms(Indexed)}
    names |= {s.name for s in expr.free_symbols if isinstance(s, Symbol) and not s.is_integer}
    names -= {str(LEARNING_RATE), str(MOMENTUM), str(N)}
    return names


def network_module(program: Program, catalog: Catalog) -> NetworkModule:
    """Print every stage of ``program``, and what training it needs, for the network template."""
    spec = program.spec
    parameter_names = [p.name for p in program.parameters]
    forward_names = [a.target for a in program.stage(Stage.FORWARD)]
    sources = {name: "params" for name in parameter_names}
    sources.update({name: "cache" for name in forward_names})
    sources.update({f"d{name}": "grads" for name in parameter_names})
    sources.update({v.name: "state" for v in program.state})
    stages = {
        Stage.FORWARD: forward_names,
        Stage.LOSS: ["cost"],
        Stage.BACKWARD: [f"d{name}" for name in parameter_names],
        Stage.UPDATE: parameter_names,
    }
    arguments = {Stage.FORWARD: {"x"}, Stage.LOSS: {"y", "out"}, Stage.BACKWARD: {"x", "y"}, Stage.UPDATE: set()}
    printed = {
        stage.value: _stage(program, stage, outputs, arguments[stage], sources)
        for stage, outputs in stages.items()
    }
    widths = [str(spec.inputs)] + [f"{layer.units} ({layer.activation})" for layer in spec.layers]
    trained = {a.target for a in program.stage(Stage.UPDATE)}
    return NetworkModule(
        name=spec.name, description=spec.description, source=spec.source,
        architecture=" -> ".join(widths), loss=spec.loss, inputs=spec.inputs, outputs=spec.layers[-1].units,
        learning_rate=spec.learning_rate, momentum=spec.optimizer.momentum,
        schedule_kind=spec.optimizer.schedule.kind.value,
        parameters=[(p.name, p.shape) for p in program.parameters],
        frozen=[name for name in parameter_names if name not in trained], stages=printed,
        **_initialisers(program, catalog), state=_initial_state(program), schedule=_schedule(program),
        central_difference=Body().code(CENTRAL_DIFFERENCE), relative_error=Body().code(RELATIVE_ERROR),
    )


def _initialisers(program: Program, catalog: Catalog) -> dict:
    """Each parameter's initialiser (``weight_init`` for ``wK``, ``bias_init`` for ``bK``), printed once each."""
    layers = program.spec.layers
    chosen = [
        (p.name, layers[p.layer - 1].weight_init if p.name.startswith("w") else layers[p.layer - 1].bias_init)
        for p in program.parameters
    ]
    used = sorted({name for _, name in chosen}, key=catalog.names("initializer").index)
    return {
        "initializers": initializer_functions([catalog.get(name) for name in used]),
        "initial": [(parameter, name) for parameter, name in chosen],
    }


def _initial_state(program: Program) -> StageFunction:
    """The optimiser's state before the first update: each velocity in its parameter's shape."""
    body = Body()
    for velocity in program.state:
        body.assign(velocity.name, velocity.initial, like=velocity.parameter)
    unpack = [(v.parameter, "params") for v in program.state]
    return StageFunction(Stage.UPDATE, unpack, body.statements, [v.name for v in program.state])


def _schedule(program: Program) -> StageFunction:
    """The learning rate at ``epoch``; its one output is the printed expression."""
    body = Body()
    result = body.code(program.learning_rate)
    return StageFunction(Stage.UPDATE, [], body.statements, [result])


def _stage(program: Program, stage: Stage, outputs: list[str], arguments: set[str], sources: dict) -> StageFunction:
    body = Body()
    assigned = set()
    # An output no assignment computes (a frozen layer's parameter) is passed through as read.
    needed = [name for name in outputs if name not in {a.target for a in program.stage(stage)}]
    for assignment in program.stage(stage):
        for name in sorted(names_in(assignment.expr) - assigned - arguments):
            if name not in needed:
                needed.append(name)
        for size, axis in ((N, 0), (C, 1)):
            # Sizes of the batch and of the output layer, read off the targets y: (N, C).
            if reads_size(assignment.expr, size) and str(size) not in body.known:
                body.add(str(size), f"y.shape[{axis}]")
        body.assign(assignment.target, assignment.expr, like=assignment.target)
        assigned.add(assignment.target)
    order = {name: index for index, name in enumerate(sources)}
    unpack = [(name, sources[name]) for name in sorted(needed, key=lambda n: order.get(n, len(order)))]
    return StageFunction(stage=stage, unpack=unpack, statements=body.statements, outputs=outputs)
