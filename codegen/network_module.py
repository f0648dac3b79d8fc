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

from derive.catalog.losses import BINARY_THRESHOLD
from derive.program.gradient_check import CENTRAL_DIFFERENCE, RELATIVE_ERROR
from derive.layers.dropout import UniformDraw
from derive.program.network import Mode, Program, Stage
from derive.layers.optimizers import LEARNING_RATE, MOMENTUM
from derive.core.symbols import N

from .architecture import architecture
from .docstring import docstring_text
from .emit import Body, Statement
from .catalogue_module import Function, Initializer, initializer_functions
from .helpers import helper_functions
from .lowering import size_bindings

__all__ = ["Block", "StageFunction", "NetworkModule", "NETWORK_RUNTIME", "network_module", "runtime_source"]

#: Plain Python that generated modules include as it is (``codegen/runtime/``): no mathematics.
RUNTIME = Path(__file__).resolve().parent / "runtime"
#: The runtime pieces a network module includes, each placed by the template: the file and its definitions.
NETWORK_RUNTIME = {
    "checks": ("network_checks.py", ()),
    "training_pass": ("network_passes.py", ("_training_pass",)),
    "tables": ("network_tables.py", ()),
    "passes": ("network_passes.py", ("_cost", "predict")),
    "gradient_check": ("gradient_check.py", ()),
    "freezing": ("network_freezing.py", ()),
    "trainer": ("trainer_shell.py", ("Trainer.copy_params", "Trainer._frozen_copies", "Trainer._put_back")),
    "fit": ("network_fit.py", ()),
    "classes": ("network_classes.py", ()),
    "storage": ("network_storage.py", ()),
}


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

    ``description`` is the spec's, escaped for the module's docstring; ``reduction`` the loss's when the
    spec sets one; ``layers`` each layer's number (from 1) and parameters; ``frozen`` those with
    ``trainable = false``.  ``helpers`` are private functions the printed code calls (``_sigmoid``);
    ``initial`` names each array, the private initialiser function that fills it and the table of its
    shape (``PARAMETERS`` or ``STATISTICS``); ``state`` holds the statements of the optimiser's initial
    state (empty for plain gradient descent); ``schedule`` the statements and result of the learning
    rate at ``epoch``.  A classifier (a classification loss) has ``classes``, its number of classes (2
    for a single binary output), ``probabilities``, the printed probability map of ``out``, ``takes``,
    what its loss takes (``one_hot_logits``...), and for a single binary output ``threshold``; all
    None for a regression loss.  ``images``: its inputs are images, stored flat.  ``runtime`` holds the
    source of each piece of ``NETWORK_RUNTIME``, the gradient check's formulas printed into it.
    """

    name: str
    description: str
    source: str
    architecture: str
    loss: str
    reduction: str | None
    inputs: int
    outputs: int
    learning_rate: float
    momentum: float | None
    schedule_kind: str
    parameters: list[tuple[str, tuple[int, int]]]
    statistics: list[tuple[str, tuple[int, int]]]
    layers: list[tuple[int, list[str]]]
    frozen: list[str]
    stages: dict[str, StageFunction]
    initializers: list[Initializer]
    initial: list[tuple[str, str, str]]
    helpers: list[Function]
    state: StageFunction
    schedule: StageFunction
    central_difference: str
    relative_error: str
    runtime: dict[str, str]
    classes: int | None = None
    probabilities: StageFunction | None = None
    takes: str | None = None
    threshold: float | None = None
    images: bool = False


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
    widths = architecture(spec)
    formulas = {"_central_difference": Body().code(CENTRAL_DIFFERENCE), "_relative_error": Body().code(RELATIVE_ERROR)}
    return NetworkModule(
        name=spec.name, description=docstring_text(spec.description), source=spec.source,
        architecture=" -> ".join(widths), loss=spec.loss,
        reduction=spec.loss_reduction and spec.loss_reduction.value, inputs=spec.inputs, outputs=spec.layers[-1].units,
        learning_rate=spec.learning_rate, momentum=spec.optimizer.momentum,
        schedule_kind=spec.optimizer.schedule.kind.value,
        parameters=[(p.name, p.shape) for p in program.parameters],
        statistics=[(p.name, p.shape) for p in program.statistics],
        layers=[(k, [p.name for p in program.parameters if p.layer == k]) for k in range(1, len(spec.layers) + 1)],
        frozen=[p.name for p in program.parameters if p not in program.trained], stages=printed,
        **_initialisers(program), state=_initial_state(program), schedule=_schedule(program),
        helpers=helper_functions(a.expr for a in program.assignments),
        central_difference=formulas["_central_difference"], relative_error=formulas["_relative_error"],
        runtime={piece: runtime_source(file, *only, printed=formulas)
                 for piece, (file, only) in NETWORK_RUNTIME.items()},
        **_classifier(program, sources), images=spec.input_shape is not None,
    )


def _classifier(program: Program, sources: dict) -> dict:
    """A classifier's number of classes, printed probabilities of ``out`` and threshold; nothing for regression."""
    if program.classes is None:
        return {}
    binary = program.spec.layers[-1].units == 1 and program.classes == 2
    probabilities = _stage(program, Stage.PROBABILITIES, ["proba"], {"out"}, sources, list(program.probabilities))
    return {"classes": program.classes, "probabilities": probabilities, "takes": program.loss.inputs.name.lower(),
            "threshold": float(BINARY_THRESHOLD) if binary else None}


