"""The data a network spec reads into: plain records and enums, no reading and no SymPy.

The layers import these types alone, so deriving a layer or a network
never loads the TOML reader (``derive.spec.network_spec``).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "Vocabulary", "BiasKind", "LayerKind", "Padding", "Window", "LayerSpec", "NetworkSpec", "OptimizerName",
    "Reduction", "ScheduleKind", "ScheduleSpec", "OptimizerSpec", "window_extent",
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


class LayerKind(str, Enum):
    """What a layer computes: a dense product, a 2-D convolution, a pooling over windows, or a flattening."""

    DENSE = "dense"
    CONV2D = "conv2d"
    MAX_POOL = "max_pool"
    AVG_POOL = "avg_pool"
    FLATTEN = "flatten"


class Padding(str, Enum):
    """``valid``: windows inside the input only; ``same``: zero padding so the output is ``ceil(H/s)`` rows."""

    VALID = "valid"
    SAME = "same"


def window_extent(size: int, extent: int, stride: int, padding: Padding) -> tuple[int, int]:
    """``(outputs, zeros before)`` of windows of ``extent`` at ``stride`` over ``size`` entries.

    ``valid`` keeps every window inside; ``same`` gives ``ceil(size/stride)``
    outputs and pads with zeros, the odd one after (TensorFlow's split).
    """
    if padding is Padding.VALID:
        return (size - extent) // stride + 1, 0
    out = -(-size // stride)
    return out, max((out - 1) * stride + extent - size, 0) // 2


@dataclass(frozen=True)
class Window:
    """A window layer's geometry: its input and output ``(channels, height, width)``, window, stride and padding."""

    input: tuple[int, int, int]
    output: tuple[int, int, int]
    window: tuple[int, int]
    stride: int
    padding: Padding


@dataclass(frozen=True)
class LayerSpec:
    """A layer and how it is built and trained.

    ``activation_params`` holds only the parameters the spec sets; the others
    keep the catalogue's defaults.  ``bias_init`` is None for a layer without
    bias; ``penalty`` and ``penalty_strength`` are None for a layer without
    penalty.  ``units`` is the width of the layer's output as the network
    stores it, flat: ``channels·height·width`` for a window layer, whose
    geometry is ``window``.  A pooling or flattening layer has activation
    ``linear`` and no bias, weights, dropout, batch normalisation or penalty.
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
    kind: LayerKind = LayerKind.DENSE
    window: Window | None = None

    def weight_shape(self, fan_in: int) -> tuple[int, int] | None:
        """``wK``'s shape: ``(units, fan_in)``; a convolution's kernel flat, ``(filters, channels·rows·columns)``."""
        if self.kind is LayerKind.DENSE:
            return (self.units, fan_in)
        if self.kind is LayerKind.CONV2D:
            channels, _, _ = self.window.input
            return (self.window.output[0], channels * self.window.window[0] * self.window.window[1])
        return None

    @property
    def shape(self) -> tuple[int, ...]:
        """The layer's output as its definition indexes it: ``(channels, height, width)``, or ``(units,)``."""
        return self.window.output if self.window is not None else (self.units,)


@dataclass(frozen=True)
class NetworkSpec:
    """A feed-forward network, its loss, its optimiser and optional worked example.

    ``loss_reduction`` is the reduction the spec sets, or None for the loss's own.
    ``inputs`` is the width of ``x``; ``input_shape`` the ``(channels, height,
    width)`` its rows hold, flattened in row-major order, when the spec gives a shape.
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
    input_shape: tuple[int, ...] | None = None

    @property
    def learning_rate(self) -> float:
        """The optimiser's base learning rate: the step of the generated ``update``."""
        return self.optimizer.learning_rate
