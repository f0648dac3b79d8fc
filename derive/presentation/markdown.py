"""GitHub Markdown pieces: escaped prose, headings and display math; documents written only when changed.

GitHub renders ``$$ … $$`` blocks with MathJax.  It does not accept an
``align*`` environment there but does accept ``aligned``, so rows that LaTeX
lays out with ``align*`` go into ``aligned`` inside ``$$``.  Jupyter renders
the same blocks.
"""

import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["escape", "heading", "display_math", "write_document", "document_current"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$])")


def escape(text: str) -> str:
    """Prose with Markdown's special characters escaped, so ``y_pred**2`` prints as written."""
    return _SPECIAL.sub(r"\\\1", text)


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}"


def display_math(rows: Sequence[str]) -> str:
    """Aligned rows (``lhs &= rhs``) as one display-math block."""
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"


def write_document(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it holds it already; return whether the file changed."""
    if document_current(path, text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def document_current(path: Path, text: str) -> bool:
    """True when the file at ``path`` holds exactly ``text``."""
    return path.is_file() and path.read_text(encoding="utf-8") == text
