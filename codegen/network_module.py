"""Template context of a network module: one function per stage of the program.

Besides the stages, the module gets what training needs: the initialiser of
every parameter (the catalogue's functions, printed privately into the
module), the optimiser's initial state and the learning-rate schedule, each
printed from its expression in ``derive``.
"""

import ast
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from sympy import Basic, Indexed, MatrixSymbol, Symbol

from derive.program.gradient_check import CENTRAL_DIFFERENCE, RELATIVE_ERROR
from derive.layers.dropout import UniformDraw
from derive.program.network import Mode, Program, Stage
from derive.layers.optimizers import LEARNING_RATE, MOMENTUM
from derive.core.symbols import C, N

from .docstring import docstring_text
from .emit import Body, Statement
from .lowering import reads_size
from .helpers import helper_functions
from .modules import Function, Initializer, initializer_functions

__all__ = ["Block", "StageFunction", "NetworkModule", "network_module", "runtime_source"]

#: Plain Python that generated modules include as it is (``codegen/runtime/``): no mathematics.
RUNTIME = Path(__file__).resolve().parent / "runtime"


@dataclass(frozen=True)
class Block:
    """Consecutive statements that run in one mode: always, or under ``if training:`` / ``else:``."""

    mode: str
    statements: list[Statement]


@dataclass(frozen=True)
class StageFunction:
    """The body of ``forward``, ``loss``, ``penalty``, ``backward``, ``update`` or ``running_statistics``.

    ``unpack`` lists ``(name, source)`` pairs read at the top, e.g.
    ``("w1", "params")``; ``outputs`` are the names the function returns,
    ``training_outputs`` those it returns only in training (batch
    statistics, dropout masks).
    """

    stage: Stage
    unpack: list[tuple[str, str]]
    blocks: list[Block]
    outputs: list[str]
    training_outputs: list[str]

    def reads(self, source: str) -> list[str]:
        """The names the function reads from the argument ``source`` (``"cache"``, ``"grads"``), in order."""
        return [name for name, origin in self.unpack if origin == source]

    @property
    def statements(self) -> list[Statement]:
        """Every statement, for a function that has no training-only part."""
        return [s for block in self.blocks for s in block.statements]


@dataclass(frozen=True)
class NetworkModule:
    """Everything the network template lays out.

    ``description`` is the spec's, escaped for the module's docstring.

    ``helpers`` are private functions the printed code calls (``_sigmoid``, ``_shift_rows``);
    ``initial`` names each array, the private initialiser function that
    fills it and the table of its shape (``PARAMETERS`` or ``STATISTICS``); ``state`` holds the statements of the optimiser's initial
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
    statistics: list[tuple[str, tuple[int, int]]]
    frozen: list[str]
    stages: dict[str, StageFunction]
    initializers: list[Initializer]
    initial: list[tuple[str, str, str]]
    helpers: list[Function]
    state: StageFunction
    schedule: StageFunction
    central_difference: str
    relative_error: str
    checks: str


def names_in(expr: Basic) -> set[str]:
    """Array names an expression reads (symbols, matrix symbols and indexed bases)."""
    names = {str(s.name) for s in expr.atoms(MatrixSymbol)}
    names |= {str(a.base.label) for a in expr.atoms(Indexed)}
    names |= {s.name for s in expr.free_symbols if isinstance(s, Symbol) and not s.is_integer}
    names -= {str(LEARNING_RATE), str(MOMENTUM), str(N)}
    return names


def network_module(program: Program) -> NetworkModule:
    """Print every stage of ``program``, and what training it needs, for the network template."""
    spec = program.spec
    parameter_names = [p.name for p in program.parameters]
    statistic_names = [p.name for p in program.statistics]
    forward_names = list(dict.fromkeys(a.target for a in program.stage(Stage.FORWARD)))
    sources = {name: "params" for name in parameter_names + statistic_names}
    sources.update({name: "cache" for name in forward_names})
    sources.update({f"d{name}": "grads" for name in parameter_names})
    sources.update({v.name: "state" for v in program.state})
    stages = {
        Stage.FORWARD: forward_names,
        Stage.LOSS: ["cost"],
        Stage.PENALTY: [a.target for a in program.stage(Stage.PENALTY)],
        Stage.BACKWARD: [f"d{name}" for name in parameter_names],
        Stage.UPDATE: parameter_names,
        Stage.STATISTICS: statistic_names,
    }
    arguments = {
        Stage.FORWARD: {"x"}, Stage.LOSS: {"y", "out"}, Stage.PENALTY: set(), Stage.BACKWARD: {"x", "y"},
        Stage.UPDATE: set(), Stage.STATISTICS: set(),
    }
    printed = {
        stage.value: _stage(program, stage, outputs, arguments[stage], sources)
        for stage, outputs in stages.items()
    }
    widths = [str(spec.inputs)] + [f"{layer.units} ({layer.activation})" for layer in spec.layers]
    trained = {a.target for a in program.stage(Stage.UPDATE)}
    return NetworkModule(
        name=spec.name, description=docstring_text(spec.description), source=spec.source,
        architecture=" -> ".join(widths), loss=spec.loss, inputs=spec.inputs, outputs=spec.layers[-1].units,
        learning_rate=spec.learning_rate, momentum=spec.optimizer.momentum,
        schedule_kind=spec.optimizer.schedule.kind.value,
        parameters=[(p.name, p.shape) for p in program.parameters],
        statistics=[(p.name, p.shape) for p in program.statistics],
        frozen=[name for name in parameter_names if name not in trained], stages=printed,
        **_initialisers(program), state=_initial_state(program), schedule=_schedule(program),
        helpers=helper_functions(a.expr for a in program.assignments),
        central_difference=Body().code(CENTRAL_DIFFERENCE), relative_error=Body().code(RELATIVE_ERROR),
        checks=runtime_source("network_checks.py"),
    )


def runtime_source(name: str) -> str:
    """Every top-level function of ``codegen/runtime/<name>``, as written, for a template to include."""
    text = (RUNTIME / name).read_text(encoding="utf-8")
    functions = [node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)]
    return "\n\n\n".join(ast.get_source_segment(text, node) for node in functions)


def _initialisers(program: Program) -> dict:
    """Each array's initialiser, the functions printed once each."""
    chosen = [(p.name, p.init, "PARAMETERS") for p in program.parameters]
    chosen += [(p.name, p.init, "STATISTICS") for p in program.statistics]
    return {"initializers": initializer_functions(list(program.initializers)), "initial": chosen}


