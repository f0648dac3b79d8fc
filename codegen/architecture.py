"""A network's layers in one line of its module's docstring: ``4 -> 16 (tanh) -> 3 (linear)``.

Image layers name their kind, window, stride, padding and output shape:
``[1, 8, 8] -> conv2d 4@3x3/1 same [4, 8, 8] (relu) -> max_pool 2x2/2 valid [4, 4, 4] -> flatten 64 -> 10 (linear)``.
"""

from derive.spec import LayerSpec, NetworkSpec

__all__ = ["architecture"]


def architecture(spec: NetworkSpec) -> list[str]:
    """The network's inputs (width or image shape), then each layer, for joining with `` -> ``."""
    inputs = str(spec.inputs) if spec.input_shape is None else _shape(spec.input_shape)
    return [inputs] + [_described(layer) for layer in spec.layers]


def _shape(shape: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, shape))}]"


def _described(layer: LayerSpec) -> str:
    """One layer for the docstring's architecture: ``16 (tanh)``, ``conv2d 4@3x3/1 same [4, 8, 8] (relu)``."""
    kind = layer.kind.value
    if layer.window is None:
        return f"{layer.units} ({layer.activation})" if kind == "dense" else f"flatten {layer.units}"
    (rows, columns), window = layer.window.window, layer.window
    head = f"conv2d {window.output[0]}@" if kind == "conv2d" else f"{kind} "
    text = f"{head}{rows}x{columns}/{window.stride} {window.padding.value} {_shape(window.output)}"
    return f"{text} ({layer.activation})" if kind == "conv2d" else text
