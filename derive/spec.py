"""Network specs: TOML files read with ``tomllib`` and checked field by field.

Every problem is reported as a ``SpecError`` naming the file, the field path
(``layers[1].activation``), what was wrong and what is accepted.
"""

import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

__all__ = ["BiasKind", "LayerSpec", "NetworkSpec", "SpecError", "load_spec", "parse_spec", "SPEC_DIR"]

#: The folder whose ``*.toml`` files ``make generate`` builds into ``generated/``.
SPEC_DIR = Path(__file__).resolve().parent.parent / "specs"


class SpecError(ValueError):
    """A spec that cannot be used: names the file, the field, the problem and what is accepted."""

    def __init__(self, source: str, field: str, problem: str, accepted: str = "") -> None:
        message = f"{source}: {field}: {problem}"
        if accepted:
            message += f" (accepted: {accepted})"
        super().__init__(message)
        self.source, self.field = source, field


class BiasKind(str, Enum):
    """How a layer's bias is shaped: one per neuron, one shared by the layer, or none."""

    PER_NEURON = "per_neuron"
    SHARED = "shared"
    NONE = "none"


@dataclass(frozen=True)
class LayerSpec:
    """A dense layer: ``units`` neurons, an activation and a bias kind."""

    units: int
    activation: str
    bias: BiasKind


@dataclass(frozen=True)
class NetworkSpec:
    """A feed-forward network, its loss, its learning rate and optional worked example."""

    name: str
    description: str
    inputs: int
    layers: tuple[LayerSpec, ...]
    loss: str
    learning_rate: float
    example: dict[str, list] | None
    source: str


def load_spec(path: Path, *, activations: list[str], losses: list[str], display: str | None = None) -> NetworkSpec:
    """Read and check the spec in ``path``; errors and headers call it ``display``."""
    source = display or str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(source, "(file)", f"not valid TOML: {error}") from None
    except OSError as error:
        raise SpecError(source, "(file)", f"cannot be read: {error.strerror}") from None
    return parse_spec(data, source=source, default_name=path.stem, activations=activations, losses=losses)


class _Reader:
    """Typed access to one TOML table, reporting errors with the table's path."""

    def __init__(self, source: str, path: str, table: Any, fields: dict[str, str]) -> None:
        self.source, self.path = source, path
        if not isinstance(table, dict):
            raise SpecError(source, path or "(top level)", f"expected a table, got {_type_name(table)}")
        unknown = sorted(set(table) - set(fields))
        if unknown:
            raise SpecError(
                source, self._field(unknown[0]), "unknown field (misspelled?)",
                ", ".join(sorted(fields)),
            )
        self.table = table

    def _field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                raise SpecError(self.source, self._field(key), "missing required field")
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            expected = " or ".join(k.__name__ for k in kinds)
            raise SpecError(self.source, self._field(key), f"expected {expected}, got {_type_name(value)} {value!r}")
        return value

    def choice(self, key: str, choices: list[str], default: Any = ...) -> str:
        value = self.get(key, str, default)
        if value not in choices:
            raise SpecError(self.source, self._field(key), f"unknown value {value!r}", ", ".join(choices))
        return value

    def positive_int(self, key: str) -> int:
        value = self.get(key, int)
        if value < 1:
            raise SpecError(self.source, self._field(key), f"must be at least 1, got {value}")
        return value


def _type_name(value: Any) -> str:
    return {dict: "table", list: "array", str: "string", bool: "boolean", int: "integer", float: "float"}.get(
        type(value), type(value).__name__
    )


_TOP = {
    "name": "network name (a Python identifier)",
    "description": "one line",
    "inputs": "number of input features",
    "layers": "array of layer tables",
    "loss": "loss name",
    "optimizer": "optimizer table",
    "example": "worked example table",
}
_LAYER = {"units": "neurons", "activation": "activation name", "bias": "bias kind"}
_OPTIMIZER = {"name": "optimizer", "learning_rate": "step size"}


def parse_spec(
    data: dict, *, source: str, default_name: str, activations: list[str], losses: list[str]
) -> NetworkSpec:
    """Check a spec already read from TOML; see ``docs/specs.md`` for the fields."""
    top = _Reader(source, "", data, _TOP)
    name = top.get("name", str, default_name)
    if not name.isidentifier():
        raise SpecError(source, "name", f"{name!r} is not a Python identifier", "letters, digits and _")
    raw_layers = top.get("layers", list)
    if not raw_layers:
        raise SpecError(source, "layers", "a network needs at least one layer")
    layers = []
    for index, raw in enumerate(raw_layers):
        layer = _Reader(source, f"layers[{index}]", raw, _LAYER)
        layers.append(
            LayerSpec(
                units=layer.positive_int("units"),
                activation=layer.choice("activation", activations),
                bias=BiasKind(layer.choice("bias", [b.value for b in BiasKind], BiasKind.PER_NEURON.value)),
            )
        )
    optimizer = _Reader(source, "optimizer", top.get("optimizer", dict, {}), _OPTIMIZER)
    optimizer.choice("name", ["sgd"], "sgd")
    learning_rate = float(optimizer.get("learning_rate", (int, float), 0.01))
    if not learning_rate > 0:
        raise SpecError(source, "optimizer.learning_rate", f"must be positive, got {learning_rate}")
    spec = NetworkSpec(
        name=name,
        description=top.get("description", str, ""),
        inputs=top.positive_int("inputs"),
        layers=tuple(layers),
        loss=top.choice("loss", losses),
        learning_rate=learning_rate,
        example=top.get("example", dict, None),
        source=source,
    )
    if spec.example is not None:
        _check_example(spec)
    return spec


def _check_example(spec: NetworkSpec) -> None:
    """The worked example must give x, y and every parameter with the right shapes."""
    shapes = {"x": (None, spec.inputs), "y": (None, spec.layers[-1].units)}
    fan_in = spec.inputs
    for number, layer in enumerate(spec.layers, start=1):
        shapes[f"w{number}"] = (layer.units, fan_in)
        if layer.bias is BiasKind.PER_NEURON:
            shapes[f"b{number}"] = (1, layer.units)
        elif layer.bias is BiasKind.SHARED:
            shapes[f"b{number}"] = (1, 1)
        fan_in = layer.units
    example = _Reader(spec.source, "example", spec.example, {k: "array" for k in shapes})
    rows = None
    for key, (height, width) in shapes.items():
        value = example.get(key, list)
        field = f"example.{key}"
        if not value or not all(isinstance(r, list) and len(r) == width for r in value):
            raise SpecError(spec.source, field, f"expected rows of {width} numbers")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for r in value for v in r):
            raise SpecError(spec.source, field, "expected numbers")
        if height is not None and len(value) != height:
            raise SpecError(spec.source, field, f"expected {height} rows, got {len(value)}")
        if key in ("x", "y"):
            if rows is not None and len(value) != rows:
                raise SpecError(spec.source, field, f"expected {rows} rows like example.x, got {len(value)}")
            rows = len(value)
