"""A NumPy printer that writes idiomatic, stable, readable array code.

Built on SymPy's ``NumPyPrinter`` (dispatch by ``_print_<ClassName>``), it
changes what would read badly or behave badly in generated modules:

* ``np.`` prefix, infix comparisons and ``@`` for matrix products;
* ``Piecewise`` as ``np.where`` with its final branch as the default: no
  ``numpy.select`` and no ``nan`` fallbacks;
* ``Max``/``Min`` as ``np.maximum``/``np.minimum``, not ``functools.reduce``;
* sums over ``OneMatrix`` factors as ``np.sum(..., axis=..., keepdims=True)``
  and a broadcast bias as the bias itself;
* ``AxisSum``/``AxisMax`` from ``lowering`` as axis reductions, ``Norm`` as ``np.linalg.norm``;
* ``UniformDraw`` (dropout) as ``rng.random(shape)``, from the function's generator ``rng``;
* ``XLogY``/``XDivY`` (``y*log(p)``, ``y/p``, 0 where ``y = 0``) without
  ever evaluating ``log(0)`` or ``0/0``;
* ``ScaledDifference(a, b, k)``, ``(a - b)/k``, as ``(a/2 - b/2)/(k/2)``: no overflow;
* the functions of ``HELPERS`` (``Logistic`` as ``_sigmoid(a)``) as calls of
  private helpers, which each module defines from the function's form in ``derive``.
"""

from collections.abc import Callable

from sympy import Expr, MatMul, MatrixExpr, Number, Piecewise, S
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

from derive.core.functions import Logistic, NormalCDF
from derive.core.row_shift import ShiftRows

from .lowering import ALL_AXES, indicator_condition, product_parts

__all__ = ["ArrayPrinter", "PrintError", "to_numpy", "nested_choice", "HELPERS"]

#: Function class -> the private helper generated code calls for it (defined in the module, see ``codegen.helpers``).
HELPERS: dict[type, str] = {NormalCDF: "_normal_cdf", Logistic: "_sigmoid", ShiftRows: "_shift_rows"}


class PrintError(ValueError):
    """An expression the generated code cannot express faithfully."""


