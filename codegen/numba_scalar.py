"""Scalar code for the compiled target: one entry of an elementwise expression, printed inside Numba loops.

The compiled printer (``codegen.numba_printer``) runs every elementwise
operation of the lowered program entry by entry, so its expressions are
printed as scalar Python that Numba compiles: ``math.exp``/``np.tanh`` on
floats, ``max``/``min`` for ``Max``/``Min``, a conditional expression for a
``Piecewise``.  Each array name is printed as the entry the loop reads
(``inp1[n, i]``, ``b1[0, i]``) or as the local scalar holding it
(``inp1_``); ``ScalarPrinter.names`` decides which.  The formulas are SymPy's:
nothing here states one, only how an operation is spelled on a float.
"""

from collections.abc import Callable

from sympy import Expr, Piecewise, S
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

from .lowering import indicator_condition
from .printer import PrintError, nested_choice

__all__ = ["ScalarPrinter"]

_FUNCTIONS = {
    "exp": "math.exp", "log": "math.log", "tanh": "math.tanh", "expm1": "math.expm1", "log1p": "math.log1p",
    "floor": "np.floor", "sign": "np.sign", "logaddexp": "np.logaddexp", "Hypot": "math.hypot",
    "sinh": "math.sinh", "cosh": "math.cosh",
}


class ScalarPrinter(PythonCodePrinter):
    """Prints one entry of an elementwise expression; ``names`` maps an array or number name to its code."""

    printmethod = "_symprop_numba"

    def __init__(self, names: Callable[[str], str]) -> None:
        super().__init__({"strict": True, "fully_qualified_modules": True})
        self.names = names

    def _print_Symbol(self, expr: Expr) -> str:
        return self.names(expr.name)

    _print_MatrixSymbol = _print_Symbol

    def _print_Float(self, expr: Expr) -> str:
        return repr(float(expr))

    def _print_Integer(self, expr: Expr) -> str:
        return f"{int(expr)}.0"

    def _print_Rational(self, expr: Expr) -> str:
        return f"{expr.p}/{expr.q}"

    _print_Half = _print_Rational

    def _print_Pi(self, expr: Expr) -> str:
        return "math.pi"

    def _print_Pow(self, expr: Expr, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent == S.Half:
            return f"math.sqrt({self._print(base)})"
        if exponent.is_Integer and exponent < 0:
            positive = base if exponent == -1 else base ** -exponent
            return f"(1.0/{self.parenthesize(positive, PRECEDENCE['Mul'] + 1)})"
        power = str(int(exponent)) if exponent.is_Integer else self.parenthesize(exponent, PRECEDENCE["Pow"])
        return f"{self.parenthesize(base, PRECEDENCE['Pow'] + 1)}**{power}"

    def _print_Function(self, expr: Expr) -> str:
        name = type(expr).__name__
        if name not in _FUNCTIONS:
            raise PrintError(f"{expr}: no scalar form of {name} for the compiled target")
        return f"{_FUNCTIONS[name]}({', '.join(self._print(a) for a in expr.args)})"

    _print_exp = _print_log = _print_tanh = _print_expm1 = _print_log1p = _print_Function
    _print_floor = _print_sign = _print_logaddexp = _print_Hypot = _print_sinh = _print_cosh = _print_Function

    def _print_Reciprocal(self, expr: Expr) -> str:
        return f"(1.0/{self.parenthesize(expr.args[0], PRECEDENCE['Mul'] + 1)})"

    def _print_Abs(self, expr: Expr) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Max(self, expr: Expr) -> str:
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr: Expr) -> str:
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Relational(self, expr: Expr) -> str:
        return f"({self._print(expr.lhs)} {expr.rel_op} {self._print(expr.rhs)})"

    def _print_And(self, expr: Expr) -> str:
        return "(" + " and ".join(self._print(a) for a in expr.args) + ")"

    def _print_Or(self, expr: Expr) -> str:
        return "(" + " or ".join(self._print(a) for a in expr.args) + ")"

    def _print_Not(self, expr: Expr) -> str:
        return f"(not {self._print(expr.args[0])})"

    def _print_Piecewise(self, expr: Piecewise) -> str:
        condition = indicator_condition(expr)
        if condition is not None:
            return f"(1.0 if {self._print(condition)} else 0.0)"
        return nested_choice(expr, self._print, lambda condition, value, rest: f"({value} if {condition} else {rest})")

    def _print_Largest(self, expr: Expr) -> str:
        return "1.7976931348623157e+308"  # np.finfo(np.float64).max: every array of the step is float64

    def _print_Clamp(self, expr: Expr) -> str:
        value, bound = (self._print(a) for a in expr.args)
        return f"min(max({value}, -{bound}), {bound})"

    def _print_ScaledDifference(self, expr: Expr) -> str:
        # (a - b)/k as (a/2 - b/2)/(k/2), as the array printer writes it: no overflow.
        a, b, k = expr.args
        difference = f"({self._print(a / 2)} - {self.parenthesize(b / 2, PRECEDENCE['Add'] + 1)})"
        half = k / 2
        return difference if half == 1 else f"{difference}/{self.parenthesize(half, PRECEDENCE['Mul'] + 1)}"

    def _print_UniformDraw(self, expr: Expr) -> str:
        raise PrintError("dropout's random draws are not supported by the compiled target")

    def _print_AxisSum(self, expr: Expr) -> str:
        raise PrintError(f"{expr}: a reduction reached the scalar printer")

    _print_AxisMax = _print_AxisSum
