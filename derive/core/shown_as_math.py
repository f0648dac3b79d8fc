"""Jupyter display of a derivation: the object is shown as its mathematics.

The printer is imported when an object is shown, not when the maths is
imported, so ``import derive`` loads no presentation code.
"""

__all__ = ["ShownAsMath"]


class ShownAsMath:
    """A derivation Jupyter renders through ``derive.presentation.notebook``."""

    def _repr_latex_(self) -> str:
        from derive.presentation.notebook import math_of

        return math_of(self)
