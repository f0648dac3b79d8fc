"""Derivations as LaTeX: each catalogue item, the dense layer, and whole networks.

Every formula is ``sympy.latex`` of the same SymPy objects ``codegen``
prints, so the document and the generated code cannot disagree.
"""

import re
from dataclasses import dataclass

from sympy import Function, Symbol, piecewise_fold
from sympy.printing.latex import LatexPrinter

from derive.catalog.activations import Activation
from derive.layers.dense import DenseRule
from derive.layers.layer_derivations import DenseLayer, TrainingLayers, dense_layer, training_layers
from derive.catalog.initializers import Initializer
from derive.catalog.losses import Loss
from derive.catalog.penalties import Penalty
from derive.program.network import Assignment, Mode, Program, Stage
from derive.spec.model import BiasKind
from derive.core.symbols import x, y
from derive.catalog.vector_functions import VectorFunction
from derive.stability.search import AS_IS, Found

__all__ = [
    "Block", "latex", "item_blocks", "dense_rule_block", "dense_blocks", "program_blocks", "program_title",
    "item_latex", "dense_latex", "program_latex", "bias_kind", "program_stages", "where",
]


@dataclass(frozen=True)
class Block:
    """A titled group of aligned equations, each row ``lhs &= rhs && \\text{note}``.

    The same rows print as a LaTeX ``align*`` environment here and as display
    math for Markdown and Jupyter (``derive.presentation.markdown``).
    """

    title: str
    rows: tuple[str, ...]

    def tex(self) -> str:
        return f"% {self.title}\n\\begin{{align*}}\n" + " \\\\\n".join(self.rows) + "\n\\end{align*}"


class _Printer(LatexPrinter):
    """``sympy.latex`` with array names as the code spells them and ``1`` as a bold one."""

    def _print_Symbol(self, expr: Symbol, style: str = "plain") -> str:
        return _name(expr.name) if len(expr.name) > 1 else super()._print_Symbol(expr, style)

    def _print_MatrixSymbol(self, expr) -> str:
        return _name(expr.name) if len(expr.name) > 1 else super()._print_MatrixSymbol(expr)

    def _print_IndexedBase(self, expr) -> str:
        return _name(str(expr.label)) if len(str(expr.label)) > 1 else str(expr.label)

    def _print_Indexed(self, expr) -> str:
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{{{self._print(expr.base)}}}_{{{indices}}}"

    # Accurate numerical forms read as the mathematics they compute.
    def _print_expm1(self, expr, exp=None) -> str:
        return rf"\left(e^{{{self._print(expr.args[0])}}} - 1\right)"

    def _print_log1p(self, expr, exp=None) -> str:
        return rf"\log\left(1 + {self._print(expr.args[0])}\right)"

    def _print_logaddexp(self, expr, exp=None) -> str:
        a, b = (self._print(arg) for arg in expr.args)
        return rf"\log\left(e^{{{a}}} + e^{{{b}}}\right)"

    def _print_OneMatrix(self, expr) -> str:
        return r"\mathbf{1}"


def _name(name: str) -> str:
    """``inp1`` -> ``\\mathrm{inp}_{1}``, ``y_pred`` -> ``\\mathrm{y\\_pred}``: the code's own names."""
    match = re.fullmatch(r"(.*?)(\d+)", name)
    stem, digits = (match.group(1), match.group(2)) if match else (name, "")
    text = r"\mathrm{" + stem.replace("_", r"\_") + "}"
    return f"{text}_{{{digits}}}" if digits else text


def latex(expr) -> str:
    """LaTeX of a SymPy object in symprop's notation."""
    return _Printer().doprint(expr)


def _text(words: str) -> str:
    return "\\text{" + words.replace("_", "\\_") + "}"


def _latex_of(blocks: list[Block]) -> str:
    return "\n\n".join(block.tex() for block in blocks)


def activation_blocks(activation: Activation) -> list[Block]:
    """Definition, raw derivative, computed forms with their derivations, and the output form with its proof."""
    f = Function("f")
    rows = [
        f"f(x) &= {latex(activation.definition)}",
        f"f'(x) &= {latex(activation.derivative)} && {_text('by sympy.diff')}",
    ]
    forward, backward = activation.searches
    rows += _search_rows("f(x)", forward)
    if activation.derivative_computed_as is not None:
        rows += _search_rows("f'(x)", backward)
    if activation.output_form is None:
        rows.append(f"& {_text('no form of f′ in y = f(x) alone is proven')}")
    else:
        rows.append(
            f"f'(x) &= {latex(activation.output_form)}, \\quad y = {latex(f(x))} "
            f"&& {_text('output form, proven equal')}"
        )
        at_output = piecewise_fold(activation.output_form.subs(y, activation.definition))
        proof = _text("proof: f'(x) minus the output form at y = f(x), simplified by SymPy")
        rows.append(f"0 &= {latex(activation.derivative)} - \\left({latex(at_output)}\\right) && {proof}")
    params = ", ".join(f"{latex(p.symbol)} = {p.default:g}" for p in activation.params)
    title = f"{activation.name}: {activation.doc}" + (f" (defaults: {params})" if params else "")
    return [Block(title, tuple(rows))]


