"""The layer derivations shown by name beside the catalogue: ``dense`` and ``training_layers``.

``dense`` is the dense layer's matrix calculus for every bias kind;
``training_layers`` is batch normalisation and inverted dropout over symbolic
names (dropout's probability a symbol ``p``), as the documents show them.
"""

from dataclasses import dataclass

from sympy import Symbol

from derive.core.shown_as_math import ShownAsMath
from derive.layers.batch_norm import BatchNorm, batch_norm
from derive.layers.dense import DenseRule, dense_rule
from derive.layers.dropout import Dropout, dropout
from derive.spec.model import BiasKind

__all__ = ["DenseLayer", "TrainingLayers", "dense_layer", "training_layers"]


@dataclass(frozen=True, repr=False)
class DenseLayer(ShownAsMath):
    """``Z = X Wᵀ + 1 b`` differentiated for each bias kind, in ``BiasKind`` order."""

    rules: tuple[tuple[BiasKind, DenseRule], ...]
    name: str = "dense"


@dataclass(frozen=True, repr=False)
class TrainingLayers(ShownAsMath):
    """Batch normalisation of a batch ``z`` and dropout of ``h``, each with its derived gradient."""

    batch_norm: BatchNorm
    dropout: Dropout
    name: str = "training_layers"


def dense_layer() -> DenseLayer:
    """The dense layer's rule for every bias kind, over symbolic sizes."""
    return DenseLayer(tuple((kind, dense_rule(kind)) for kind in BiasKind))


def training_layers() -> TrainingLayers:
    """Batch normalisation over ``z`` and ``G``; dropout of ``h`` with probability ``p``, draws ``u``."""
    drop = dropout(Symbol("p", positive=True), "h", draws="u", mask="mask", upstream="G")
    return TrainingLayers(batch_norm(), drop)
