"""The learning rate folded into the backward pass, so the update needs no multiplication.

Backpropagation is linear in its seeds: every gradient is a sum of products
of the loss gradient ``dout`` (or a penalty's gradient) with forward values.
Scaling the seeds by the learning rate therefore scales every gradient by it,
and the update ``theta - learning_rate*dtheta`` (or momentum's
``momentum*vtheta - learning_rate*dtheta``) reads only that product.  Both
facts are checked here for the program at hand, not assumed: each backward
assignment must scale exactly with the gradients it reads, and the update
must lose ``learning_rate`` once ``dtheta`` stands for the scaled gradient.
"""

from dataclasses import replace
from functools import lru_cache

from sympy import Basic, Expr, Indexed, MatrixExpr, MatrixSymbol, Sum, Symbol, ZeroMatrix, expand, preorder_traversal
from sympy.simplify.simplify import factor_sum

from derive.core.errors import DefinitionError
from derive.layers.indexed_step import IndexedStep
from derive.program.network import THETA, Assignment, Mode, Program, Stage
from derive.layers.optimizers import LEARNING_RATE, Velocity

__all__ = ["SEEDS", "folded_backward", "folded_update"]

#: The roles of the assignments backpropagation starts from: scaled by the learning rate.
SEEDS = ("loss gradient", "penalty gradient")

_SCALE = Symbol("scale", positive=True)


def folded_backward(program: Program) -> list[Assignment]:
    """The training-mode backward assignments, with every gradient ``learning_rate`` times the true one."""
    backward = program.stage(Stage.BACKWARD, Mode.TRAINING)
    gradients = {a.target for a in backward if a.role.endswith("gradient")}
    folded = []
    for assignment in backward:
        if assignment.role in SEEDS:
            assignment = replace(assignment, expr=LEARNING_RATE * assignment.expr)
        elif assignment.target in gradients:
            _check_linear(assignment, gradients)
        folded.append(assignment)
    return folded


def folded_update(program: Program) -> tuple[list[Assignment], list[Velocity]]:
    """``Program.flat_update`` for a ``dtheta`` that already holds ``learning_rate`` times the gradient."""
    update, velocities = program.flat_update()
    gradient = MatrixSymbol(f"d{THETA}", *update[0].expr.shape)
    folded = []
    for assignment in update:
        expr = assignment.expr.xreplace({gradient: gradient / LEARNING_RATE}).doit()
        if LEARNING_RATE in expr.free_symbols:
            raise DefinitionError(
                f"update of {assignment.target}", f"{assignment.expr} uses the learning rate apart from the gradient",
                "an update that reads the gradient only as learning_rate*gradient",
            )
        folded.append(replace(assignment, expr=expr))
    return folded, velocities


def _check_linear(assignment: Assignment, gradients: set[str]) -> None:
    """``assignment`` scales by ``s`` when every gradient it reads does: homogeneous of degree one in them.

    Layers of one kind give the same expression up to their names, so the
    check runs once per expression with its names numbered in order of appearance.
    A window layer's derived sum is linear when each of its products reads one gradient entry.
    """
    if isinstance(assignment.expr, IndexedStep):
        linear = assignment.expr.is_linear_in(gradients)
    else:
        linear = _is_linear(*_numbered_names(assignment.expr, gradients))
    if not linear:
        raise DefinitionError(
            f"gradient {assignment.target}", f"{assignment.expr} is not linear in the gradients it reads",
            "a backward pass that multiplies and adds upstream gradients",
        )


def _numbered_names(expr: Expr, gradients: set[str]) -> tuple[Expr, frozenset[str]]:
    """``expr`` with every symbol and array renamed ``_0, _1, ...`` in order of appearance, and the renamed gradients.

    The renaming is one-to-one and keeps shapes and assumptions, so the
    renamed expression is linear in the renamed gradients exactly when
    ``expr`` is linear in ``gradients``.
    """
    names: dict[str, str] = {}
    renames: dict[Basic, Basic] = {}
    for node in preorder_traversal(expr):
        if isinstance(node, (Symbol, MatrixSymbol)) and node not in renames:
            new = names.setdefault(node.name, f"_{len(names)}")
            renames[node] = (
                MatrixSymbol(new, *node.shape) if isinstance(node, MatrixSymbol) else Symbol(new, **node.assumptions0)
            )
    return expr.xreplace(renames), frozenset(names[g] for g in gradients if g in names)


@lru_cache(maxsize=None)
def _is_linear(expr: Expr, gradients: frozenset[str]) -> bool:
    """True when ``expr`` is homogeneous of degree one in the arrays named in ``gradients``."""
    labels = {entry.base.label for entry in expr.atoms(Indexed)}
    arrays = (expr.free_symbols - labels) | expr.atoms(MatrixSymbol)
    scaled = expr.replace(
        lambda e: isinstance(e, Indexed) and str(e.base.label) in gradients, lambda e: _SCALE * e,
    ).xreplace({a: _SCALE * a for a in arrays if getattr(a, "name", None) in gradients})
    return _is_zero(scaled - _SCALE * expr)


def _is_zero(expr: Expr) -> bool:
    """True when ``expr`` (a matrix or an indexed expression) is identically 0, sums' factors taken out."""
    if isinstance(expr, MatrixExpr):
        expr = expr.expand().doit()
        return expr == 0 or isinstance(expr, ZeroMatrix)
    return expand(expr.doit().replace(lambda e: isinstance(e, Sum), factor_sum)) == 0
