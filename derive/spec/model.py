"""The data a network spec reads into: plain records and enums, no reading and no SymPy.

The layers import these types alone, so deriving a layer or a network
never loads the TOML reader (``derive.spec.network_spec``).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "Vocabulary", "BiasKind", "LayerSpec", "NetworkSpec", "OptimizerName", "Reduction", "ScheduleKind", "ScheduleSpec",
    "OptimizerSpec",
]


class OptimizerName(str, Enum):
    """Plain gradient descent, or gradient descent with momentum."""

    SGD = "sgd"
    MOMENTUM = "momentum"


class ScheduleKind(str, Enum):
    """How the learning rate ``lr`` changes with the epoch ``e`` (counted from 0).

    ``none``: ``lr``; ``time_based``: ``lr/(1 + rate*e)``; ``exponential``:
    ``lr*rate**e``; ``staircase``: ``lr*rate**floor(e/step)``.
    """

    NONE = "none"
    TIME_BASED = "time_based"
    EXPONENTIAL = "exponential"
    STAIRCASE = "staircase"


@dataclass(frozen=True)
class ScheduleSpec:
    """A learning-rate schedule: its kind, its ``rate`` and, for ``staircase``, its ``step`` in epochs."""

    kind: ScheduleKind = ScheduleKind.NONE
    rate: float | None = None
    step: int | None = None


@dataclass(frozen=True)
class OptimizerSpec:
    """The optimiser, its base learning rate, momentum (``momentum`` only) and schedule."""

    name: OptimizerName
    learning_rate: float
    momentum: float | None
    schedule: ScheduleSpec


@dataclass(frozen=True)
class Vocabulary:
    """What a spec may name: the accepted names by kind, and each item's parameters.

    ``names`` maps ``"activation"``, ``"loss"``, ``"initializer"`` and
    ``"penalty"`` to their names; ``parameters(item)`` maps each parameter
    of the item to whether it must be positive.
    """

    names: Mapping[str, Sequence[str]]
    parameters: Callable[[str], Mapping[str, bool]]


class Reduction(str, Enum):
    """How a loss's costs per entry become one number (``docs/specs.md``, "Reductions").

    ``sum`` sums them; ``mean`` averages them over every entry; ``mean_over_samples``
    sums each sample's and averages those over the samples.
    """

    SUM = "sum"
    MEAN = "mean"
    MEAN_OVER_SAMPLES = "mean_over_samples"


class BiasKind(str, Enum):
    """How a layer's bias is shaped: one per neuron, one shared by the layer, or none."""

    PER_NEURON = "per_neuron"
    SHARED = "shared"
    NONE = "none"


@dataclass(frozen=True)
class LayerSpec:
    """A dense layer and how it is built and trained.

    ``activation_params`` holds only the parameters the spec sets; the others
    keep the catalogue's defaults.  ``bias_init`` is None for a layer without
    bias; ``penalty`` and ``penalty_strength`` are None for a layer without
    penalty.
    """

    units: int
    activation: str
    activation_params: Mapping[str, float]
    bias: BiasKind
    weight_init: str
    bias_init: str | None
    dropout: float
    batch_norm: bool
    penalty: str | None
    penalty_strength: float | None
    trainable: bool


@dataclass(frozen=True)
class NetworkSpec:
    """A feed-forward network, its loss, its optimiser and optional worked example.

    ``loss_reduction`` is the reduction the spec sets, or None for the loss's own.
    """

    name: str
    description: str
    inputs: int
    layers: tuple[LayerSpec, ...]
    loss: str
    loss_params: Mapping[str, float]
    optimizer: OptimizerSpec
    example: dict[str, list] | None
    source: str
    loss_reduction: Reduction | None = None

    @property
    def learning_rate(self) -> float:
        """The optimiser's base learning rate: the step of the generated ``update``."""
        return self.optimizer.learning_rate
