"""Elementwise activations: one SymPy expression in ``x`` each, derived on creation.

``elementwise`` checks a definition, differentiates it with ``sympy.diff``,
proves the optional numerically preferred form equal to it, and looks for the
derivative in terms of the output ``y = f(x)`` (see ``output_form``).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sympy import Derivative, Expr, Subs, Symbol, diff, sympify

from .errors import DefinitionError
from .output_form import find_output_form
from .proof import prove_equal
from .symbols import x, y

__all__ = ["Activation", "Parameter", "elementwise"]


@dataclass(frozen=True)
class Parameter:
    """A named constant of a function, with the default its generated code takes."""

    symbol: Symbol
    default: float

    @property
    def name(self) -> str:
        return self.symbol.name


@dataclass(frozen=True)
class Activation:
    """An elementwise function ``y = f(x)`` with everything derived from it.

    ``computed_as`` is the form the generated code evaluates: the definition
    itself unless the catalogue gives a numerically better one, which is then
    proven equal.  ``output_form`` is ``f'`` written in ``y`` alone, or None
    when no such form exists or SymPy cannot prove one.
    """

    name: str
    definition: Expr
    params: tuple[Parameter, ...]
    computed_as: Expr
    derivative: Expr
    output_form: Expr | None
    doc: str

    @property
    def backward(self) -> Expr:
        """The derivative the generated code evaluates: output form when proven."""
        return self.derivative if self.output_form is None else self.output_form


def elementwise(
    name: str,
    definition: Expr,
    *,
    params: Mapping[Symbol, float] | None = None,
    computed_as: Expr | None = None,
    doc: str = "",
) -> Activation:
    """Derive an activation from its definition; raise ``DefinitionError`` if it is unusable."""
    item = f"activation {name!r}"
    if not name.isidentifier():
        raise DefinitionError(item, "the name is not a Python identifier", "use letters, digits and _")
    definition = _with_input_symbol(sympify(definition))
    parameters = _parameters(item, params or {})
    _check_symbols(item, definition, parameters)
    derivative = diff(definition, x)
    if derivative.has(Derivative, Subs):
        raise DefinitionError(
            item, f"SymPy cannot differentiate {definition}", "use functions SymPy knows the derivative of"
        )
    if computed_as is None:
        computed_as = definition
    else:
        computed_as = _with_input_symbol(sympify(computed_as))
        _check_symbols(item, computed_as, parameters)
        if not prove_equal(computed_as, definition):
            raise DefinitionError(
                item, f"computed_as {computed_as} is not proven equal to {definition}",
                "give a form SymPy can show equal to the definition",
            )
    return Activation(
        name=name,
        definition=definition,
        params=parameters,
        computed_as=computed_as,
        derivative=derivative,
        output_form=find_output_form(definition, derivative, x, y),
        doc=doc,
    )


def _parameters(item: str, params: Mapping[Symbol, float]) -> tuple[Parameter, ...]:
    """Turn ``{symbol: default}`` into Parameters, rejecting missing or bad defaults."""
    parameters = []
    for symbol, default in params.items():
        if not isinstance(symbol, Symbol):
            raise DefinitionError(item, f"parameter {symbol!r} is not a SymPy Symbol", "use sympy.Symbol('name')")
        if symbol.name in {"x", "y", "derivative"}:
            raise DefinitionError(item, f"parameter name {symbol.name!r} is reserved", "choose another name")
        if default is None:
            raise DefinitionError(
                item, f"parameter {symbol.name!r} has no default", "give every parameter a numeric default"
            )
        try:
            value = float(default)
        except (TypeError, ValueError):
            raise DefinitionError(
                item, f"parameter {symbol.name!r} has default {default!r}", "defaults are real numbers"
            ) from None
        parameters.append(Parameter(symbol, value))
    return tuple(parameters)


def _check_symbols(item: str, expr: Expr, parameters: tuple[Parameter, ...]) -> None:
    """Reject free symbols other than ``x`` and the declared parameters."""
    allowed = {x} | {p.symbol for p in parameters}
    stray = sorted((s for s in expr.free_symbols if s not in allowed), key=str)
    if stray:
        names = ", ".join(map(str, stray))
        accepted = "the input symbol derive.symbols.x" + (
            " and the parameters " + ", ".join(p.name for p in parameters) if parameters else ""
        )
        raise DefinitionError(item, f"unknown symbol(s) {names} in {expr}", f"accepted: {accepted}")


def _with_input_symbol(expr: Expr) -> Expr:
    """Accept a plain ``Symbol('x')`` as the input: swap it for the real ``x`` of derive."""
    return expr.xreplace({s: x for s in expr.free_symbols if s.name == "x" and s != x})
