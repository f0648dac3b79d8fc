"""What to measure: each generated catalogue function, how to call it, and its reference.

Every case is a function of one float64 variable ``t`` so that all share one
grid (``derive.stability.grid``), and says how its form was found:

* an elementwise activation ``f`` is called as ``f(x)`` and
  ``f(x, derivative=True)`` with ``x = t`` and its parameters at their
  defaults; the references are its SymPy definition and that definition's
  derivative, not the forms the code evaluates; how those forms were found
  is the accuracy search's account (``Found.how``);
* a vector function ``s`` is called on rows ``[t, 0, -t]``; the references
  are its definition over three features, the Jacobian diagonal
  ``ds_i/dx_i`` and the vector-Jacobian product with ``g = [1, 0, 0]``
  (the Jacobian's first row: no entry crosses zero, where any relative
  error measure breaks down);
* a loss is called on one sample of two features, targets ``[1, 0]`` (one-hot)
  and predictions ``[t, 0.25]``; the references are its cost and the
  gradient of that cost by ``sympy.diff``.  Where the cost is undefined
  (a log of a negative probability), or ``t`` is outside the range the loss
  accepts predictions in (``Inputs.prediction_range``, which the generated
  function refuses), the point is outside the loss's domain.

Vector functions and losses are not searched: their forms are ``RULES``,
derive's fixed rewrites (the row shift, ``numeric``).

Vector and loss references are put over one denominator by SymPy once ``t``
is in (an exact rewrite, see ``derive.stability.reference``): their derivatives are
differences such as ``s - s**2`` that would otherwise cost mpmath hundreds of
digits.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from types import ModuleType

import numpy as np
from sympy import Expr, Float, Rational, S, Symbol, diff

from codegen.lowering import lower
from codegen.printer import to_numpy
from derive.catalog.activations import Activation
from derive.catalog.registry import Catalog
from derive.catalog.losses import Loss
from derive.core.symbols import C, N, i, n, x
from derive.catalog.vector_functions import VectorFunction
from generated import activations as generated_activations
from generated import losses as generated_losses

from derive.stability.grid import kinks
from derive.stability.reference import Reference

__all__ = ["Case", "MEASURED_KINDS", "RULES", "activation_cases", "catalogue_cases", "code"]

#: The variable every case is a function of.
T = Symbol("t", real=True)

#: The upstream gradient of the vector-Jacobian products.
UPSTREAM = (1.0, 0.0, 0.0)
#: The loss inputs: targets, and the prediction beside ``t``.
TARGETS = (1.0, 0.0)
SECOND_PREDICTION = 0.25
#: How the forms of vector functions and losses are found: derive's fixed rewrites, no search.
RULES = "fixed rewrites"


@dataclass(frozen=True)
class Case:
    """One generated function: ``evaluate`` maps points ``t`` (n,) to values (n, k).

    ``item`` is the catalogue name it comes from, ``label`` names its row of
    the table (unique), ``form`` says which form the code evaluates,
    ``variable`` is what the table calls ``t`` (``x`` for an activation,
    whose input it is), ``kinks`` are the points where a form switches, and
    ``found_by`` says how the form was found (``Found.how``, or ``RULES``).
    """

    item: str
    label: str
    form: str
    variable: str
    evaluate: Callable[[np.ndarray], np.ndarray]
    reference: Callable[[float], list | None]
    kinks: tuple[float, ...] = ()
    found_by: str = RULES


def catalogue_cases(catalog: Catalog, names: Collection[str] | None = None) -> list[Case]:
    """Every generated function and derivative, in catalogue order; only items in ``names`` if given."""
    cases = []
    for kind, build in MEASURED_KINDS.items():
        for name in catalog.names(kind):
            if names is None or name in names:
                cases += build(catalog.get(name))
    return cases


def code(expr: Expr) -> str:
    """``expr`` as the NumPy code prints it."""
    return to_numpy(lower(expr))


def activation_cases(activation: Activation, module: ModuleType = generated_activations) -> list[Case]:
    """``f(x)`` and ``f(x, derivative=True)`` of ``module`` against the definition and its derivative."""
    defaults = {p.symbol: Float(p.default) for p in activation.params}

    def reference(expr: Expr) -> Reference:
        return Reference([expr.xreplace(defaults).xreplace({x: T})], T)

    def call(derivative: bool) -> Callable[[np.ndarray], np.ndarray]:
        def at(t: np.ndarray) -> np.ndarray:
            return _generated(module, activation.name)(t, derivative=derivative).reshape(len(t), -1)

        return at

    forward = "definition" if activation.computed_as == activation.definition else "computed form"
    backward, backward_expr = _derivative_form(activation)
    switches = kinks((activation.definition, activation.computed_as, backward_expr), defaults)
    found_f, found_derivative = (found.how for found in activation.searches)
    return [
        Case(
            activation.name, activation.name, f"{forward} `{code(activation.computed_as)}`", "x",
            call(False), reference(activation.definition), switches, found_f,
        ),
        Case(
            activation.name, f"{activation.name}′", f"{backward} `{code(backward_expr)}`", "x",
            call(True), reference(activation.derivative), switches, found_derivative,
        ),
    ]


def _derivative_form(activation: Activation) -> tuple[str, Expr]:
    """What the generated derivative evaluates, as ``codegen`` chooses it, and its name."""
    if activation.derivative_computed_as is not None:
        return "computed form", activation.derivative_computed_as
    if activation.output_form is not None:
        return "output form", activation.output_form
    return "raw derivative", activation.derivative


def _generated(module: ModuleType, name: str) -> Callable[..., np.ndarray]:
    """The generated function ``name``, or an error that says how to make it.

    Looked up when a case is measured, so a stale ``generated/`` fails only
    the cases it lacks.
    """
    try:
        return getattr(module, name)
    except AttributeError:
        raise LookupError(f"{module.__name__} has no {name!r}: run `make generate`") from None


def vector_cases(vector: VectorFunction) -> list[Case]:
    """``s(x)``, ``s(x, derivative=True)`` and ``s_vjp(x, g)`` on rows ``[t, 0, -t]``."""
    inputs = [vector.inputs[0, c] for c in range(3)]
    row = dict(zip(inputs, (T, S.Zero, -T)))
    entries = [vector.definition.xreplace({n: 0, i: c}).subs(C, 3).doit() for c in range(3)]
    diagonal = [diff(entries[c], inputs[c]) for c in range(3)]
    product = [sum(g * diff(entries[c], z) for c, g in enumerate(map(Rational, UPSTREAM))) for z in inputs]

    def reference(exprs: list[Expr]) -> Reference:
        return Reference([e.xreplace(row) for e in exprs], T, cancel_first=True)

    def rows(t: np.ndarray) -> np.ndarray:
        return np.stack([t, np.zeros_like(t), -t], axis=1)

    def forward(t: np.ndarray) -> np.ndarray:
        return _generated(generated_activations, vector.name)(rows(t))

    def jacobian_diagonal(t: np.ndarray) -> np.ndarray:
        return _generated(generated_activations, vector.name)(rows(t), derivative=True)

    def vjp(t: np.ndarray) -> np.ndarray:
        return _generated(generated_activations, f"{vector.name}_vjp")(rows(t), np.broadcast_to(UPSTREAM, (len(t), 3)))

    output = str(vector.output.label)
    shifted = "; ".join(f"{let.name.label} = {code(let.value)}" for let in vector.computed_as.lets)
    name = vector.name
    return [
        Case(
            name, name, f"computed form `{code(vector.computed_as.expr)}`, `{shifted}`", "t",
            forward, reference(entries),
        ),
        Case(
            name, f"{name}′ (Jacobian diagonal)", f"output form `{code(vector.jacobian_diagonal)}`", "t",
            jacobian_diagonal, reference(diagonal),
        ),
        Case(
            name, f"{name}_vjp", f"output form `{code(vector.vjp_output_form)}` with {output} = {name}(x)", "t",
            vjp, reference(product),
        ),
    ]


def loss_cases(loss: Loss) -> list[Case]:
    """The cost and its gradient at targets ``[1, 0]`` and predictions ``[t, 0.25]``."""
    predictions = [loss.predictions[0, c] for c in range(2)]
    values = {
        **{p.symbol: Float(p.default) for p in loss.params},
        **dict(zip([loss.targets[0, c] for c in range(2)], map(Rational, TARGETS))),
        **dict(zip(predictions, (T, Rational(SECOND_PREDICTION)))),
    }
    cost = loss.cost.subs({N: 1, C: 2}).doit()
    gradient = [diff(cost, p) for p in predictions]

    accepted = loss.inputs.prediction_range or (-np.inf, np.inf)

    def evaluate(derivative: bool) -> Callable[[np.ndarray], np.ndarray]:
        targets = np.array([TARGETS])
        refused = np.full(2 if derivative else 1, np.nan)

        def at(t: np.ndarray) -> np.ndarray:
            function = _generated(generated_losses, loss.name)
            return np.array([
                np.ravel(function(targets, np.array([[point, SECOND_PREDICTION]]), derivative=derivative))
                if accepted[0] <= point <= accepted[1] else refused
                for point in t
            ])

        return at

    def reference(exprs: list[Expr]) -> Callable[[float], list[float] | None]:
        exact = Reference([e.xreplace(values) for e in exprs], T, cancel_first=True)
        return lambda t: exact(t) if accepted[0] <= t <= accepted[1] else None

    return [
        Case(
            loss.name, loss.name, f"cost `{code(loss.cost_computed_as.expr)}`", "t",
            evaluate(False), reference([cost]),
        ),
        Case(
            loss.name, f"{loss.name}′ (gradient)", f"gradient `{code(loss.gradient_computed_as.expr)}`", "t",
            evaluate(True), reference(gradient),
        ),
    ]


#: How each kind of catalogue item becomes cases; items of other kinds are not measured.
MEASURED_KINDS: dict[str, Callable[..., list[Case]]] = {
    "activation": activation_cases,
    "vector": vector_cases,
    "loss": loss_cases,
}