_OPERATORS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class ArrayPrinter(NumPyPrinter):
    """``NumPyPrinter`` with symprop's conventions (see the module docstring)."""

    printmethod = "_symprop_numpy"

    def __init__(self) -> None:
        super().__init__({"strict": True, "fully_qualified_modules": True})

    def _module_format(self, fqn: str, register: bool = True) -> str:
        if "." in fqn and not fqn.startswith("numpy."):
            # SymPy falls back to math.erf and the like: generated code imports NumPy only.
            raise PrintError(f"{fqn} is not a NumPy function")
        if fqn.startswith("numpy."):
            fqn = "np." + fqn[len("numpy."):]
        return fqn

    # -- numbers and powers -------------------------------------------------

    def _print_Float(self, expr: Expr) -> str:
        return repr(float(expr))

    def _print_Rational(self, expr: Expr) -> str:
        return f"{expr.p}/{expr.q}"

    def _print_Half(self, expr: Expr) -> str:
        return self._print_Rational(expr)

    def _print_Pow(self, expr: Expr, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent == S.Half:
            return f"np.sqrt({self._print(base)})"
        if exponent.is_Integer and exponent < 0:
            positive = base if exponent == -1 else base ** -exponent
            return f"1/{self.parenthesize(positive, PRECEDENCE['Mul'] + 1)}"
        return f"{self.parenthesize(base, PRECEDENCE['Pow'] + 1)}**{self.parenthesize(exponent, PRECEDENCE['Pow'])}"

    # -- logic ----------------------------------------------------------------

    def _print_Relational(self, expr: Expr) -> str:
        return f"{self._print(expr.lhs)} {_OPERATORS[expr.rel_op]} {self._print(expr.rhs)}"

    def _print_And(self, expr: Expr) -> str:
        return " & ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr: Expr) -> str:
        return " | ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Not(self, expr: Expr) -> str:
        return f"~({self._print(expr.args[0])})"

    def _print_Piecewise(self, expr: Piecewise) -> str:
        condition = indicator_condition(expr)
        if condition is not None:
            # An indicator [condition]: a boolean array, which keeps the dtype it is multiplied with.
            return f"({self._print(condition)})"
        return nested_choice(expr, self._print, lambda condition, value, rest: f"np.where({condition}, {value}, {rest})")

    # -- elementwise functions ------------------------------------------------

    def _print_Max(self, expr: Expr) -> str:
        return self._pairwise("np.maximum", expr.args)

    def _print_Min(self, expr: Expr) -> str:
        return self._pairwise("np.minimum", expr.args)

    def _pairwise(self, function: str, args) -> str:
        # Arrays first, constants last: np.maximum(x, 0) reads as "x, floored at 0".
        ordered = sorted(args, key=lambda a: isinstance(a, Number))
        code = self._print(ordered[0])
        for a in ordered[1:]:
            code = f"{function}({code}, {self._print(a)})"
        return code

    def _print_Abs(self, expr: Expr) -> str:
        return f"np.abs({self._print(expr.args[0])})"

    def _print_Hypot(self, expr: Expr) -> str:
        return f"np.hypot({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_Reciprocal(self, expr: Expr) -> str:
        # Parenthesised whole, so a power of it is the power of the reciprocal: (1/a)**2.
        return f"(1/{self.parenthesize(expr.args[0], PRECEDENCE['Mul'] + 1)})"

    def _print_XLogY(self, expr: Expr) -> str:
        # a*log(b) with 0 where a == 0: b is replaced by 1 there, so log(0) is never taken.
        a, b = (self._print(arg) for arg in expr.args)
        return f"{self.parenthesize(expr.args[0], PRECEDENCE['Mul'])}*np.log(np.where({a} == 0, 1, {b}))"

    def _print_XDivY(self, expr: Expr) -> str:
        a, b = (self._print(arg) for arg in expr.args)
        return f"{self.parenthesize(expr.args[0], PRECEDENCE['Mul'])}/np.where({a} == 0, 1, {b})"

    def _print_ScaledDifference(self, expr: Expr) -> str:
        # (a - b)/k as (a/2 - b/2)/(k/2): halves cannot overflow (tests/test_scaled_difference.py proves it equal).
        a, b, k = expr.args
        difference = f"({self._print(a / 2)} - {self.parenthesize(b / 2, PRECEDENCE['Add'] + 1)})"
        half = k / 2
        return difference if half == 1 else f"{difference}/{self.parenthesize(half, PRECEDENCE['Mul'] + 1)}"

    def _print_NormalCDF(self, expr: Expr) -> str:
        return self._helper_call(expr)

    def _print_Logistic(self, expr: Expr) -> str:
        return self._helper_call(expr)

    def _print_ShiftRows(self, expr: Expr) -> str:
        return self._helper_call(expr)

    def _helper_call(self, expr: Expr) -> str:
        # The module defines the helper, printed from the function's form in derive (codegen.helpers).
        return f"{HELPERS[type(expr)]}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Largest(self, expr: Expr) -> str:
        return f"np.finfo({self._print(expr.args[0])}.dtype).max"

    def _print_Clamp(self, expr: Expr) -> str:
        value, bound = expr.args
        return f"np.clip({self._print(value)}, -{self._print(bound)}, {self._print(bound)})"

    def _print_UniformDraw(self, expr: Expr) -> str:
        # Dropout's draws come from the generator ``rng`` of the function being printed.
        return f"rng.random({self._print(expr.args[0])}.shape)"

    def _print_KroneckerDelta(self, expr: Expr) -> str:
        raise PrintError(f"{expr}: a Jacobian entry reached the printer; print its product with a vector instead")

    # -- reductions -----------------------------------------------------------

    def _print_Norm(self, expr: Expr) -> str:
        return f"np.linalg.norm({self._print(expr.args[0])})"

    def _print_AxisSum(self, expr: Expr) -> str:
        body, axis = expr.args
        if int(axis) == ALL_AXES:
            return f"np.sum({self._print(body)})"
        return f"np.sum({self._print(body)}, axis={int(axis)}, keepdims=True)"

    def _print_AxisMax(self, expr: Expr) -> str:
        body, axis = expr.args
        return f"np.max({self._print(body)}, axis={int(axis)}, keepdims=True)"

    # -- matrices ---------------------------------------------------------------

    def _print_MatrixSymbol(self, expr: Expr) -> str:
        return expr.name

    def _print_Transpose(self, expr: Expr) -> str:
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Atom'], strict=True)}.T"

    def _print_MatMul(self, expr: MatMul) -> str:
        coefficient, matrices, axes = product_parts(expr)
        code = " @ ".join(self.parenthesize(m, PRECEDENCE["Mul"] + 1) for m in matrices)
        if len(axes) == 2:
            code = f"np.sum({code}, keepdims=True)"
        elif axes:
            code = f"np.sum({code}, axis={axes[0]}, keepdims=True)"
        if coefficient == 1:
            return code
        if coefficient == -1:
            return f"-{code}"
        return f"{self.parenthesize(coefficient, PRECEDENCE['Mul'])}*{code}"

    def _print_MatAdd(self, expr: Expr) -> str:
        terms = sorted(expr.args, key=_term_order)
        code = self._print(terms[0])
        for term in terms[1:]:
            if _is_negative(term):
                code += f" - {self._print(-term)}"
            else:
                code += f" + {self._print(term)}"
        return code


def _term_order(term: MatrixExpr) -> tuple[int, str]:
    """Order of a sum's terms as a person writes them: ``x @ w.T + b``, ``w - lr*dw``."""
    if _is_negative(term):
        rank = 3
    elif isinstance(term, MatMul):
        rank = 0 if len(product_parts(term)[1]) > 1 else 2
    else:
        rank = 1
    return rank, str(term)


def _is_negative(term: MatrixExpr) -> bool:
    """True for a matrix term printed with a leading minus sign."""
    return isinstance(term, MatMul) and term.as_coeff_matrices()[0].could_extract_minus_sign()


def nested_choice(expr: Piecewise, show: Callable[[Expr], str], choose: Callable[[str, str, str], str]) -> str:
    """A Piecewise with a final True branch as nested choices, the last branch innermost.

    ``choose(condition, value, rest)`` writes one choice from printed parts:
    no ``nan`` default is ever needed.
    """
    if expr.args[-1].cond is not S.true:
        raise PrintError(f"{expr}: a Piecewise needs a final True branch to print without nan defaults")
    code = show(expr.args[-1].expr)
    for value, condition in reversed(expr.args[:-1]):
        code = choose(show(condition), show(value), code)
    return code


def to_numpy(expr: Expr) -> str:
    """Print one (already lowered) expression as NumPy source."""
    return ArrayPrinter().doprint(expr)
