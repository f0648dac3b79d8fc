"""Optimiser update rules and learning-rate schedules, as SymPy expressions.

The update stage of a network's program comes from here: gradient descent
``w = w - learning_rate*dw``, or momentum ``vw = momentum*vw - learning_rate*dw``
then ``w = w + vw`` with one velocity per trained array, starting at zero.
The learning rate at an epoch (counted from 0) is an expression of ``epoch``
and the base rate, one per schedule kind.  ``codegen`` prints both.
"""

from dataclasses import dataclass

from sympy import Expr, Float, MatrixSymbol, S, Symbol, floor

from derive.spec.model import OptimizerName, OptimizerSpec, ScheduleKind, ScheduleSpec

__all__ = [
    "LEARNING_RATE", "MOMENTUM", "EPOCH", "BASE_RATE", "Velocity", "UpdateStep", "update_steps", "learning_rate_at",
]

#: The step size of the update rules.
LEARNING_RATE = Symbol("learning_rate", positive=True)
#: The momentum coefficient of ``vw = momentum*vw - learning_rate*dw``.
MOMENTUM = Symbol("momentum", nonnegative=True)
#: The epoch a schedule is evaluated at, counted from 0.
EPOCH = Symbol("epoch", integer=True, nonnegative=True)
#: The spec's learning rate, which a schedule decays.
BASE_RATE = Symbol("base", positive=True)


@dataclass(frozen=True)
class Velocity:
    """Optimiser state kept between steps: ``name`` for the array ``parameter``, ``initial`` before the first."""

    name: str
    parameter: str
    initial: Expr


@dataclass(frozen=True)
class UpdateStep:
    """``target = expr``: one line of an update rule."""

    target: str
    expr: Expr


def update_steps(optimizer: OptimizerSpec, name: str, shape: tuple[int, int]) -> tuple[list[UpdateStep], list[Velocity]]:
    """The update of the array ``name`` from its gradient ``d<name>``, and the state it keeps."""
    value, gradient = MatrixSymbol(name, *shape), MatrixSymbol(f"d{name}", *shape)
    if optimizer.name is OptimizerName.SGD:
        return [UpdateStep(name, value - LEARNING_RATE * gradient)], []
    velocity = MatrixSymbol(f"v{name}", *shape)
    steps = [
        UpdateStep(velocity.name, MOMENTUM * velocity - LEARNING_RATE * gradient),
        UpdateStep(name, value + velocity),
    ]
    return steps, [Velocity(velocity.name, name, S.Zero)]


def learning_rate_at(schedule: ScheduleSpec) -> Expr:
    """The learning rate at ``EPOCH`` as an expression of ``BASE_RATE`` (see ``ScheduleKind``)."""
    if schedule.kind is ScheduleKind.NONE:
        return BASE_RATE
    rate = Float(schedule.rate)
    if schedule.kind is ScheduleKind.TIME_BASED:
        return BASE_RATE / (1 + rate * EPOCH)
    if schedule.kind is ScheduleKind.EXPONENTIAL:
        return BASE_RATE * rate**EPOCH
    return BASE_RATE * rate ** floor(EPOCH / schedule.step)
