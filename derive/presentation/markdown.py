"""GitHub Markdown pieces: escaped prose, headings and display math.

GitHub renders ``$$ … $$`` blocks with MathJax.  It does not accept an
``align*`` environment there but does accept ``aligned``, so rows that LaTeX
lays out with ``align*`` go into ``aligned`` inside ``$$``.  Jupyter renders
the same blocks.
"""

import re
from collections.abc import Sequence

__all__ = ["escape", "heading", "display_math"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$])")


def escape(text: str) -> str:
    """Prose with Markdown's special characters escaped, so ``y_pred**2`` prints as written."""
    return _SPECIAL.sub(r"\\\1", text)


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}"


def display_math(rows: Sequence[str]) -> str:
    """Aligned rows (``lhs &= rhs``) as one display-math block."""
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"
