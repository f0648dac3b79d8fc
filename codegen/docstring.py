"""Text placed inside a generated module's ``\"\"\"`` docstring, escaped so it reads back unchanged.

A spec's description reaches the docstring; escaped here, no text can close
the string early, form an invalid escape (a ``SyntaxWarning``) or change on
reading (a carriage return would become a newline).
"""

from derive.spec.reader import one_line

__all__ = ["docstring_text"]


def docstring_text(text: str) -> str:
    """``text`` for a non-raw ``\"\"\"`` literal: backslashes and quotes escaped, unprintable characters as escapes."""
    return one_line(text.replace("\\", "\\\\").replace('"', '\\"'))
