"""Network specs: TOML files read with ``tomllib`` and checked field by field.

Every problem is reported as a ``SpecError`` naming the file, the field path
(``layers[1].activation``), what was wrong and what is accepted; the fields
are documented in ``docs/specs.md``.  Names (activations, losses, penalties,
initialisers) and the parameters of activations and losses are checked
against a ``Vocabulary`` the caller gives (``Catalog.vocabulary()``): spec
reading imports neither SymPy nor the catalogue.  The ``[optimizer]`` table is read by
``derive.spec.training``; the checked reading of one table by
``derive.spec.reader``.  Specs are bounded (the ``MAX_*`` limits, in the
"Limits" section of ``docs/specs.md``) so that any file either becomes a
module that fits in memory or stops with one error.
"""

import keyword
import re
import sys
from pathlib import Path

from derive.spec.toml_file import MAX_FILE_BYTES, read_toml
from derive.spec.reader import ANY_NUMBER, NON_NEGATIVE, POSITIVE, PROBABILITY, Reader, SpecError, finite, one_line, shown
from derive.spec.model import BiasKind, LayerKind, LayerSpec, NetworkSpec, Reduction, Vocabulary
from derive.spec.training import read_optimizer
from derive.spec.window_spec import FIELDS, check_input_shape, described, layer_kind, read_window_layer, refuse_foreign_fields
from symprop.locations import SPECS

__all__ = [
    "SpecError", "load_spec", "parse_spec", "SPEC_DIR", "MAX_FILE_BYTES", "MAX_LAYERS", "MAX_WIDTH", "MAX_NUMBERS",
    "MAX_NAME", "MAX_DESCRIPTION",
]

#: The folder whose ``*.toml`` files ``make generate`` builds into ``generated/``: ``specs/`` of the
#: checkout, or the example specs installed as package data (``symprop.locations``).
SPEC_DIR = SPECS

#: The most ``[[layers]]`` tables, and the most units of a layer or inputs of the network.
MAX_LAYERS, MAX_WIDTH = 256, 1_000_000
#: The most numbers in all the parameters and statistics of a network: 1 GiB of ``float32``, 2 GiB of ``float64``.
MAX_NUMBERS = 1 << 28
#: The longest module name and description, in characters.
MAX_NAME, MAX_DESCRIPTION = 64, 1000
#: A module name: ASCII only, so that it reads the same in every file system and terminal.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: Names a generated module must not take: ``NAME.py`` beside a script would hide the module it imports.
_SHADOWED = frozenset({"numpy", "np", *sys.stdlib_module_names})


def load_spec(path: Path, vocabulary: Vocabulary, *, display: str | None = None) -> NetworkSpec:
    """Read and check the spec in ``path`` against ``vocabulary``; errors and headers call it ``display``."""
    source = one_line(display or str(path))
    return parse_spec(read_toml(path, source), vocabulary, source=source, default_name=path.stem)


_TOP = ("name", "description", "inputs", "layers", "loss", "loss_params", "loss_reduction", "optimizer", "example")
#: Initialisers of a layer that does not name its own (Glorot for weights, as Keras does).
_WEIGHT_INIT, _BIAS_INIT = "glorot_uniform", "zeros"
_NO_PENALTY = "none"


def parse_spec(data: dict, vocabulary: Vocabulary, *, source: str, default_name: str) -> NetworkSpec:
    """Check a spec already read from TOML against ``vocabulary``; see ``docs/specs.md`` for the fields."""
    source = one_line(source)
    top = Reader(source, "", data, _TOP)
    name = _read_name(top, default_name)
    description = _read_description(top)
    shape = _read_inputs(top)
    raw_layers = top.get("layers", list, accepted="an array of [[layers]] tables")
    if not 1 <= len(raw_layers) <= MAX_LAYERS:
        raise top.error("layers", f"{len(raw_layers)} layers", f"1 to {MAX_LAYERS} [[layers]] tables")
    layers: list[LayerSpec] = []
    numbers = 0
    for index, raw in enumerate(raw_layers):
        previous = layers[-1].shape if layers else shape
        layers.append(_read_any_layer(source, index, raw, previous, layers[-1].kind if layers else None, vocabulary))
        numbers += _numbers(layers[-1], _width(previous))
        if numbers > MAX_NUMBERS:
            raise SpecError(
                source, f"layers[{index}].units", f"brings the parameters and statistics to {numbers:,} numbers",
                f"at most {MAX_NUMBERS:,} (2**28) numbers in all the layers",
            )
    if layers[-1].kind is LayerKind.FLATTEN:
        raise top.error(f"layers[{len(layers) - 1}].kind", "a flatten layer changes no number, so it cannot end the "
                        "network: the output is the layer before's", "a dense, conv2d or pooling layer last")
    if layers[-1].dropout > 0:
        raise top.error(
            f"layers[{len(layers) - 1}].dropout", "the output layer's predictions cannot be dropped",
            "0 on the last layer; dropout on hidden layers",
        )
    loss = top.choice("loss", vocabulary.names["loss"])
    spec = NetworkSpec(
        name=name,
        description=description,
        inputs=_width(shape),
        input_shape=shape if len(shape) == 3 else None,
        layers=tuple(layers),
        loss=loss,
        loss_params=_read_params(top, "loss_params", loss, vocabulary),
        loss_reduction=_read_reduction(top),
        optimizer=read_optimizer(top),
        example=top.get("example", dict, None),
        source=source,
    )
    if spec.example is not None:
        _check_example(spec)
    return spec