def _search_rows(left: str, found: Found) -> list[str]:
    """The computed form, how it was found and how accurate it is, and each step of its derivation."""
    if found.how == AS_IS:
        return []
    accuracy = found.accuracy
    note = f"computed form ({found.how}): {accuracy.max_ulp:.2g} ulp at most where well conditioned"
    rows = [f"{left} &= {latex(found.form)} && {_text(note)}"]
    for derivation, _ in found.pieces:
        for step in derivation.steps:
            rows.append(f"{latex(step.before)} &= {latex(step.after)} && {_text('step: ' + step.rule)}")
    return rows


def vector_blocks(vector: VectorFunction) -> list[Block]:
    """Definition, Jacobian and vector-Jacobian product of a vector function."""
    s, z, g = (latex(b) for b in (vector.output, vector.inputs, vector.upstream))
    rows = (
        f"{s}_{{n,i}} &= {latex(vector.definition)}",
        f"\\frac{{\\partial {s}_{{n,i}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.jacobian)}",
        f"\\frac{{\\partial {s}_{{n,j}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.jacobian_diagonal)} "
        f"&& {_text('diagonal, in the outputs')}",
        f"\\sum_i {g}_{{n,i}} \\frac{{\\partial {s}_{{n,i}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.vjp)}",
        f"&= {latex(vector.vjp_output_form)} && {_text('in the outputs, proven equal')}",
    )
    return [Block(f"{vector.name}: {vector.doc}", rows)]


def loss_blocks(loss: Loss) -> list[Block]:
    """Cost, gradient and the computed form the code uses."""
    p = latex(loss.predictions)
    partial = f"\\frac{{\\partial L}}{{\\partial {p}_{{m,j}}}}"
    rows = [f"L &= {latex(loss.cost)}", f"{partial} &= {latex(loss.gradient)} && {_text('by sympy.diff')}"]
    if loss.cost_computed_as.lets:
        for let in loss.cost_computed_as.lets:
            rows.append(f"{latex(let.name)}_{{n,i}} &= {latex(let.value)} && {_text('shifted logits')}")
        rows.append(f"L &= {latex(loss.cost_computed_as.expr)} && {_text('computed form (log-sum-exp), proven equal')}")
    return [Block(f"{loss.name}: {loss.doc}", tuple(rows))]


def penalty_blocks(penalty: Penalty) -> list[Block]:
    """A penalty's cost and its entrywise gradient."""
    w = latex(penalty.weights)
    rows = [
        f"P &= {latex(penalty.cost)}",
        f"\\frac{{\\partial P}}{{\\partial {w}_{{m,j}}}} &= {latex(penalty.gradient)} && {_text('entry by entry')}",
    ]
    return [Block(f"{penalty.name}: {penalty.doc}", tuple(rows))]


def initializer_blocks(initializer: Initializer) -> list[Block]:
    """An initialiser's distribution and scale, from its variance."""
    kind = initializer.distribution.value
    rows = []
    if initializer.variance is not None:
        rows.append(f"\\operatorname{{Var}}(w) &= {latex(initializer.variance)}")
    label = {"constant": "w", "normal": "\\sigma", "uniform": "a"}[kind]
    note = {"constant": "every entry", "normal": "w \\sim N(0, \\sigma^2)", "uniform": "w \\sim U(-a, a)"}[kind]
    rows.append(f"{label} &= {latex(initializer.scale)} && {_text(note) if kind == 'constant' else note}")
    return [Block(f"{initializer.name}: {initializer.doc}", tuple(rows))]


def item_blocks(item: Activation | VectorFunction | Loss | Penalty | Initializer) -> list[Block]:
    """The blocks of any catalogue item, by its kind."""
    for kind, render in (
        (Activation, activation_blocks), (VectorFunction, vector_blocks), (Loss, loss_blocks),
        (Penalty, penalty_blocks), (Initializer, initializer_blocks),
    ):
        if isinstance(item, kind):
            return render(item)
    raise TypeError(f"no LaTeX rendering for {type(item).__name__}")


def dense_rule_block(rule: DenseRule) -> Block:
    """One dense rule's forward product and gradients, from matrix calculus."""
    rows = [f"Z &= {latex(rule.forward)}"]
    rows.append(f"\\frac{{\\partial L}}{{\\partial W}} &= {latex(rule.grad_W)}")
    rows.append(f"\\frac{{\\partial L}}{{\\partial X}} &= {latex(rule.grad_X)}")
    if rule.grad_b is not None:
        rows.append(f"\\frac{{\\partial L}}{{\\partial b}} &= {latex(rule.grad_b)}")
    return Block(f"dense layer, bias {bias_kind(rule)}; G = dL/dZ, 1 a matrix of ones", tuple(rows))