def runtime_source(name: str, *only: str, printed: dict[str, str] | None = None) -> str:
    """Top-level functions of ``codegen/runtime/<name>``, as written and in its order, for a template to include.

    ``only`` picks definitions by name, a method as ``Class.method`` (kept
    indented as in its class); by default every top-level function is
    included.  ``printed`` maps a stand-in's name to code printed from
    ``derive``, which replaces each call of it: the call's arguments are the
    names the printed code may read, and the call must be a whole right-hand
    side, returned value or argument, so no parentheses are needed.
    """
    text = (RUNTIME / name).read_text(encoding="utf-8")
    definitions = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            definitions[node.name] = node
        elif isinstance(node, ast.ClassDef):
            methods = (f for f in node.body if isinstance(f, ast.FunctionDef))
            definitions.update({f"{node.name}.{f.name}": f for f in methods})
    wanted = set(only) if only else {n for n in definitions if "." not in n}
    if wanted - set(definitions):
        raise ValueError(f"codegen/runtime/{name} defines no {', '.join(sorted(wanted - set(definitions)))}")
    chosen = [_filled(text, definitions[n], printed or {}) for n in definitions if n in wanted]
    return ("\n\n" if all("." in n for n in wanted) else "\n\n\n").join(chosen)


def _filled(text: str, definition: ast.FunctionDef, printed: dict[str, str]) -> str:
    """The source of ``definition``, each call of a name in ``printed`` replaced by its printed code."""
    source = ast.get_source_segment(text, definition, padded=True)
    for parent in ast.walk(definition):
        for child in ast.iter_child_nodes(parent):
            if not (isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in printed):
                continue
            if not (isinstance(parent, (ast.Assign, ast.Return)) and parent.value is child or
                    isinstance(parent, ast.Call) and child in parent.args):
                raise ValueError(f"{child.func.id}: a printed formula replaces a whole right-hand side, "
                                 "returned value or argument")
            code = printed[child.func.id]
            readable = {a.id for a in child.args if isinstance(a, ast.Name)} | {"np"}
            read = {n.id for n in ast.walk(ast.parse(code, mode="eval")) if isinstance(n, ast.Name)}
            if read - readable:
                raise ValueError(f"{child.func.id}: the printed {code} reads {', '.join(sorted(read - readable))}")
            source = source.replace(ast.get_source_segment(text, child), code)
    return source


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


def _stage(program: Program, stage: Stage, outputs: list[str], arguments: set[str], sources: dict,
           assignments: list | None = None) -> StageFunction:
    """Print one stage (or ``assignments`` given): its sizes first, then its assignments in blocks of one mode each."""
    assignments = program.stage(stage) if assignments is None else assignments
    top = Body()
    # Sizes of the batch and of the output layer, read off the targets y: (N, C), the output out, or the inputs x.
    reader = next(name for name in ("y", "out", "x") if name in arguments or name == "x")
    for size, code in size_bindings([a.expr for a in assignments], reader, reader):
        top.add(size, code)
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