def _width(shape: tuple[int, ...]) -> int:
    """The entries of an output of ``shape``, as the network stores it flat."""
    width = 1
    for side in shape:
        width *= side
    return width


def _read_inputs(top: Reader) -> tuple[int, ...]:
    """The network's input: a width ``(inputs,)``, or an image ``(channels, height, width)`` given as an array."""
    accepted = f"an integer from 1 to {MAX_WIDTH:,}, or [channels, height, width] of positive integers"
    shape = top.get("inputs", (int, list), accepted=accepted)
    if not isinstance(shape, list):
        return (top.count("inputs", MAX_WIDTH),)
    if len(shape) != 3 or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in shape):
        raise top.error("inputs", f"{shown(shape)} is not a shape [channels, height, width]", accepted)
    if _width(shape) > MAX_WIDTH:
        raise top.error("inputs", f"{shown(shape)} holds {_width(shape):,} numbers", accepted)
    return tuple(shape)


def _read_any_layer(source: str, index: int, raw: object, shape: tuple[int, ...], kind_before: LayerKind | None,
                    vocabulary: Vocabulary) -> LayerSpec:
    """The ``[[layers]]`` table number ``index`` of any kind, reading an output of ``shape``."""
    path = f"layers[{index}]"
    kind = layer_kind(source, path, raw)
    refuse_foreign_fields(source, path, raw, kind)
    layer = Reader(source, path, raw, FIELDS[kind])
    before = described(index, shape, kind_before)
    if kind is LayerKind.DENSE and len(shape) == 1:
        return _read_layer(layer, index, shape[0], vocabulary)
    check_input_shape(layer, kind, shape, before)
    return read_window_layer(layer, kind, shape, before, lambda table, units: _trained(table, units, vocabulary))


def _read_reduction(top: Reader) -> Reduction | None:
    """The loss's reduction the spec sets, or None to keep the loss's own."""
    if "loss_reduction" not in top.table:
        return None
    return Reduction(top.choice("loss_reduction", [r.value for r in Reduction]))


def _read_name(top: Reader, default_name: str) -> str:
    """The module name: a short ASCII identifier that hides no module the generated code needs."""
    name = top.get("name", str, default_name)
    origin = "" if "name" in top.table else " (the file name, as the spec gives no name)"
    accepted = (
        f"at most {MAX_NAME} ASCII letters, digits and _, starting with a letter; not a Python keyword, "
        "numpy, np or a module of Python's standard library"
    )
    if len(name) > MAX_NAME or not _NAME.fullmatch(name) or keyword.iskeyword(name):
        raise top.error("name", f"{shown(name)}{origin} cannot be a module name", accepted)
    if name in _SHADOWED:
        raise top.error("name", f"{name!r}{origin} would hide the module {name!r} from the code beside it", accepted)
    return name


def _read_description(top: Reader) -> str:
    """The description: one line of printable characters, the first line of the module's docstring."""
    description = top.get("description", str, "")
    accepted = f"one line of at most {MAX_DESCRIPTION:,} printable characters"
    if len(description) > MAX_DESCRIPTION:
        raise top.error("description", f"{len(description):,} characters", accepted)
    unprintable = next((c for c in description if not c.isprintable()), None)
    if unprintable is not None:
        raise top.error("description", f"holds the unprintable character {unprintable!r}", accepted)
    return description


def _numbers(layer: LayerSpec, fan_in: int) -> int:
    """How many numbers the layer's arrays hold: weights, bias, batch normalisation's scale, shift and statistics."""
    weights = layer.weight_shape(fan_in)
    rows, columns = weights or (0, 0)
    bias = {BiasKind.PER_NEURON: rows, BiasKind.SHARED: 1, BiasKind.NONE: 0}[layer.bias]
    return rows * columns + bias + (4 * layer.units if layer.batch_norm else 0)


