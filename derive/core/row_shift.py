"""Logits shifted by their row maximum, the input softmax and log-sum-exp see in code.

``ShiftRows(z[n, i])`` is ``z[n, i] - max_k z[n, k]``: every entry of a row
at most 0, so ``exp`` of it cannot overflow.  Code computes it as
``computed_form``, the difference floored at about ``-Largest(z)``, so that
a row spanning more than the float range cannot overflow either.
"""

import numpy as np
from sympy import Expr, Float, Function, Indexed, Max

from derive.core.symbols import i, indexed, n

__all__ = ["RowMax", "Largest", "ShiftRows"]


class RowMax(Function):
    """``RowMax(z, n)``: the largest entry of row ``n`` of the array ``z``."""

    is_real = True

    def _latex(self, printer, exp=None) -> str:
        base, row = self.args
        text = rf"\max_{{k}} {printer._print(base)}_{{{printer._print(row)}, k}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


class Largest(Function):
    """``Largest(z)``: the largest finite number of the floating type of array ``z``.

    Code prints it from the array's dtype (``np.finfo``), so float32 and
    float64 each get their own.
    """

    is_real = True
    is_positive = True

    def _eval_evalf(self, prec: int) -> Float:
        # Evaluated with numbers (a trace), arrays are float64.
        return Float(float(np.finfo(np.float64).max), precision=prec)

    def _latex(self, printer, exp=None) -> str:
        text = r"\mathrm{max}_{\mathrm{float}}"
        return text if exp is None else rf"{text}^{{{exp}}}"


class ShiftRows(Function):
    """``ShiftRows(z[n, i]) = z[n, i] - max_k z[n, k]``: the entry, its row shifted so its maximum is 0.

    Its argument is an entry ``z[n, i]`` (or, once ``codegen`` lowers it to
    whole arrays, the array ``z``): the function reads the entry's whole row.
    """

    is_real = True

    @property
    def _entry(self) -> Indexed:
        """The argument as an entry ``z[n, i]``: a lowered array symbol ``z`` is read as one."""
        (argument,) = self.args
        return argument if isinstance(argument, Indexed) else indexed(str(argument))[n, i]

    @property
    def definition(self) -> Expr:
        """``z[n, i] - max_k z[n, k]``: what the function means."""
        entry = self._entry
        return entry - RowMax(entry.base, entry.indices[0])

    @property
    def computed_form(self) -> Expr:
        """``max(z[n, i], max(M, 0) - Largest) - M``, ``M`` the row maximum: the difference floored.

        Only a row spanning more than the float range (``[1e308, 0, -1e308]``)
        reaches the floor; its floored entries have ``exp`` of 0 either way,
        and a log-softmax there gets the most negative finite number instead
        of -inf.  ``max(M, 0) - Largest`` itself never overflows.
        """
        entry = self._entry
        maximum = RowMax(entry.base, entry.indices[0])
        return Max(entry, Max(maximum, 0) - Largest(entry.base)) - maximum

    def _latex(self, printer, exp=None) -> str:
        entry = self._entry
        base, row = printer._print(entry.base), printer._print(entry.indices[0])
        column = printer._print(entry.indices[1])
        text = rf"\left({base}_{{{row}, {column}}} - \max_{{k}} {base}_{{{row}, k}}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"
