"""A network's derivation as one straight-line program of named assignments.

A ``Program`` (built by ``derive.program.build.derive_network``) lists each
stage's assignments in order: forward, loss, penalty, backward, update and
running statistics.  It is what ``codegen`` prints, what LaTeX shows, and what
a trace evaluates.  Assignments that differ between training and inference say
so in their ``mode``.  Names follow the seed notebook:
``inp1, h1, ..., out, cost, dout, dinp3, dw3``.
"""

from dataclasses import dataclass
from enum import Enum

from sympy import Basic, Expr, Symbol

from derive.catalog.activations import Activation
from derive.catalog.initializers import Initializer
from derive.catalog.losses import Loss
from derive.layers.optimizers import LEARNING_RATE, Velocity, update_steps
from derive.spec.model import NetworkSpec
from derive.core.symbols import N
from derive.core.shown_as_math import ShownAsMath

__all__ = ["Stage", "Mode", "Assignment", "NetworkArray", "FoldedStep", "Program", "LEARNING_RATE", "THETA"]

#: The name of every trained array laid end to end, as in-place training updates them.
THETA = "theta"


class Stage(str, Enum):
    """Which generated function an assignment belongs to."""

    FORWARD = "forward"
    LOSS = "loss"
    PENALTY = "penalty"
    BACKWARD = "backward"
    UPDATE = "update"
    STATISTICS = "statistics"
    PROBABILITIES = "probabilities"


class Mode(str, Enum):
    """When a forward assignment runs: always, only in training, or only in inference."""

    ALWAYS = "always"
    TRAINING = "training"
    INFERENCE = "inference"


@dataclass(frozen=True)
class Assignment:
    """``target = expr`` in one stage; ``layer`` is 1-based, 0 for the loss.

    ``expr`` is the form code computes; ``definition``, when given, is the
    same quantity as defined (``1/(1 + exp(-inp1))`` rather than its stable
    piecewise form), which is what a reader wants to see.  A target computed
    one way in training and another in inference has one assignment per mode.
    ``shape`` is the target's shape, ``()`` for a number, where the expression
    may fold to a constant that no longer shows it (a penalty of strength 0).
    """

    target: str
    expr: Basic
    stage: Stage
    layer: int
    role: str
    definition: Basic | None = None
    mode: Mode = Mode.ALWAYS
    shape: tuple[int, ...] | None = None

    @property
    def shown(self) -> Basic:
        return self.expr if self.definition is None else self.definition


@dataclass(frozen=True)
class NetworkArray:
    """An array of the network, its shape, its layer and the catalogue initialiser that fills it."""

    name: str
    shape: tuple[int, int]
    layer: int
    init: str


@dataclass(frozen=True)
class FoldedStep:
    """The training step as in-place training runs it (``derive.program.fold``).

    ``backward`` is the training-mode backward pass with every gradient
    ``learning_rate`` times the true one; ``update`` reads those scaled
    gradients of ``theta``, every trained array end to end, and ``velocities``
    are momentum's; both are empty when every layer is frozen.
    """

    backward: tuple[Assignment, ...]
    update: tuple[Assignment, ...]
    velocities: tuple[Velocity, ...]


@dataclass(frozen=True, repr=False)
class Program(ShownAsMath):
    """The derivation of a whole network: parameters and ordered assignments.

    ``parameters`` are trained by the gradients; ``statistics`` are the
    running means and variances of batch normalisation, which training
    moves and inference reads.  ``state`` is what the optimiser keeps between updates (momentum's
    velocities); ``learning_rate`` is the schedule, an expression of the
    epoch and the spec's base rate (``derive.layers.optimizers``).  ``initializers`` are the
    catalogue initialisers the arrays name, and ``folded`` the training step with
    the learning rate folded in: a printer needs nothing else.
    ``probabilities`` (stage ``PROBABILITIES``, kept apart from the training
    program) computes ``proba``, the class probabilities of the output
    ``out``, from the loss's probability map; empty for a regression loss.
    """

    spec: NetworkSpec
    parameters: tuple[NetworkArray, ...]
    statistics: tuple[NetworkArray, ...]
    assignments: tuple[Assignment, ...]
    loss: Loss
    activations: tuple[Activation, ...]
    state: tuple[Velocity, ...]
    learning_rate: Expr
    initializers: tuple[Initializer, ...]
    folded: FoldedStep
    probabilities: tuple[Assignment, ...] = ()

    def stage(self, stage: Stage, mode: Mode | None = None) -> list[Assignment]:
        """The assignments of ``stage``; of those that depend on the mode, only ``mode``'s when given."""
        return [
            a for a in self.assignments
            if a.stage is stage and (mode is None or a.mode in (Mode.ALWAYS, mode))
        ]

    @property
    def trained(self) -> tuple[NetworkArray, ...]:
        """The parameters of layers with ``trainable = true``, which the update changes."""
        return tuple(p for p in self.parameters if self.spec.layers[p.layer - 1].trainable)

    @property
    def classes(self) -> int | None:
        """A classifier's number of classes (2 for a single binary output); None for a regression loss."""
        inputs, outputs = self.loss.inputs, self.spec.layers[-1].units
        if not inputs.classification:
            return None
        return 2 if outputs == 1 and not inputs.one_hot else outputs

    def flat_update(self) -> tuple[list[Assignment], list[Velocity]]:
        """The update rule applied once to ``theta``, every trained array end to end, with gradient ``dtheta``.

        Each array's update is the same rule, entry by entry, so one update of
        the concatenation is all of them; velocities likewise become ``vtheta``.
        """
        size = sum(rows * columns for rows, columns in (p.shape for p in self.trained))
        steps, velocities = update_steps(self.spec.optimizer, THETA, (1, size))
        return [Assignment(s.target, s.expr, Stage.UPDATE, 0, "update") for s in steps], velocities

    @property
    def sizes(self) -> dict[Symbol, tuple[str, int]]:
        """Size symbols and where generated code reads them: ``N = x.shape[0]``."""
        return {N: ("x", 0)}
