"""Derivations as plain text: ``str`` gives a few aligned lines, ``repr`` one short line.

Every expression is printed by SymPy's ``sstr``, so the text reads as the
definitions are written in ``derive/``.  ``derive.core.shown_as_math.ShownAsMath``
calls these when an object is printed, so importing the maths loads none of it.
"""

from sympy import Basic, sstr

from derive.catalog.activations import Activation
from derive.catalog.initializers import Initializer
from derive.catalog.losses import Loss
from derive.catalog.penalties import Penalty
from derive.catalog.vector_functions import VectorFunction
from derive.layers.dense import DenseRule
from derive.layers.layer_derivations import DenseLayer, TrainingLayers
from derive.presentation.latex import bias_kind, program_stages, program_title, where
from derive.program.network import Program
from derive.stability.search import AS_IS, Found

__all__ = ["text_of", "summary_of"]

#: ``(label, expression, note)``: one line ``label = expression    # note``.
Row = tuple[str, Basic, str]
#: The longest ``repr``: a long expression is cut short with ``...``.
SUMMARY_WIDTH = 160


def text_of(derivation: object) -> str:
    """The derivation in a few lines: a title, then each form as ``label = expression``."""
    return "\n\n".join(_section(title, rows) for title, rows in _sections(derivation))


def summary_of(derivation: object) -> str:
    """One line: ``<Activation sigmoid: f(x) = 1/(1 + exp(-x))>``, a long expression cut short."""
    kind = type(derivation).__name__
    if isinstance(derivation, Program):
        spec, count = derivation.spec, len(derivation.assignments)
        return f"<{kind} {spec.name}: {len(spec.layers)} layers, loss {spec.loss}, {count} assignments>"
    if isinstance(derivation, DenseLayer):
        return f"<{kind} {derivation.name}: bias {', '.join(bias.value for bias, _ in derivation.rules)}>"
    if isinstance(derivation, TrainingLayers):
        return f"<{kind} {derivation.name}: batch normalisation, dropout>"
    if isinstance(derivation, DenseRule):
        return _cut(f"<{kind} bias {bias_kind(derivation)}: Z = {sstr(derivation.forward)}>")
    label, expr, _ = _sections(derivation)[0][1][0]
    return _cut(f"<{kind} {derivation.name}: {label} = {sstr(expr)}>")


def _cut(summary: str) -> str:
    return summary if len(summary) <= SUMMARY_WIDTH else summary[:SUMMARY_WIDTH - 4] + "...>"


def _section(title: str, rows: list[Row]) -> str:
    width = max((len(label) for label, _, _ in rows), default=0)
    lines = [title]
    for label, expr, note in rows:
        line = f"  {label.ljust(width)} = {sstr(expr)}"
        lines.append(f"{line}    # {note}" if note else line)
    return "\n".join(lines)


def _sections(derivation: object) -> list[tuple[str, list[Row]]]:
    for kind, sections in _PRINTERS.items():
        if isinstance(derivation, kind):
            return sections(derivation)
    raise TypeError(f"no plain text for {type(derivation).__name__}")


def _titled(kind: str, item: Activation | VectorFunction | Loss | Penalty | Initializer, extra: str = "") -> str:
    doc = item.doc.strip().split("\n\n")[0]
    return f"{kind} {item.name}{extra}: {' '.join(doc.split())}" if doc else f"{kind} {item.name}{extra}"


def _activation(activation: Activation) -> list[tuple[str, list[Row]]]:
    rows = [("f(x)", activation.definition, ""), ("f'(x)", activation.derivative, "by sympy.diff")]
    forward, backward = activation.searches
    rows += _search_rows("f(x)", forward)
    if activation.derivative_computed_as is not None:
        rows += _search_rows("f'(x)", backward)
    if activation.output_form is not None:
        rows.append(("f'(x)", activation.output_form, "output form in y = f(x), proven equal"))
    params = ", ".join(f"{p.name} = {p.default:g}" for p in activation.params)
    return [(_titled("activation", activation, f" (defaults: {params})" if params else ""), rows)]


def _search_rows(left: str, found: Found) -> list[Row]:
    """The computed form with how it was found and its accuracy, then each step of its derivation."""
    if found.how == AS_IS:
        return []
    note = f"computed form ({found.how}), at most {found.accuracy.max_ulp:.2g} ulp where well conditioned"
    rows = [(left, found.form, note)]
    for derivation, _ in found.pieces:
        rows += [(f"  {sstr(step.before)}", step.after, f"step: {step.rule}") for step in derivation.steps]
    return rows


