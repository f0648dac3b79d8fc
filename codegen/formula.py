"""Formulas for docstrings, written as a person writes them: ``y·(1 − y)``, ``σ(x)``, ``[x ≥ 0]``.

SymPy's string printer with the names of derive's functions (``σ``, ``Φ``),
absolute values as ``|a|``, an indicator ``Piecewise((1, c), (0, True))`` as
``[c]``, and the typography of mathematics: ``·``, ``−``, ``≥``, ``²``.
"""

from sympy import Expr, Piecewise, S
from sympy.printing.str import StrPrinter

__all__ = ["formula"]

_RELATIONS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}
_SUPERSCRIPTS = {"2": "²", "3": "³"}


class _FormulaPrinter(StrPrinter):
    """``StrPrinter`` with mathematical names for derive's functions."""

    def _print_Logistic(self, expr: Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_NormalCDF(self, expr: Expr) -> str:
        return f"Φ({self._print(expr.args[0])})"

    def _print_XLogY(self, expr: Expr) -> str:
        return self._print(expr.rewrite("log"))

    def _print_XDivY(self, expr: Expr) -> str:
        return self._print(expr.rewrite("log"))

    def _print_ShiftRows(self, expr: Expr) -> str:
        return self._print(expr.definition)

    def _print_RowMax(self, expr: Expr) -> str:
        base, row = expr.args
        return f"max_k {self._print(base)}[{self._print(row)}, k]"

    def _print_Clamp(self, expr: Expr) -> str:
        value, bound = expr.args
        return f"clip({self._print(value)}, ±{self._print(bound)})"

    def _print_AxisSum(self, expr: Expr) -> str:
        # A lowered sum (codegen.lowering): over each row's entries, each column's, or all.
        body, axis = expr.args
        over = {1: "Σ_row", 0: "Σ_column"}.get(int(axis), "Σ")
        return f"{over}({self._print(body)})"

    def _print_Reciprocal(self, expr: Expr) -> str:
        return f"(1/{self.parenthesize(expr.args[0], 50)})"

    def _print_Hypot(self, expr: Expr) -> str:
        return f"hypot({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_Largest(self, expr: Expr) -> str:
        return "max_float"

    def _print_Add(self, expr: Expr, order: str | None = None) -> str:
        # Terms with a minus sign last: z − max z, not −max z + z.
        terms = sorted(self._as_ordered_terms(expr, order=order), key=lambda t: t.could_extract_minus_sign())
        text = self._print(terms[0])
        for term in terms[1:]:
            text += f" - {self.parenthesize(-term, 40)}" if term.could_extract_minus_sign() else f" + {self._print(term)}"
        return text

    def _print_Abs(self, expr: Expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Max(self, expr: Expr) -> str:
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr: Expr) -> str:
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Relational(self, expr: Expr) -> str:
        operator = _RELATIONS.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {operator} {self._print(expr.rhs)}"

    def _print_Piecewise(self, expr: Piecewise) -> str:
        if len(expr.args) == 2 and {expr.args[0].expr, expr.args[1].expr} == {S.Zero, S.One}:
            condition = expr.args[0].cond if expr.args[0].expr == 1 else ~expr.args[0].cond
            return f"[{self._print(condition)}]"
        branches = [f"{self._print(value)} if {self._print(condition)}" for value, condition in expr.args[:-1]]
        return f"({' else '.join(branches + [self._print(expr.args[-1].expr)])})"


def formula(expr: Expr) -> str:
    """``expr`` as a formula for a docstring (``y·(1 − y)``)."""
    text = _FormulaPrinter().doprint(expr)
    for digit, superscript in _SUPERSCRIPTS.items():
        text = text.replace(f"**{digit}", superscript)
    return text.replace("**", "^").replace("*", "·").replace("-", "−")
