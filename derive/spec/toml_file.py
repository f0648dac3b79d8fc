"""A spec file read as TOML, bounded: its size is checked before parsing, and every failure is a ``SpecError``.

``tomllib`` reports bad TOML itself; a file too large would otherwise be
read whole, and one that is not UTF-8, nested deeper than the parser
recurses or holding an integer longer than Python converts would raise
``UnicodeDecodeError``, ``RecursionError`` or ``ValueError``.
"""

import sys
import tomllib
from pathlib import Path

from derive.spec.reader import SpecError

__all__ = ["MAX_FILE_BYTES", "read_toml"]

#: The largest spec file, in bytes; a larger one is refused before parsing.
MAX_FILE_BYTES = 1 << 20


def read_toml(path: Path, source: str) -> dict:
    """The TOML document in ``path``: at most ``MAX_FILE_BYTES`` of UTF-8 text, read before it is parsed."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:  # ValueError: a path holding a NUL character
        raise SpecError(source, "(file)", f"cannot be read: {getattr(error, 'strerror', None) or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError(source, "(file)", f"larger than {MAX_FILE_BYTES:,} bytes", "a spec file of at most 1 MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text: byte {raw[error.start]:#04x} at offset {error.start}"
        raise SpecError(source, "(file)", problem, "a TOML file in UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(source, "(file)", f"not valid TOML: {error}") from None
    except RecursionError:
        raise SpecError(source, "(file)", "arrays or tables nested too deeply to read",
                        "tables and arrays nested a few levels, as docs/specs.md shows") from None
    except ValueError:
        # The one other error of tomllib: int() of a decimal integer longer than Python converts.
        accepted = f"integers of at most {sys.get_int_max_str_digits():,} digits"
        raise SpecError(source, "(file)", "an integer too long to read", accepted) from None
