"""Template context of a network module's ``Trainer``: one training step printed in place.

The step is the program's training-mode forward, loss and penalty
assignments, its backward pass with the learning rate folded in
(``derive.program.fold``: every gradient comes out ``learning_rate`` times the true
one), then its update applied once to ``theta`` (every trained array end to
end, ``Program.flat_update``), which so needs no multiplication; all printed by ``codegen.inplace``:
parameters and gradients are views of flat arrays, intermediates are
buffers allocated once per batch size, and the elementwise
assignments of the whole step share their common subexpressions (the loss's and its
gradient's ``exp`` of the logits, GELU's ``Phi`` forward and backward).  Assignments no trained gradient,
cost or statistic needs (a frozen layer's gradients) are left out, and an
assignment repeated unchanged (the loss's shifted logits) is computed once.
"""

from dataclasses import dataclass

from derive.layers.dropout import UniformDraw
from derive.program.network import THETA, Assignment, Mode, Program, Stage
from derive.core.symbols import N

from .emit import Body
from .buffers import Buffers
from .inplace import InplaceBody
from .operations import Shape
from .lowering import size_bindings
from .network_module import names_in, runtime_source
from .row_blocks import row_blocks

__all__ = ["Slot", "TrainerCode", "trainer_code"]


@dataclass(frozen=True)
class Slot:
    """An array stored in a flat buffer: ``name`` is ``buffer[start:start + size]`` in ``shape``."""

    name: str
    start: int
    shape: tuple[int, int]

    @property
    def stop(self) -> int:
        return self.start + self.shape[0] * self.shape[1]


@dataclass(frozen=True)
class TrainerCode:
    """Everything the ``Trainer`` template lays out.

    ``slots`` place parameters (trained first) and statistics in one flat
    array of ``size`` entries, whose first ``trained`` entries are ``theta``;
    ``gradients`` and ``velocities`` place ``dK`` and ``vK`` in ``dtheta`` and
    ``vtheta``.  ``buffers`` are ``(name, shape code, dtype)`` per batch size,
``bindings`` name each intermediate and the buffer it lives in (several
share one when their uses do not overlap, ``Buffers.storage``);
    ``sizes`` the size statements, ``lines`` the step up to the gradients, ``after`` the statistics' and
    parameters' updates (the gradients are checked in between), ``cost`` what it returns.
    ``blocks`` are ``lines`` with their runs of row-wise calls as calls of block functions the
    trainer's threads share (``codegen.row_blocks``; none: nothing to split), ``block_functions``
    the lines of each, printed as static methods, ``widest`` the columns the widest writes a row;
    ``threads`` the runtime methods that run them.
    """

    slots: list[Slot]
    size: int
    trained: int
    gradients: list[Slot]
    velocities: list[Slot]
    velocity_start: str | None
    buffers: list[tuple[str, str, str]]
    bindings: list[tuple[str, str]]
    sizes: list[tuple[str, str]]
    lines: list[str]
    after: list[str]
    cost: str
    draws: bool
    blocks: list[str]
    block_functions: list[list[str]]
    widest: int
    threads: str


def trainer_code(program: Program) -> TrainerCode:
    """Print ``program``'s in-place training step and the layout of its flat arrays."""
    slots, start = [], 0
    trained = program.trained
    others = [p for p in program.parameters if p not in trained] + list(program.statistics)
    for parameter in list(trained) + others:
        slots.append(Slot(parameter.name, start, parameter.shape))
        start = slots[-1].stop
    size_trained = sum(slot.stop - slot.start for slot in slots[:len(trained)])
    gradients = [Slot(f"d{s.name}", s.start, s.shape) for s in slots[:len(trained)]]
    update, velocities = list(program.folded.update), program.folded.velocities
    state = {v.parameter: v.name for v in program.state}
    spec = program.spec
    shapes: dict[str, Shape] = {"x": (N, spec.inputs), "y": (N, spec.layers[-1].units)}
    shapes.update({s.name: s.shape for s in slots + gradients})
    shapes.update({THETA: (1, size_trained), f"d{THETA}": (1, size_trained), f"v{THETA}": (1, size_trained)})
    buffers = Buffers()
    body = InplaceBody(shapes, buffers, declared={a.target: a.shape for a in program.assignments if a.shape})
    owned = {s.name for s in slots + gradients}
    step = _needed(program, {g.name for g in gradients} | {s.name for s in program.statistics})
    owned |= {THETA, f"v{THETA}"}
    gradients_step = [a for a in step if a.stage is not Stage.STATISTICS]
    body.assign_all([(a.target, a.expr, a.target in owned) for a in gradients_step])
    split = len(body.calls)
    body.assign_all([(a.target, a.expr, a.target in owned) for a in step[len(gradients_step):] + update])
    holder = buffers.storage(body.calls)
    blocks = row_blocks(body.calls[:split], {**body.shapes, **{n: s for n, (s, _) in buffers.shapes.items()}}, N)
    cost = "cost + penalty" if program.stage(Stage.PENALTY) else "cost"
    sizes = size_bindings([a.expr for a in step], "x", "y")
    return TrainerCode(
        slots=slots, size=start, trained=size_trained, gradients=gradients,
        velocities=[Slot(state[s.name], s.start, s.shape) for s in slots[:len(trained)] if s.name in state],
        velocity_start=Body().code(velocities[0].initial, like=THETA) if velocities else None,
        buffers=[(name, _shape_code(shape), dtype) for name, (shape, dtype) in buffers.shapes.items()
                 if holder[name] == name],
        bindings=list(holder.items()),
        sizes=sizes, lines=body.lines[:split], after=body.lines[split:], cost=cost, draws=any(a.expr.has(UniformDraw) for a in step),
        blocks=blocks.lines if blocks.widest else [], block_functions=blocks.functions, widest=blocks.widest,
        threads=runtime_source("trainer_threads.py", *_THREADS),
    )


#: The methods of ``codegen/runtime/trainer_threads.py`` a ``Trainer`` includes.
_THREADS = ("Trainer._start_threads", "Trainer.close", "Trainer.__del__", "Trainer._rows")


def _needed(program: Program, outputs: set[str]) -> list[Assignment]:
    """Training-mode assignments up to the (scaled) gradients, without those no output reads, each computed once."""
    stages = [program.stage(stage, Mode.TRAINING) for stage in (Stage.FORWARD, Stage.LOSS, Stage.PENALTY)]
    stages += [list(program.folded.backward), program.stage(Stage.STATISTICS)]
    assignments, seen = [], {}
    for assignment in (a for stage in stages for a in stage):
        if seen.get(assignment.target) == assignment.expr:
            continue
        seen[assignment.target] = assignment.expr
        assignments.append(assignment)
    needed, kept = set(outputs) | {"cost", "penalty"}, []
    for assignment in reversed(assignments):
        if assignment.target in needed:
            kept.append(assignment)
            needed |= names_in(assignment.expr)
    return kept[::-1]


def _shape_code(shape: Shape) -> str:
    return "(" + ", ".join(str(side) for side in shape) + ")"
