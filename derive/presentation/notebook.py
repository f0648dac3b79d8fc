"""Notebook display: every derivation object as display math, one ``$$`` block per group of aligned rows.

``derive.core.shown_as_math.ShownAsMath`` calls ``math_of`` when Jupyter shows
an object, so the dataclasses stay plain data and importing them prints nothing.
"""

from derive.catalog.activations import Activation
from derive.catalog.initializers import Initializer
from derive.catalog.losses import Loss
from derive.catalog.penalties import Penalty
from derive.catalog.vector_functions import VectorFunction
from derive.layers.dense import DenseRule
from derive.layers.layer_derivations import DenseLayer, TrainingLayers
from derive.presentation.latex import (
    Block, dense_blocks, dense_rule_block, item_blocks, program_blocks, training_layer_blocks,
)
from derive.presentation.markdown import display_math
from derive.program.network import Program

__all__ = ["math_of"]


def math_of(derivation: object) -> str:
    """Display math of a catalogue item (definition and derived forms), a layer derivation or a network program."""
    if isinstance(derivation, Activation | VectorFunction | Loss | Penalty | Initializer):
        blocks = item_blocks(derivation)
    elif isinstance(derivation, DenseRule):
        blocks = [dense_rule_block(derivation)]
    elif isinstance(derivation, DenseLayer):
        blocks = dense_blocks(derivation)
    elif isinstance(derivation, TrainingLayers):
        blocks = training_layer_blocks(derivation)
    elif isinstance(derivation, Program):
        blocks = program_blocks(derivation)
    else:
        raise TypeError(f"no display for {type(derivation).__name__}")
    return _display(blocks)


def _display(blocks: list[Block]) -> str:
    return "\n".join(display_math(block.rows) for block in blocks)
