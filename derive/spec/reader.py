"""Checked reading of one TOML table of a network spec.

``Reader`` wraps a table with its field path (``layers[1]``,
``optimizer.schedule``) so that every problem, from a misspelled key to a
number out of range, becomes one ``SpecError`` naming the file, the full
field path, what was wrong and what is accepted.
"""

import difflib
import math
import reprlib
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["SpecError", "Interval", "Reader", "type_name", "shown", "one_line", "finite"]


def one_line(text: str) -> str:
    """``text`` with every unprintable character (newline, control, lone surrogate) as its Python escape.

    Error messages, file names quoted in generated comments and docstrings stay on one line this way.
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)


class SpecError(ValueError):
    """A spec that cannot be used: names the file, the field, the problem and what is accepted.

    The message is one line whatever the file name, keys or values it quotes.
    """

    def __init__(self, source: str, field: str, problem: str, accepted: str = "") -> None:
        message = f"{source}: {field}: {problem}"
        if accepted:
            message += f" (accepted: {accepted})"
        super().__init__(one_line(message))
        self.source, self.field = source, field


class _Shown(reprlib.Repr):
    """``repr`` cut short, for quoting a spec's values in an error message."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother, self.maxlist, self.maxdict = 2, 40, 40, 4, 4

    def repr_int(self, value: int, level: int) -> str:
        # repr of an integer of more than 4300 digits raises; TOML's hexadecimal integers reach that.
        if value.bit_length() <= 128:
            return repr(value)
        return f"<an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits>"


def shown(value: Any) -> str:
    """A short, one-line ``repr`` of ``value`` for an error message."""
    return _Shown().repr(value)


#: Characters of a key quoted as it is in a field path; any other key is quoted with ``repr``.
_PLAIN_KEY = set(string.ascii_letters + string.digits + "_-")


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


def finite(value: int | float) -> bool:
    """Whether ``value`` is a finite float or an integer within the range of floats."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _did_you_mean(value: str, accepted: list[str]) -> str:
    """``"; did you mean 'relu'?"`` naming the accepted string ``value`` was probably meant as, or ``""``.

    The same string but for case comes first, then the closest by ``difflib``.
    """
    close = [a for a in accepted if a.casefold() == value.casefold()] or difflib.get_close_matches(value, accepted, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


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
            key = unknown[0] if len(unknown[0]) <= 40 and set(unknown[0]) <= _PLAIN_KEY else shown(unknown[0])
            raise self.error(key, f"unknown {noun}{_did_you_mean(unknown[0], fields)}", ", ".join(fields) or "none")
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
            raise self.error(key, f"expected {expected}, got {type_name(value)} {shown(value)}", accepted)
        return value

    def choice(self, key: str, choices: Iterable[str], default: Any = ...) -> str:
        """A string that must be one of ``choices``; an unknown one is told the closest choice."""
        choices = list(choices)
        accepted = ", ".join(choices)
        value = self.get(key, str, default, accepted)
        if value not in choices:
            raise self.error(key, f"unknown value {shown(value)}{_did_you_mean(value, choices)}", accepted)
        return value

    def number(self, key: str, interval: Interval, default: Any = ...) -> float:
        """An integer or float inside ``interval``, as a float."""
        value = self.get(key, (int, float), default, str(interval))
        if not finite(value):
            problem = "is beyond the range of floats" if isinstance(value, int) else "is not finite"
            raise self.error(key, f"{shown(value)} {problem}", str(interval))
        if float(value) not in interval:
            raise self.error(key, f"{float(value)!r} is out of range", str(interval))
        return float(value)

    def count(self, key: str, most: int, default: Any = ...) -> int:
        """An integer from 1 to ``most``."""
        accepted = f"an integer from 1 to {most:,}"
        value = self.get(key, int, default, accepted)
        if value is not None and not 1 <= value <= most:
            raise self.error(key, f"{shown(value)} is out of range", accepted)
        return value

    def forbid(self, keys: Iterable[str], reason: str, accepted: str = "") -> None:
        """Reject the first of ``keys`` present in the table, saying why it does not apply."""
        for key in keys:
            if key in self.table:
                raise self.error(key, reason, accepted)
