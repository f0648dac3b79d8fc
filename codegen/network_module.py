"""Template context of a network module: one function per stage of the program."""

from dataclasses import dataclass

from sympy import Basic, Indexed, MatrixSymbol, Symbol

from derive.network import LEARNING_RATE, Program, Stage
from derive.symbols import C, N

from .emit import Body, Statement
from .lowering import reads_size

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
    """Everything the network template lays out."""

    name: str
    description: str
    source: str
    architecture: str
    loss: str
    learning_rate: float
    parameters: list[tuple[str, tuple[int, int]]]
    stages: dict[str, StageFunction]


def names_in(expr: Basic) -> set[str]:
    """Array names an expression reads (symbols, matrix symbols and indexed bases)."""
    names = {str(s.name) for s in expr.atoms(MatrixSymbol)}
    names |= {str(a.base.label) for a in expr.atoms(Indexed)}
    names |= {s.name for s in expr.free_symbols if isinstance(s, Symbol) and not s.is_integer}
    names -= {str(LEARNING_RATE), str(N)}
    return names


def network_module(program: Program) -> NetworkModule:
    """Print every stage of ``program`` for the network template."""
    spec = program.spec
    parameter_names = [p.name for p in program.parameters]
    forward_names = [a.target for a in program.stage(Stage.FORWARD)]
    sources = {name: "params" for name in parameter_names}
    sources.update({name: "cache" for name in forward_names})
    sources.update({f"d{name}": "grads" for name in parameter_names})
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
    return NetworkModule(
        name=spec.name, description=spec.description, source=spec.source,
        architecture=" -> ".join(widths), loss=spec.loss, learning_rate=spec.learning_rate,
        parameters=[(p.name, p.shape) for p in program.parameters], stages=printed,
    )


def _stage(program: Program, stage: Stage, outputs: list[str], arguments: set[str], sources: dict) -> StageFunction:
    body = Body()
    assigned, needed = set(), []
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