def _vector(vector: VectorFunction) -> list[tuple[str, list[Row]]]:
    s, z, g = (sstr(base) for base in (vector.output, vector.inputs, vector.upstream))
    rows = [
        (f"{s}[n, i]", vector.definition, ""),
        (f"d{s}[n, i]/d{z}[n, j]", vector.jacobian, "by sympy.diff"),
        (f"d{s}[n, j]/d{z}[n, j]", vector.jacobian_diagonal, "diagonal, in the outputs"),
        (f"sum_i {g}[n, i]*d{s}[n, i]/d{z}[n, j]", vector.vjp_output_form, "in the outputs, proven equal"),
    ]
    return [(_titled("vector function", vector), rows)]


def _loss(loss: Loss) -> list[tuple[str, list[Row]]]:
    rows = [("L", loss.cost, ""), (f"dL/d{sstr(loss.predictions)}[m, j]", loss.gradient, "by sympy.diff")]
    if loss.cost_computed_as.lets:
        rows += [(f"{sstr(let.name)}[n, i]", let.value, "shifted logits") for let in loss.cost_computed_as.lets]
        rows.append(("L", loss.cost_computed_as.expr, "computed form (log-sum-exp), proven equal"))
    return [(_titled("loss", loss, f" ({loss.inputs.value})"), rows)]


def _penalty(penalty: Penalty) -> list[tuple[str, list[Row]]]:
    rows = [("P", penalty.cost, ""), (f"dP/d{sstr(penalty.weights)}[m, j]", penalty.gradient, "entry by entry")]
    return [(_titled("penalty", penalty), rows)]


def _initializer(initializer: Initializer) -> list[tuple[str, list[Row]]]:
    label, note = {
        "constant": ("w", "every entry"), "normal": ("sigma", "w ~ N(0, sigma**2)"), "uniform": ("a", "w ~ U(-a, a)"),
    }[initializer.distribution.value]
    rows = [] if initializer.variance is None else [("Var(w)", initializer.variance, "")]
    return [(_titled("initializer", initializer), rows + [(label, initializer.scale, note)])]


def _dense_rule(rule: DenseRule) -> list[tuple[str, list[Row]]]:
    rows = [("Z", rule.forward, ""), ("dL/dW", rule.grad_W, ""), ("dL/dX", rule.grad_X, "")]
    if rule.grad_b is not None:
        rows.append(("dL/db", rule.grad_b, ""))
    return [(f"dense layer, bias {bias_kind(rule)}: G = dL/dZ, 1 a matrix of ones", rows)]


def _dense_layer(layer: DenseLayer) -> list[tuple[str, list[Row]]]:
    return [section for _, rule in layer.rules for section in _dense_rule(rule)]


def _training_layers(layers: TrainingLayers) -> list[tuple[str, list[Row]]]:
    norm, drop = layers.batch_norm, layers.dropout
    return [
        ("batch normalisation of feature i over a batch z; G = dL/d out", [
            ("mean[i]", norm.mean, ""), ("var[i]", norm.variance, ""), ("out[n, i]", norm.training, "training"),
            ("out[n, i]", norm.inference, "inference"), ("running_mean", norm.running_mean, "after a training step"),
            ("running_var", norm.running_variance, "after a training step"),
            ("dL/dz[n, i]", norm.grad_input, "through the mean and the variance"),
            ("dL/dgamma", norm.grad_gamma, ""), ("dL/dbeta", norm.grad_beta, ""),
        ]),
        ("inverted dropout with probability p, u drawn uniformly on [0, 1); G = dL/d out", [
            ("mask", drop.mask, ""), ("out", drop.output, ""), ("dL/dh", drop.grad_input, ""),
        ]),
    ]


def _program(program: Program) -> list[tuple[str, list[Row]]]:
    stages = [
        (f"{stage.value}:", [(a.target, a.shown, where(a)) for a in assignments])
        for stage, assignments in program_stages(program)
    ]
    return [(program_title(program), []), *stages]


_PRINTERS = {
    Activation: _activation, VectorFunction: _vector, Loss: _loss, Penalty: _penalty, Initializer: _initializer,
    DenseRule: _dense_rule, DenseLayer: _dense_layer, TrainingLayers: _training_layers, Program: _program,
}
