"""The ``[optimizer]`` table of a network spec: optimiser, learning rate and its schedule.

Kept apart from the layers so each module has one job; the fields and their
meaning are documented in ``docs/specs.md``.
"""

from typing import Any

from derive.spec.model import OptimizerName, OptimizerSpec, ScheduleKind, ScheduleSpec
from derive.spec.reader import NON_NEGATIVE, POSITIVE, PROBABILITY, Interval, Reader

__all__ = ["read_optimizer"]


#: A decay factor lies in (0, 1] so that the learning rate never grows, reaches 0 or flips sign.
_DECAY = Interval(0.0, 1.0, low_closed=False, high_closed=True)
#: The values each schedule's ``rate`` accepts, and the fields each schedule takes.
_SCHEDULE_RATES = {
    ScheduleKind.TIME_BASED: NON_NEGATIVE, ScheduleKind.EXPONENTIAL: _DECAY, ScheduleKind.STAIRCASE: _DECAY,
}
_SCHEDULE_FIELDS = {
    ScheduleKind.NONE: ("kind",),
    ScheduleKind.TIME_BASED: ("kind", "rate"),
    ScheduleKind.EXPONENTIAL: ("kind", "rate"),
    ScheduleKind.STAIRCASE: ("kind", "rate", "step"),
}
_OPTIMIZER_FIELDS = ("name", "learning_rate", "momentum", "schedule")

#: Defaults of the ``[optimizer]`` table.
_LEARNING_RATE = 0.01
_MOMENTUM = 0.9
#: The longest stair of the staircase schedule, in epochs.
_MAX_STEP = 1_000_000


def read_optimizer(top: Reader) -> OptimizerSpec:
    """The spec's ``[optimizer]`` table, every field at its default when the table is absent."""
    table = Reader(top.source, "optimizer", top.get("optimizer", dict, {}), _OPTIMIZER_FIELDS)
    name = OptimizerName(table.choice("name", [o.value for o in OptimizerName], OptimizerName.SGD.value))
    momentum = None
    if name is OptimizerName.MOMENTUM:
        momentum = table.number("momentum", PROBABILITY, _MOMENTUM)
    else:
        table.forbid(
            ["momentum"], f"only the 'momentum' optimizer takes it, not {name.value!r}",
            "name = 'momentum', or no momentum field",
        )
    return OptimizerSpec(
        name=name,
        learning_rate=table.number("learning_rate", POSITIVE, _LEARNING_RATE),
        momentum=momentum,
        schedule=_read_schedule(table.source, table.get("schedule", dict, {"kind": ScheduleKind.NONE.value})),
    )


def _read_schedule(source: str, raw: Any) -> ScheduleSpec:
    """The ``[optimizer.schedule]`` table: its kind, then exactly the fields that kind takes."""
    everything = {key for fields in _SCHEDULE_FIELDS.values() for key in fields}
    table = Reader(source, "optimizer.schedule", raw, everything)
    kind = ScheduleKind(table.choice("kind", [k.value for k in ScheduleKind]))
    fields = _SCHEDULE_FIELDS[kind]
    table.forbid(
        sorted(everything - set(fields)), f"not a parameter of the {kind.value!r} schedule", ", ".join(fields)
    )
    return ScheduleSpec(
        kind=kind,
        rate=table.number("rate", _SCHEDULE_RATES[kind]) if "rate" in fields else None,
        step=table.count("step", _MAX_STEP) if "step" in fields else None,
    )
