"""Derivations as LaTeX: each catalogue item, the dense layer, and whole networks.

Every formula is ``sympy.latex`` of the same SymPy objects ``codegen``
prints, so the document and the generated code cannot disagree.
"""

import re

from sympy import Function, Symbol
from sympy.printing.latex import LatexPrinter

from .activations import Activation
from .dense import dense_rule
from .losses import Loss
from .network import Program, Stage
from .spec import BiasKind
from .symbols import x
from .vector import VectorFunction

__all__ = ["activation_latex", "vector_latex", "loss_latex", "dense_latex", "program_latex"]


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


def _align(rows: list[str]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _text(words: str) -> str:
    return "\\text{" + words.replace("_", "\\_") + "}"


def activation_latex(activation: Activation) -> str:
    """Definition, raw derivative, computed form and output form of an activation."""
    f = Function("f")
    rows = [
        f"f(x) &= {latex(activation.definition)}",
        f"f'(x) &= {latex(activation.derivative)} && {_text('by sympy.diff')}",
    ]
    if activation.computed_as != activation.definition:
        rows.append(f"f(x) &= {latex(activation.computed_as)} && {_text('computed form, proven equal')}")
    if activation.output_form is None:
        rows.append(f"& {_text('no form of f′ in y = f(x) alone is proven')}")
    else:
        rows.append(
            f"f'(x) &= {latex(activation.output_form)}, \\quad y = {latex(f(x))} "
            f"&& {_text('output form, proven equal')}"
        )
    params = ", ".join(f"{latex(p.symbol)} = {p.default:g}" for p in activation.params)
    header = f"% {activation.name}: {activation.doc}" + (f" (defaults: {params})" if params else "")
    return header + "\n" + _align(rows)


def vector_latex(vector: VectorFunction) -> str:
    """Definition, Jacobian and vector-Jacobian product of a vector function."""
    s, z, g = (latex(b) for b in (vector.output, vector.inputs, vector.upstream))
    rows = [
        f"{s}_{{n,i}} &= {latex(vector.definition)}",
        f"\\frac{{\\partial {s}_{{n,i}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.jacobian)}",
        f"\\frac{{\\partial {s}_{{n,j}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.jacobian_diagonal)} "
        f"&& {_text('diagonal, in the outputs')}",
        f"\\sum_i {g}_{{n,i}} \\frac{{\\partial {s}_{{n,i}}}}{{\\partial {z}_{{n,j}}}} &= {latex(vector.vjp)}",
        f"&= {latex(vector.vjp_output_form)} && {_text('in the outputs, proven equal')}",
    ]
    return f"% {vector.name}: {vector.doc}\n" + _align(rows)


def loss_latex(loss: Loss) -> str:
    """Cost, raw gradient, assumptions and the gradient the code uses."""
    p = latex(loss.predictions)
    partial = f"\\frac{{\\partial L}}{{\\partial {p}_{{m,j}}}}"
    rows = [f"L &= {latex(loss.cost)}", f"{partial} &= {latex(loss.raw_gradient)} && {_text('by sympy.diff')}"]
    for assumption in loss.assumptions:
        rows.append(f"& {latex(assumption.statement)} && {_text('assumed: ' + assumption.description)}")
    if loss.assumptions:
        rows.append(f"{partial} &= {latex(loss.gradient)}")
    if loss.cost_computed_as.lets:
        for let in loss.cost_computed_as.lets:
            rows.append(f"{latex(let.name)}_{{n,i}} &= {latex(let.value)} && {_text('shifted logits')}")
        rows.append(f"L &= {latex(loss.cost_computed_as.expr)} && {_text('computed form (log-sum-exp), proven equal')}")
    return f"% {loss.name}: {loss.doc}\n" + _align(rows)


def dense_latex() -> str:
    """The dense layer's gradients for each bias kind, from matrix calculus."""
    blocks = []
    for kind in BiasKind:
        rule = dense_rule(kind)
        rows = [f"Z &= {latex(rule.forward)}"]
        rows.append(f"\\frac{{\\partial L}}{{\\partial W}} &= {latex(rule.grad_W)}")
        rows.append(f"\\frac{{\\partial L}}{{\\partial X}} &= {latex(rule.grad_X)}")
        if rule.grad_b is not None:
            rows.append(f"\\frac{{\\partial L}}{{\\partial b}} &= {latex(rule.grad_b)}")
        blocks.append(f"% dense layer, bias {kind.value}; G = dL/dZ, 1 a matrix of ones\n" + _align(rows))
    step = f"G &= f'(Z) \\odot \\frac{{\\partial L}}{{\\partial H}}, \\quad H = f(Z)"
    blocks.append("% activation step, elementwise\n" + _align([step]))
    return "\n\n".join(blocks)


def program_latex(program: Program) -> str:
    """A network's chain rule, layer by layer, as one straight-line program."""
    blocks = [f"% network {program.spec.name}: {program.spec.description}"]
    seen = set()
    for stage in Stage:
        rows = []
        for assignment in program.stage(stage):
            if assignment.target in seen and stage is not Stage.UPDATE:
                continue
            seen.add(assignment.target)
            target = latex(Symbol(assignment.target))
            rows.append(f"{target} &= {latex(assignment.shown)} && {_text(_where(assignment))}")
        blocks.append(f"% {stage.value}\n" + _align(rows))
    return "\n\n".join(blocks)


def _where(assignment) -> str:
    return f"layer {assignment.layer}, {assignment.role}" if assignment.layer else assignment.role
