"""Notebook display: in Jupyter, every derivation object renders as its mathematics.

Jupyter shows an object through its ``_repr_latex_`` (or ``_repr_markdown_``)
method when it has one.  The methods are attached here, beside the renderers
they call, so the dataclasses of ``activations``, ``vector``, ``losses``,
``penalties``, ``initializers``, ``dense`` and ``network`` stay plain data
that import no printing.
``derive/__init__.py`` imports this module, so ``import derive`` is enough.
"""

from .activations import Activation
from .dense import DenseRule
from .explain import Walkthrough
from .explain_render import render
from .initializers import Initializer
from .latex import Block, dense_rule_block, item_blocks, program_blocks
from .losses import Loss
from .markdown import display_math
from .network import Program
from .penalties import Penalty
from .vector import VectorFunction

__all__ = ["math_of"]


def math_of(blocks: list[Block]) -> str:
    """Display math for Jupyter: one ``$$`` block per group of aligned rows."""
    return "\n".join(display_math(block.rows) for block in blocks)


def _item_latex(self: Activation | VectorFunction | Loss | Penalty | Initializer) -> str:
    """The item's definition and derived forms."""
    return math_of(item_blocks(self))


def _dense_rule_latex(self: DenseRule) -> str:
    """The layer's forward product and its three gradients."""
    return math_of([dense_rule_block(self)])


def _program_latex(self: Program) -> str:
    """The network's straight-line program, stage by stage."""
    return math_of(program_blocks(self))


def _walkthrough_markdown(self: Walkthrough) -> str:
    """The walk-through with headings, as ``--format md`` prints it."""
    return render(self, "md", level=3)


for _kind in (Activation, VectorFunction, Loss, Penalty, Initializer):
    _kind._repr_latex_ = _item_latex
DenseRule._repr_latex_ = _dense_rule_latex
Program._repr_latex_ = _program_latex
Walkthrough._repr_markdown_ = _walkthrough_markdown
