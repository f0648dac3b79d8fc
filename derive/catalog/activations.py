"""Elementwise activations: one SymPy expression in ``x`` each, derived on creation.

``elementwise`` checks a definition, differentiates it with ``sympy.diff``,
looks for the derivative in terms of the output ``y = f(x)`` (see
``output_form``), and finds the forms code evaluates for ``f`` and ``f'`` by
the accuracy search (``derive.stability.search``), with any hand form given
as a candidate, proven equal first.  ``numeric`` holds the exact rewrites
every other catalogue form gets: logistic terms as ``Logistic``, ``expm1``,
``log1p``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sympy import Derivative, Expr, Subs, Symbol, diff, sympify

from derive.core.errors import DefinitionError
from derive.core.output_form import find_output_form
from derive.core.proof import prove_equal
from derive.catalog.numeric_forms import numeric
from derive.core.stable_forms import Limits, limits_at_infinities, unclamp
from derive.core.symbols import x, y
from derive.core.shown_as_math import ShownAsMath
from derive.stability.grid import kinks
from derive.stability.search import HAND, Found, most_accurate

__all__ = ["Activation", "Parameter", "elementwise", "parameters_of"]


@dataclass(frozen=True)
class Parameter:
    """A named constant of a function, with the default its generated code takes."""

    symbol: Symbol
    default: float

    @property
    def name(self) -> str:
        return self.symbol.name

    @property
    def positive(self) -> bool:
        """True when the derivation assumed the parameter positive, so code must check it."""
        return bool(self.symbol.is_positive)


@dataclass(frozen=True, repr=False)
class Activation(ShownAsMath):
    """An elementwise function ``y = f(x)`` with everything derived from it.

    ``computed_as`` is the form generated code evaluates for ``f(x)``: the
    most accurate of the definition, the forms the accuracy search finds
    from it and a hand form the catalogue gives, each proven equal.
    ``derivative_computed_as`` is the same for ``f'(x)``, or None when the
    output form evaluated on the computed ``y`` is as accurate.
    ``output_form`` is ``f'`` written in ``y`` alone, or None when no such
    form exists or SymPy cannot prove one.  ``limits`` and
    ``derivative_limits`` are ``sympy.limit`` of ``f`` and ``f'`` at ``-oo``
    and ``+oo`` (None where there is none), the values code gives at ``±inf``.
    ``searches`` are the accuracy searches for ``f`` and ``f'``: how each
    form was found, its derivation, and its accuracy.
    """

    name: str
    definition: Expr
    params: tuple[Parameter, ...]
    computed_as: Expr
    derivative: Expr
    derivative_computed_as: Expr | None
    output_form: Expr | None
    limits: Limits
    derivative_limits: Limits
    searches: tuple[Found, Found]
    doc: str

    @property
    def backward(self) -> Expr:
        """The derivative a network's backward pass evaluates: the output form when proven, else the computed form."""
        if self.output_form is not None:
            return self.output_form
        return self.derivative if self.derivative_computed_as is None else self.derivative_computed_as

    @property
    def shortfalls(self) -> list[str]:
        """Where the computed forms miss the accuracy target, one sentence each (none when they meet it)."""
        return [found.shortfall for found in self.searches if found.shortfall is not None]


def elementwise(
    name: str,
    definition: Expr,
    *,
    params: Mapping[Symbol, float] | None = None,
    computed_as: Expr | None = None,
    derivative_computed_as: Expr | None = None,
    doc: str = "",
) -> Activation:
    """Derive an activation from its definition; raise ``DefinitionError`` if it is unusable.

    The forms code evaluates come from the accuracy search
    (``derive.stability.search``).  ``computed_as`` and
    ``derivative_computed_as`` are optional hand forms of ``f`` and ``f'``
    that enter the search as candidates; they may use
    ``derive.core.stable_forms.saturate``.  Each is proven equal before it is used.
    """
    item = f"activation {name!r}"
    if not name.isidentifier():
        raise DefinitionError(item, "the name is not a Python identifier", "use letters, digits and _")
    definition = _with_input_symbol(sympify(definition))
    parameters = parameters_of(item, params or {})
    _check_symbols(item, definition, parameters)
    derivative = diff(definition, x)
    if derivative.has(Derivative, Subs):
        raise DefinitionError(
            item, f"SymPy cannot differentiate {definition}", "use functions SymPy knows the derivative of"
        )
    defaults = {p.symbol: p.default for p in parameters}
    switches = kinks((definition,), defaults)
    hand = _given(HAND, computed_as, lambda form: _proven_form(item, "computed_as", form, definition, parameters))
    forward = most_accurate(definition, x, item, "f", params=defaults, kinks=switches, seeds=hand)
    output_form = _maybe(numeric, find_output_form(definition, derivative, x, y))
    hand = _given(HAND, derivative_computed_as,
                  lambda form: _proven_form(item, "derivative_computed_as", form, derivative, parameters))
    given = {} if output_form is None else {OUTPUT_FORM: output_form.xreplace({y: forward.form})}
    backward = most_accurate(derivative, x, item, "f'", params=defaults, kinks=switches, seeds=hand, given=given,
                             preferred=OUTPUT_FORM)
    return Activation(
        name=name,
        definition=definition,
        params=parameters,
        computed_as=forward.form,
        derivative=derivative,
        derivative_computed_as=None if backward.how == OUTPUT_FORM else backward.form,
        output_form=output_form,
        limits=limits_at_infinities(definition, x),
        derivative_limits=limits_at_infinities(derivative, x),
        searches=(forward, backward),
        doc=doc,
    )


#: The label of the candidate that evaluates the output form on the computed ``y``.
OUTPUT_FORM = "output form"


def _given(label: str, form: Expr | None, proven) -> dict[str, Expr]:
    """``{label: numeric(proven(form))}``, or nothing when no form is given."""
    return {} if form is None else {label: numeric(proven(form))}


def _maybe(function, value):
    return None if value is None else function(value)


def _proven_form(item: str, label: str, form: Expr | None, reference: Expr, parameters) -> Expr:
    """``form`` checked equal to ``reference`` (clamps aside), or ``reference`` itself."""
    if form is None:
        return reference
    form = _with_input_symbol(sympify(form))
    _check_symbols(item, unclamp(form), parameters)
    if not prove_equal(unclamp(form), reference):
        raise DefinitionError(
            item, f"{label} {form} is not proven equal to {reference}",
            "give a form SymPy can show equal to it",
        )
    return form


def parameters_of(item: str, params: Mapping[Symbol, float]) -> tuple[Parameter, ...]:
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
        accepted = "the input symbol derive.core.symbols.x" + (
            " and the parameters " + ", ".join(p.name for p in parameters) if parameters else ""
        )
        raise DefinitionError(item, f"unknown symbol(s) {names} in {expr}", f"accepted: {accepted}")


def _with_input_symbol(expr: Expr) -> Expr:
    """Accept a plain ``Symbol('x')`` as the input: swap it for the real ``x`` of derive."""
    return expr.xreplace({s: x for s in expr.free_symbols if s.name == "x" and s != x})
