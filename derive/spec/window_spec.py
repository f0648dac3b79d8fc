"""The layer kinds that read an image: ``conv2d``, ``max_pool``, ``avg_pool`` and ``flatten``.

An image is ``(channels, height, width)``, stored flat in row-major order.
Each kind takes its own fields; a field of another kind is refused with the
reason it does not apply, and a layer whose input is not the shape it needs
(a dense layer after a convolution, a pooling after a dense layer) is
refused naming both layers and their shapes.  Batch normalisation is
refused on a convolution (it would normalise each channel over samples and
positions, which no derivation here states); dropout, penalties and
activations work on a convolution as on a dense layer.
"""

from dataclasses import replace

from derive.spec.model import BiasKind, LayerKind, LayerSpec, Padding, Window, window_extent
from derive.spec.reader import Reader, SpecError, shown

__all__ = ["FIELDS", "layer_kind", "refuse_foreign_fields", "read_window_layer", "described", "check_input_shape"]

_COMMON = ("kind", "inputs")
_DENSE = ("units", "activation", "activation_params", "bias", "weight_init", "bias_init", "dropout", "batch_norm",
          "penalty", "penalty_strength", "trainable")
#: The fields each kind of layer takes.
FIELDS = {
    LayerKind.DENSE: (*_COMMON, *_DENSE),
    LayerKind.CONV2D: (*_COMMON, "filters", "kernel", "stride", "padding", "activation", "activation_params", "bias",
                       "weight_init", "bias_init", "dropout", "penalty", "penalty_strength", "trainable"),
    LayerKind.MAX_POOL: (*_COMMON, "size", "stride"),
    LayerKind.AVG_POOL: (*_COMMON, "size", "stride", "padding"),
    LayerKind.FLATTEN: _COMMON,
}
_NO_WEIGHTS = "it has no weights"
#: Why a field does not apply to a kind, for a field some other kind takes.
_REASONS = {
    "units": {LayerKind.CONV2D: "a convolution's output size follows from filters, kernel, stride and padding"},
    "activation": "it applies no function; give the activation to the layer before",
    "activation_params": "it applies no function; give the activation to the layer before",
    "dropout": "dropout drops a dense or conv2d layer's outputs; set it on the layer before",
    "batch_norm": {LayerKind.CONV2D: "batch normalisation of a convolution normalises each channel over samples and "
                                     "positions, which symprop does not derive; batch_norm is for dense layers"},
    "filters": "only a conv2d layer has filters", "kernel": "only a conv2d layer has a kernel",
    "padding": "padding is for conv2d and avg_pool (max pooling takes valid windows only: the maximum of a padded "
               "window would depend on what the padding holds)",
    "size": "size is the window of a max_pool or avg_pool layer", "stride": "only window layers have a stride",
}
#: The largest kernel or pooling window side, and stride.
_MAX_SIDE = 1_000


def layer_kind(source: str, path: str, raw: object) -> LayerKind:
    """The ``kind`` of a ``[[layers]]`` table, ``dense`` when it gives none."""
    # Only ``kind`` is read here: the other fields are checked once the kind says which it takes.
    table = {key: value for key, value in raw.items() if key == "kind"} if isinstance(raw, dict) else raw
    return LayerKind(Reader(source, path, table, ["kind"]).choice("kind", [k.value for k in LayerKind], "dense"))


def refuse_foreign_fields(source: str, path: str, raw: dict, kind: LayerKind) -> None:
    """A field another kind of layer takes, given to ``kind``: an error saying why it does not apply."""
    known = {field for fields in FIELDS.values() for field in fields}
    for field in raw:
        if field in known and field not in FIELDS[kind]:
            reason = _REASONS.get(field, _NO_WEIGHTS)
            reason = reason.get(kind, _NO_WEIGHTS) if isinstance(reason, dict) else reason
            raise SpecError(source, f"{path}.{field}", f"not a field of a {kind.value} layer: {reason}",
                            ", ".join(FIELDS[kind]))