def _initial_state(program: Program) -> StageFunction:
    """The optimiser's state before the first update: each velocity in its parameter's shape."""
    body = Body()
    for velocity in program.state:
        body.assign(velocity.name, velocity.initial, like=velocity.parameter)
    unpack = [(v.parameter, "params") for v in program.state]
    return StageFunction(Stage.UPDATE, unpack, [Block(Mode.ALWAYS.value, body.statements)],
                         [v.name for v in program.state], [])


def _schedule(program: Program) -> StageFunction:
    """The learning rate at ``epoch``; its one output is the printed expression."""
    body = Body()
    result = body.code(program.learning_rate)
    return StageFunction(Stage.UPDATE, [], [Block(Mode.ALWAYS.value, body.statements)], [result], [])


def _stage(program: Program, stage: Stage, outputs: list[str], arguments: set[str], sources: dict) -> StageFunction:
    """Print one stage: its sizes first, then its assignments in blocks of one mode each."""
    assignments = program.stage(stage)
    top = Body()
    for size, axis in ((N, 0), (C, 1)):
        # Sizes of the batch and of the output layer, read off the targets y: (N, C), or the inputs x.
        if any(reads_size(a.expr, size) for a in assignments):
            top.add(str(size), f"{'y' if 'y' in arguments else 'x'}.shape[{axis}]")
    blocks = [Block(Mode.ALWAYS.value, top.statements)] if top.statements else []
    computed = {a.target for a in assignments}
    # An output no assignment computes (a frozen layer's parameter) is passed through as read.
    needed = [name for name in outputs if name not in computed]
    assigned, drawing = set(), False
    for mode, group in groupby(assignments, key=lambda a: a.mode):
        body = top.branch()
        for assignment in group:
            for name in sorted(names_in(assignment.expr) - assigned - arguments):
                if name not in needed:
                    needed.append(name)
            if assignment.expr.has(UniformDraw) and not drawing:
                body.add("rng", "np.random.default_rng(rng)")
                drawing = True
            body.assign(assignment.target, assignment.expr, like=assignment.shape)
            assigned.add(assignment.target)
        blocks.append(Block(mode.value, body.statements))
    order = {name: index for index, name in enumerate(sources)}
    unpack = [(name, sources[name]) for name in sorted(needed, key=lambda n: order.get(n, len(order)))]
    training_only = {a.target for a in assignments if a.mode is Mode.TRAINING}
    training_only -= {a.target for a in assignments if a.mode is not Mode.TRAINING}
    return StageFunction(
        stage=stage, unpack=unpack, blocks=blocks,
        outputs=[name for name in outputs if name not in training_only],
        training_outputs=[name for name in outputs if name in training_only],
    )
