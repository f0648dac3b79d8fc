"""The benchmarked network at each size, and its data: the notebook's Example 2 scaled up.

Dense layers with a per-neuron bias (``inpK = h @ wK.T + bK``, ``wK`` is
``(units, inputs)``, ``bK`` is ``(1, units)``), activations relu -> sigmoid
-> linear, and the softmax negative log-likelihood averaged over the batch.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ACTIVATIONS = ("relu", "sigmoid", "linear")
LOSS = "softmax_neg_log_likelihood"
LEARNING_RATE = 0.01
#: The spec of the notebook's Example 2, whose [example] table is the tiny size's data.
EXAMPLE_SPEC = Path(__file__).resolve().parent.parent / "specs" / "example2.toml"


@dataclass(frozen=True)
class Size:
    """A batch of ``batch`` samples through ``inputs`` -> ``units[0]`` -> ... -> ``units[-1]``."""

    name: str
    batch: int
    inputs: int
    units: tuple[int, ...]

    @property
    def layers(self) -> str:
        """The widths as the tables print them, e.g. ``784-256-128-10``."""
        return "-".join(str(width) for width in (self.inputs, *self.units))

    @property
    def parameter_count(self) -> int:
        """Weights and biases of every layer."""
        widths = (self.inputs, *self.units)
        return sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(widths, widths[1:]))


SIZES = {
    size.name: size
    for size in (
        Size("tiny", 1, 3, (3, 3, 3)),
        Size("small", 32, 64, (64, 64, 10)),
        Size("medium", 256, 784, (256, 128, 10)),
        Size("large", 1024, 1024, (1024, 1024, 10)),
    )
}

Params = dict[str, np.ndarray]


def parameter_names(layers: int = len(ACTIVATIONS)) -> list[str]:
    """``w1``, ``b1``, ``w2``, ... in layer order: the order every implementation keeps them in."""
    return [f"{kind}{layer}" for layer in range(1, layers + 1) for kind in "wb"]


def _notebook_problem() -> tuple[Params, np.ndarray, np.ndarray]:
    """The seed notebook's Example 2 (cell In[7]): one sample, 3-3-3-3, from ``specs/example2.toml``'s [example]."""
    with open(EXAMPLE_SPEC, "rb") as handle:
        example = {name: np.array(rows, dtype=float) for name, rows in tomllib.load(handle)["example"].items()}
    params = {name: example[name] for name in parameter_names()}
    return params, example["x"], example["y"]


def _random_problem(size: Size) -> tuple[Params, np.ndarray, np.ndarray]:
    """Glorot-uniform weights, small biases, standard-normal inputs and one-hot targets, seeded."""
    rng = np.random.default_rng(0)
    params = {}
    widths = (size.inputs, *size.units)
    for layer, (fan_in, fan_out) in enumerate(zip(widths, widths[1:]), start=1):
        limit = np.sqrt(6 / (fan_in + fan_out))
        params[f"w{layer}"] = rng.uniform(-limit, limit, size=(fan_out, fan_in))
        params[f"b{layer}"] = rng.uniform(-0.1, 0.1, size=(1, fan_out))
    x = rng.standard_normal((size.batch, size.inputs))
    y = np.eye(size.units[-1])[rng.integers(0, size.units[-1], size=size.batch)]
    return params, x, y


def problem(size: Size, dtype: str = "float64") -> tuple[Params, np.ndarray, np.ndarray]:
    """Starting parameters, inputs ``x`` and one-hot targets ``y`` for ``size``, drawn in float64, as ``dtype``."""
    params, x, y = _notebook_problem() if size.name == "tiny" else _random_problem(size)
    return {name: value.astype(dtype) for name, value in params.items()}, x.astype(dtype), y.astype(dtype)


def backward_bytes(size: Size, dtype: str = "float64") -> int:
    """Bytes a step cannot do without: every layer's output for a batch, and one gradient per parameter."""
    return np.dtype(dtype).itemsize * (size.batch * sum(size.units) + size.parameter_count)
