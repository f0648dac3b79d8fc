"""Template context of a catalogue module: each catalogue item's function, printed from ``derive``.

Each builder turns derived items (activations, vector functions, losses,
penalties, initialisers) into plain records of names and printed statements;
the Jinja templates only lay those records out.
"""

import textwrap
from dataclasses import dataclass, field

from sympy import Expr, Indexed, Sum
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from derive.catalog.activations import Activation
from derive.catalog.initializers import Initializer as InitializerItem
from derive.catalog.losses import Loss
from derive.catalog.penalties import STRENGTH, Penalty
from derive.core.stable_forms import holds_at_infinities, with_limits
from derive.core.symbols import x, y
from derive.catalog.vector_functions import VectorFunction

from .emit import Body, Statement
from .errors import GenerationError
from .formula import formula
from .lowering import LoweringError, lower, size_bindings
from .printer import PrintError, to_numpy

__all__ = [
    "Function", "Initializer", "activation_functions", "vector_functions", "loss_functions",
    "penalty_functions", "initializer_functions",
]

#: The type hints of the arguments and results of the generated functions.
ARRAY, RESULT, DERIVATIVE = "npt.ArrayLike", "np.ndarray | np.floating", "derivative: bool = False"


@dataclass(frozen=True)
class Function:
    """One generated catalogue function: signature, docstring and printed statements.

    ``checks`` are calls of ``codegen/runtime/catalogue_arrays.py`` that refuse
    bad arguments and bind the working arrays and ``_out``, the dtype and NaN mask of the result;
    ``shared`` runs next; with a derivative flag, ``derivative`` and
    ``derivative_result`` form the ``if derivative:`` block; then ``forward``
    and ``result``.  ``arguments`` are written with their type hints, ``returns`` is the result's.
    """

    name: str
    arguments: list[str]
    doc: str
    result: str
    returns: str = RESULT
    checks: list[str] = field(default_factory=list)
    shared: list[Statement] = field(default_factory=list)
    derivative: list[Statement] = field(default_factory=list)
    derivative_result: str | None = None
    forward: list[Statement] = field(default_factory=list)


def _formula(expr: Expr) -> str:
    """A formula for a docstring, as a person writes it (``y·(1 − y)``), arrays by name (``s·(1 − s)``)."""
    return formula(lower(expr) if expr.has(Indexed, Sum) else expr)


def _printed(kind: str, name: str, build, item):
    """``build(item)``, with a failure to print reported as a GenerationError naming the item."""
    try:
        return build(item)
    except (PrintMethodNotImplementedError, PrintError, LoweringError) as error:
        message = str(error).splitlines()[0]
        raise GenerationError(
            f"{kind} {name!r} cannot be printed as NumPy: {message}; use functions NumPy has"
        ) from error


def activation_functions(activations: list[Activation]) -> list[Function]:
    """``name(x, derivative=False, **params)`` for each elementwise activation."""
    return [_printed("activation", a.name, _activation, a) for a in activations]


def _activation(activation: Activation) -> Function:
    """f(x), and f'(x) from x when a more accurate form is given, else from y = f(x) when proven.

    At ``x = ±inf`` both give SymPy's limits; the output form is used only where it gives them from ``y``.
    """
    arguments = [f"x: {ARRAY}", DERIVATIVE, *_parameters(activation.params)]
    top = Body()
    value = with_limits(activation.computed_as, x, activation.limits)
    if (
        activation.derivative_computed_as is None and activation.output_form is not None
        and holds_at_infinities(activation.output_form, y, activation.limits, activation.derivative_limits)
    ):
        top.assign("y", value, like="x")
        derivative = top.branch()
        derivative_result = derivative.code(activation.output_form, like="y")
        forward, result = top.branch(), "y"
        note = f"{_formula(activation.output_form)}, from the output y"
    else:
        form = activation.derivative_computed_as
        derivative = top.branch()
        form = activation.derivative if form is None else form
        derivative_result = derivative.code(with_limits(form, x, activation.derivative_limits), like="x")
        forward = top.branch()
        result = forward.code(value, like="x")
        note = _formula(activation.derivative)
        if activation.output_form is not None and activation.derivative_computed_as is not None:
            # The output form states f' best; the docstring says why x is used instead.
            note = (f"{_formula(activation.output_form)}, y = f(x);\n    computed from x as "
                    f"{_formula(activation.derivative_computed_as)}")
    accuracy = "".join(f"\n\n    Accuracy: {_wrapped(shortfall)}." for shortfall in activation.shortfalls)
    return Function(
        name=activation.name, arguments=arguments,
        doc=f"{activation.doc}\n\n    With ``derivative=True``, returns f'(x) = {note}.{accuracy}",
        checks=_parameter_checks(activation.name, activation.params) + [
            f'x, _out = _elementwise_argument("{activation.name}", "x", x)'],
        result=result, shared=top.statements,
        derivative=derivative.statements, derivative_result=derivative_result, forward=forward.statements,
    )


def _wrapped(text: str) -> str:
    """``text`` wrapped to the docstring's width, continuation lines indented."""
    return "\n    ".join(textwrap.wrap(text, 100))


def _parameters(params) -> list[str]:
    """A catalogue item's parameters as arguments, each a number with its default."""
    return [f"{p.name}: float = {p.default!r}" for p in params]


def _parameter_checks(function: str, params) -> list[str]:
    """Checks of the parameters the derivation assumed positive."""
    return [f'_parameter("{function}", "{p.name}", {p.name})' for p in params if p.positive]