def _read_layer(layer: Reader, index: int, fan_in: int, vocabulary: Vocabulary) -> LayerSpec:
    """The ``[[layers]]`` table number ``index``, whose input width must be ``fan_in``."""
    inputs = layer.count("inputs", MAX_WIDTH, None)
    if inputs is not None and inputs != fan_in:
        before = f"the network's {fan_in} inputs" if index == 0 else f"the {fan_in} units of layers[{index - 1}]"
        raise layer.error("inputs", f"{inputs} does not match {before}", str(fan_in))
    return _trained(layer, layer.count("units", MAX_WIDTH), vocabulary)


def _trained(layer: Reader, units: int, vocabulary: Vocabulary) -> LayerSpec:
    """The fields of a layer with weights (dense or conv2d) of ``units`` outputs: activation, bias, training."""
    activation = layer.choice("activation", vocabulary.names["activation"])
    batch_norm = layer.get("batch_norm", bool, False)
    # Batch normalisation subtracts the batch mean, so a bias before it has no effect: beta is the shift.
    bias = BiasKind(layer.choice("bias", [b.value for b in BiasKind], (BiasKind.NONE if batch_norm else BiasKind.PER_NEURON).value))
    if batch_norm and bias is not BiasKind.NONE:
        raise layer.error(
            "bias", "has no effect with batch_norm: normalising subtracts the batch mean, so its gradient is 0",
            "'none' (the default with batch_norm; batch normalisation's beta shifts the layer)",
        )
    initializers = vocabulary.names["initializer"]
    if bias is BiasKind.NONE:
        layer.forbid(["bias_init"], "the layer has no bias (bias = 'none')", "remove bias_init, or give a bias")
    penalty = layer.choice("penalty", [_NO_PENALTY, *vocabulary.names["penalty"]], _NO_PENALTY)
    if penalty == _NO_PENALTY:
        layer.forbid(["penalty_strength"], "a strength needs a penalty", "set penalty, or remove penalty_strength")
    return LayerSpec(
        units=units,
        activation=activation,
        activation_params=_read_params(layer, "activation_params", activation, vocabulary),
        bias=bias,
        weight_init=layer.choice("weight_init", initializers, _WEIGHT_INIT),
        bias_init=None if bias is BiasKind.NONE else layer.choice("bias_init", initializers, _BIAS_INIT),
        dropout=layer.number("dropout", PROBABILITY, 0.0),
        batch_norm=batch_norm,
        penalty=None if penalty == _NO_PENALTY else penalty,
        penalty_strength=None if penalty == _NO_PENALTY else layer.number("penalty_strength", NON_NEGATIVE),
        trainable=layer.get("trainable", bool, True),
    )


def _read_params(owner: Reader, key: str, item: str, vocabulary: Vocabulary) -> dict[str, float]:
    """The table ``key`` of ``owner``: values for some of the catalogue item's parameters.

    A parameter the derivation assumed positive (leaky_relu's ``alpha``) must be positive.
    """
    raw = owner.get(key, dict, {})
    if not raw:
        return {}
    declared = vocabulary.parameters(item)
    table = Reader(owner.source, owner.field(key), raw, declared, noun=f"parameter of {item!r}")
    return {name: table.number(name, POSITIVE if declared[name] else ANY_NUMBER) for name in raw}


def _check_example(spec: NetworkSpec) -> None:
    """The worked example must give x, y and every parameter with the right shapes."""
    shapes = {"x": (None, spec.inputs), "y": (None, spec.layers[-1].units)}
    fan_in = spec.inputs
    for number, layer in enumerate(spec.layers, start=1):
        weights = layer.weight_shape(fan_in)
        if weights is not None:
            shapes[f"w{number}"] = weights
        if layer.bias is BiasKind.PER_NEURON:
            shapes[f"b{number}"] = (1, weights[0])
        elif layer.bias is BiasKind.SHARED:
            shapes[f"b{number}"] = (1, 1)
        fan_in = layer.units
    example = Reader(spec.source, "example", spec.example, shapes, noun="array for this network")
    rows = None
    for key, (height, width) in shapes.items():
        value = example.get(key, list)
        accepted = f"numbers in an array of shape ({height or 'N'}, {width})"
        if not value or not all(isinstance(r, list) and len(r) == width for r in value):
            raise example.error(key, f"expected rows of {width} numbers", accepted)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for r in value for v in r):
            raise example.error(key, "expected numbers", accepted)
        if not all(finite(v) for r in value for v in r):
            raise example.error(key, "expected finite numbers, got nan, inf or a number beyond floats", accepted)
        if height is not None and len(value) != height:
            raise example.error(key, f"expected {height} rows, got {len(value)}", accepted)
        if key in ("x", "y"):
            if rows is not None and len(value) != rows:
                raise example.error(key, f"expected {rows} rows like example.x, got {len(value)}")
            rows = len(value)