def described(index: int, shape: tuple[int, ...], kind: LayerKind | None) -> str:
    """What gives a layer its input, with its shape: ``the 3 units of layers[1]``, ``the network's inputs [1, 8, 8]``."""
    if len(shape) != 3:
        return f"the network's {shape[0]} inputs" if index == 0 else f"the {shape[0]} units of layers[{index - 1}]"
    text = f"[{', '.join(map(str, shape))}]"
    return f"the network's inputs {text}" if index == 0 else f"the output {text} of layers[{index - 1}] ({kind.value})"


def check_input_shape(layer: Reader, kind: LayerKind, shape: tuple[int, ...], before: str) -> None:
    """Refuse ``kind`` after an output of ``shape`` it cannot read; ``before`` names what gives it (``described``)."""
    image = kind is not LayerKind.DENSE
    if image and len(shape) != 3:
        raise SpecError(layer.source, layer.path, f"a {kind.value} layer reads an image [channels, height, width], "
                                                  f"not {before}", "a dense layer after a flat output")
    if not image and len(shape) == 3:
        raise SpecError(layer.source, layer.path, f"a dense layer reads a flat input, not {before}",
                        'a [[layers]] table with kind = "flatten" before it')
    stated = layer.table.get("inputs")
    expected = list(shape) if image else shape[0]
    if stated is not None and stated != expected:
        raise layer.error("inputs", f"{shown(stated)} does not match {before}", shown(expected))


def _pair(layer: Reader, key: str, default: object = ...) -> tuple[int, int] | None:
    """An integer side, or ``[height, width]``, each from 1 to ``_MAX_SIDE``."""
    accepted = f"an integer or [height, width] of integers from 1 to {_MAX_SIDE:,}"
    value = layer.get(key, (int, list), default, accepted)
    if value is None:
        return None
    sides = [value, value] if isinstance(value, int) else value
    if len(sides) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= _MAX_SIDE
                                  for v in sides):
        raise layer.error(key, f"{shown(value)} is not a window side", accepted)
    return sides[0], sides[1]


def read_window_layer(layer: Reader, kind: LayerKind, shape: tuple[int, int, int], before: str,
                      dense_fields) -> LayerSpec:
    """A ``conv2d``, pooling or ``flatten`` layer over an image of ``shape`` (``before`` gives it).

    ``dense_fields(layer, units)`` reads the fields a convolution shares with
    a dense layer (activation, initialisers, dropout, penalty, trainable) into
    a ``LayerSpec`` of ``units`` outputs.
    """
    if kind is LayerKind.FLATTEN:
        width = shape[0] * shape[1] * shape[2]
        return LayerSpec(width, "linear", {}, BiasKind.NONE, "zeros", None, 0.0, False, None, None, True, kind)
    channels = shape[0]
    if kind is LayerKind.CONV2D:
        channels = layer.count("filters", 1_000_000)
        window = _pair(layer, "kernel")
        stride = layer.count("stride", _MAX_SIDE, 1)
        padding = Padding(layer.choice("padding", [p.value for p in Padding], Padding.VALID.value))
    else:
        side = layer.count("size", _MAX_SIDE)
        window, stride = (side, side), layer.count("stride", _MAX_SIDE, side)
        padding = Padding(layer.choice("padding", [p.value for p in Padding], Padding.VALID.value))
    key = "kernel" if kind is LayerKind.CONV2D else "size"
    (height, top), (width, left) = (window_extent(size, extent, stride, padding)
                                    for size, extent in zip(shape[1:], window))
    if height < 1 or width < 1:
        raise layer.error(key, f"a {window[0]}×{window[1]} window does not fit in {before}, with "
                               f"{padding.value} padding",
                          f"a window of at most {shape[1]}×{shape[2]}, or padding = \"same\"")
    geometry = Window(shape, (channels, height, width), window, stride, padding)
    units = channels * height * width
    if units > 1_000_000:
        raise layer.error(key, f"gives {units:,} outputs", "at most 1,000,000 outputs (channels·height·width)")
    if kind is LayerKind.CONV2D:
        spec = dense_fields(layer, units)
        if spec.bias is BiasKind.SHARED:
            raise layer.error("bias", "a convolution's bias is one per filter or none", "per_neuron, none")
        return replace(spec, kind=kind, window=geometry)
    return LayerSpec(units, "linear", {}, BiasKind.NONE, "zeros", None, 0.0, False, None, None, True, kind,
                     geometry)
