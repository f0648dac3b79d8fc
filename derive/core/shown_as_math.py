"""How a derivation shows itself: mathematics in Jupyter, a few readable lines as text.

The printers are imported when an object is shown, not when the maths is
imported, so ``import derive`` loads no presentation code.  A dataclass
mixing this in sets ``repr=False`` so that its ``repr`` is this one line.
"""

__all__ = ["ShownAsMath"]


class ShownAsMath:
    """A derivation Jupyter renders through ``derive.presentation.notebook``, text through ``plain_text``."""

    def _repr_latex_(self) -> str:
        from derive.presentation.notebook import math_of

        return math_of(self)

    def __str__(self) -> str:
        from derive.presentation.plain_text import text_of

        return text_of(self)

    def __repr__(self) -> str:
        from derive.presentation.plain_text import summary_of

        return summary_of(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """IPython's display: the same lines as ``str``."""
        printer.text(repr(self) if cycle else str(self))