def bias_kind(rule: DenseRule) -> str:
    """The spec's name of the rule's bias: ``none``, ``shared`` (shape (1, 1)) or ``per_neuron``."""
    return "none" if rule.b is None else BiasKind.SHARED.value if rule.b.shape == (1, 1) else BiasKind.PER_NEURON.value


def dense_blocks(layer: DenseLayer) -> list[Block]:
    """The dense layer's gradients for each bias kind, then the elementwise activation step."""
    step = "G &= f'(Z) \\odot \\frac{\\partial L}{\\partial H}, \\quad H = f(Z)"
    return [dense_rule_block(rule) for _, rule in layer.rules] + [Block("activation step, elementwise", (step,))]


def training_layer_blocks(layers: TrainingLayers) -> list[Block]:
    """Batch normalisation of one feature ``i`` over a batch ``z`` and its derived gradients; then dropout's."""
    norm, drop = layers.batch_norm, layers.dropout
    return [
        Block("batch normalisation in training: the batch's mean and variance, per feature i", (
            f"\\mathrm{{mean}}_i &= {latex(norm.mean)}",
            f"\\mathrm{{var}}_i &= {latex(norm.variance)}",
            f"\\mathrm{{out}}_{{n,i}} &= {latex(norm.training)}",
        )),
        Block("batch normalisation in inference, and the running statistics each training step moves", (
            f"\\mathrm{{out}}_{{n,i}} &= {latex(norm.inference)}",
            f"\\mathrm{{running\\_mean}} &\\leftarrow {latex(norm.running_mean)}",
            f"\\mathrm{{running\\_var}} &\\leftarrow {latex(norm.running_variance)}",
        )),
        Block("batch normalisation's gradients, derived through the mean and the variance; G = dL/d out", (
            f"\\frac{{\\partial L}}{{\\partial z_{{n,i}}}} &= {latex(norm.grad_input)}",
            f"\\frac{{\\partial L}}{{\\partial \\gamma}} &= {latex(norm.grad_gamma)}",
            f"\\frac{{\\partial L}}{{\\partial \\beta}} &= {latex(norm.grad_beta)}",
        )),
        Block("inverted dropout with probability p, u drawn uniformly on [0, 1); G = dL/d out", (
            f"\\mathrm{{mask}} &= {latex(drop.mask)}",
            f"\\mathrm{{out}} &= {latex(drop.output)}",
            f"\\frac{{\\partial L}}{{\\partial h}} &= {latex(drop.grad_input)}",
        )),
    ]


def program_stages(program: Program) -> list[tuple[Stage, list[Assignment]]]:
    """The stages that have assignments, each with its assignments, a target shown once per mode (updates all)."""
    stages, seen = [], set()
    for stage in Stage:
        shown = []
        for assignment in program.stage(stage):
            if (assignment.target, assignment.mode) in seen and stage is not Stage.UPDATE:
                continue
            seen.add((assignment.target, assignment.mode))
            shown.append(assignment)
        if shown:
            stages.append((stage, shown))
    return stages


def program_blocks(program: Program) -> list[Block]:
    """A network's chain rule, one block per stage of its straight-line program."""
    return [
        Block(stage.value, tuple(
            f"{latex(Symbol(a.target))} &= {latex(a.shown)} && {_text(where(a))}" for a in assignments
        ))
        for stage, assignments in program_stages(program)
    ]


def program_title(program: Program) -> str:
    """``network NAME: DESCRIPTION``, or ``network NAME`` for a spec without a description."""
    description = program.spec.description
    return f"network {program.spec.name}" + (f": {description}" if description else "")


def item_latex(item: Activation | VectorFunction | Loss | Penalty | Initializer) -> str:
    """A catalogue item's derivation as LaTeX."""
    return _latex_of(item_blocks(item))


def dense_latex() -> str:
    """The dense layer's gradients for each bias kind, from matrix calculus, as LaTeX."""
    return _latex_of(dense_blocks(dense_layer()))


def training_layers_latex() -> str:
    """Batch normalisation's and dropout's forward passes and derived gradients, as LaTeX."""
    return _latex_of(training_layer_blocks(training_layers()))


def program_latex(program: Program) -> str:
    """A network's chain rule, layer by layer, as one straight-line program in LaTeX."""
    return f"% {program_title(program)}\n\n" + _latex_of(program_blocks(program))


def where(assignment: Assignment) -> str:
    """Where an assignment belongs: ``layer 1, activation`` (its mode when it has one)."""
    role = assignment.role if assignment.mode is Mode.ALWAYS else f"{assignment.role} ({assignment.mode.value})"
    return f"layer {assignment.layer}, {role}" if assignment.layer else role
