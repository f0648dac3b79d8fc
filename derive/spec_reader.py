"""Checked reading of one TOML table of a network spec.

``Reader`` wraps a table with its field path (``layers[1]``,
``optimizer.schedule``) so that every problem, from a misspelled key to a
number out of range, becomes one ``SpecError`` naming the file, the full
field path, what was wrong and what is accepted.
"""

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["SpecError", "Interval", "Reader", "type_name"]


class SpecError(ValueError):
    """A spec that cannot be used: names the file, the field, the problem and what is accepted."""

    def __init__(self, source: str, field: str, problem: str, accepted: str = "") -> None:
        message = f"{source}: {field}: {problem}"
        if accepted:
            message += f" (accepted: {accepted})"
        super().__init__(message)
        self.source, self.field = source, field


@dataclass(frozen=True)
class Interval:
    """The finite numbers a field accepts, e.g. ``[0, 1)`` for a dropout probability."""

    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = True
    high_closed: bool = False

    def __contains__(self, value: float) -> bool:
        above = value >= self.low if self.low_closed else value > self.low
        below = value <= self.high if self.high_closed else value < self.high
        return math.isfinite(value) and above and below

    def __str__(self) -> str:
        left, right = "[" if self.low_closed else "(", "]" if self.high_closed else ")"
        return f"a finite number in {left}{self.low:g}, {self.high:g}{right}"


#: Intervals shared by several fields.
POSITIVE = Interval(0.0, low_closed=False)
NON_NEGATIVE = Interval(0.0)
ANY_NUMBER = Interval()
PROBABILITY = Interval(0.0, 1.0)


def type_name(value: Any) -> str:
    """The TOML name of a parsed value's type, for error messages."""
    return {dict: "table", list: "array", str: "string", bool: "boolean", int: "integer", float: "float"}.get(
        type(value), type(value).__name__
    )


class Reader:
    """Typed access to one TOML table, reporting errors with the table's path.

    ``fields`` are the keys the table may hold; any other key is reported as
    an unknown ``noun`` (a field, or a parameter of some item), with the
    closest accepted key suggested.
    """

    def __init__(self, source: str, path: str, table: Any, fields: Iterable[str], noun: str = "field") -> None:
        self.source, self.path = source, path
        if not isinstance(table, dict):
            raise SpecError(source, path or "(top level)", f"expected a table, got {type_name(table)}")
        fields = sorted(fields)
        unknown = sorted(set(table) - set(fields))
        if unknown:
            close = difflib.get_close_matches(unknown[0], fields, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise self.error(unknown[0], f"unknown {noun}{hint}", ", ".join(fields) or "none")
        self.table = table

    def field(self, key: str) -> str:
        """The full path of ``key`` in this table: ``layers[1].units``."""
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str, accepted: str = "") -> SpecError:
        """A ``SpecError`` about ``key`` of this table."""
        return SpecError(self.source, self.field(key), problem, accepted)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., accepted: str = "") -> Any:
        """The value of ``key``, which must have type ``kind``; ``default`` when absent, else required.

        ``accepted`` describes the values a required field takes (default: its type).
        """
        kinds = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(type_name(k()) for k in kinds)
        if key not in self.table:
            if default is ...:
                raise self.error(key, "missing required field", accepted or expected)
            return default
        value = self.table[key]
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            raise self.error(key, f"expected {expected}, got {type_name(value)} {value!r}", accepted)
        return value

    def choice(self, key: str, choices: Iterable[str], default: Any = ...) -> str:
        """A string that must be one of ``choices``."""
        choices = list(choices)
        accepted = ", ".join(choices)
        value = self.get(key, str, default, accepted)
        if value not in choices:
            raise self.error(key, f"unknown value {value!r}", accepted)
        return value

    def number(self, key: str, interval: Interval, default: Any = ...) -> float:
        """An integer or float inside ``interval``, as a float."""
        value = float(self.get(key, (int, float), default, str(interval)))
        if value not in interval:
            raise self.error(key, f"{value!r} is out of range", str(interval))
        return value

    def positive_int(self, key: str, default: Any = ...) -> int:
        """An integer of at least 1."""
        accepted = "an integer >= 1"
        value = self.get(key, int, default, accepted)
        if value is not None and value < 1:
            raise self.error(key, f"must be at least 1, got {value}", accepted)
        return value

    def forbid(self, keys: Iterable[str], reason: str, accepted: str = "") -> None:
        """Reject the first of ``keys`` present in the table, saying why it does not apply."""
        for key in keys:
            if key in self.table:
                raise self.error(key, reason, accepted)