def _rows_check(function: str, names: list[str]) -> str:
    """The check of a row-wise function's (samples, features) arguments, binding them and ``_out``."""
    pairs = ", ".join(f'"{name}", {name}' for name in names)
    return f'{", ".join(names)}, _out = _rows_arguments("{function}", {pairs})'


def vector_functions(functions: list[VectorFunction]) -> list[Function]:
    """``name(x, y_oh=None, derivative=False)`` and ``name_vjp(x, g)`` for each vector function."""
    generated = []
    for vector in functions:
        output, upstream = str(vector.output.label), str(vector.upstream.label)
        top = Body()
        top.assign(output, vector.computed_as.expr, vector.computed_as.lets)
        derivative = top.branch()
        diagonal = derivative.code(vector.jacobian_diagonal, like=output)
        generated.append(Function(
            name=vector.name, arguments=[f"x: {ARRAY}", f"y_oh: {ARRAY} | None = None", DERIVATIVE],
            doc=(
                f"{vector.doc}\n\n    With ``derivative=True``, returns the diagonal of the Jacobian,\n"
                f"    d{output}_j/dx_j = {_formula(vector.jacobian_diagonal)}.  ``y_oh`` is accepted for the\n"
                f"    seed notebook's signature and not used.  For backpropagation use ``{vector.name}_vjp``."
            ),
            checks=[_rows_check(vector.name, ["x"])], result=output, returns="np.ndarray", shared=top.statements,
            derivative=derivative.statements, derivative_result=diagonal,
        ))
        body = Body()
        body.assign(output, vector.computed_as.expr, vector.computed_as.lets)
        vjp = body.code(vector.vjp_output_form)
        generated.append(Function(
            name=f"{vector.name}_vjp", arguments=[f"x: {ARRAY}", f"{upstream}: {ARRAY}"], returns="np.ndarray",
            doc=(
                f"Vector-Jacobian product of ``{vector.name}``: the gradient with respect to x, given\n"
                f"    the gradient {upstream} with respect to its output {output}:\n"
                f"    {_formula(vector.vjp_output_form)}."
            ),
            checks=[_rows_check(f"{vector.name}_vjp", ["x", upstream])], result=vjp, forward=body.statements,
        ))
    return generated


def loss_functions(losses: list[Loss]) -> list[Function]:
    """``name(targets, predictions, derivative=False)`` for each loss."""
    return [_printed("loss", loss.name, _loss, loss) for loss in losses]


def _loss(loss: Loss) -> Function:
    targets, predictions = str(loss.targets.label), str(loss.predictions.label)
    cost, gradient = loss.cost_computed_as, loss.gradient_computed_as
    top = Body()
    for size, code in size_bindings([cost.expr, gradient.expr], predictions, predictions):
        top.add(size, code)
    derivative = top.branch()
    derivative_result = derivative.code(gradient.expr, gradient.lets, like=predictions)
    forward = top.branch()
    result = forward.code(cost.expr, cost.lets)
    domain = loss.inputs.prediction_range
    within = "" if domain is None else f", within=({domain[0]!r}, {domain[1]!r})"
    return Function(
        name=loss.name,
        arguments=[f"{targets}: {ARRAY}", f"{predictions}: {ARRAY}", DERIVATIVE, *_parameters(loss.params)],
        doc=(
            f"{loss.doc}\n\n    With ``derivative=True``, returns the gradient of the cost "
            f"with respect to {predictions}:\n    {_formula(loss.gradient)}."
        ),
        checks=_parameter_checks(loss.name, loss.params) + [
            f'{targets}, {predictions}, _out = _loss_arguments("{loss.name}", "{targets}", {targets}, '
            f'"{predictions}", {predictions}{within})'],
        result=result, shared=top.statements,
        derivative=derivative.statements, derivative_result=derivative_result, forward=forward.statements,
    )


def penalty_functions(penalties: list[Penalty]) -> list[Function]:
    """``name(w, strength, derivative=False)`` for each penalty."""
    return [_printed("penalty", p.name, _penalty, p) for p in penalties]


def _penalty(penalty: Penalty) -> Function:
    weights = str(penalty.weights.label)
    top = Body()
    derivative = top.branch()
    derivative_result = derivative.code(penalty.gradient, like=weights)
    forward = top.branch()
    result = forward.code(penalty.cost)
    return Function(
        name=penalty.name, arguments=[f"{weights}: {ARRAY}", f"{STRENGTH}: float", DERIVATIVE],
        doc=(
            f"{penalty.doc}\n\n    Add it to a loss; with ``derivative=True``, returns its gradient "
            f"{_formula(penalty.gradient)}."
        ),
        checks=[
            f'_parameter("{penalty.name}", "{STRENGTH}", {STRENGTH}, zero_allowed=True)',
            f'{weights}, _out = _elementwise_argument("{penalty.name}", "{weights}", {weights})',
        ],
        result=result, derivative=derivative.statements,
        derivative_result=derivative_result, forward=forward.statements,
    )


@dataclass(frozen=True)
class Initializer:
    """One generated initialiser: fills an array of ``shape`` from ``rng``."""

    name: str
    arguments: list[str]
    doc: str
    distribution: str
    scale: str


def initializer_functions(initializers: list[InitializerItem]) -> list[Initializer]:
    """``name(shape, rng, **params)`` for each initialiser; the scale printed from its expression."""
    generated = []
    for item in initializers:
        generated.append(Initializer(
            name=item.name,
            arguments=["shape: tuple[int, int]", "rng: np.random.Generator", *_parameters(item.params)],
            doc=item.doc,
            distribution=item.distribution.value,
            scale=to_numpy(item.scale),
        ))
    return generated
