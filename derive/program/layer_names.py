"""The arrays around each layer of a network, named in the seed notebook's style.

``x`` in, ``inp1``, ``h1``, ..., ``out``; ``bnK`` after batch normalisation,
``hK_drop`` after dropout; a flatten layer's output is its input, since the
network stores images flat.
"""

from dataclasses import dataclass

from derive.spec.model import LayerKind, NetworkSpec

__all__ = ["LayerNames", "layer_names"]


@dataclass(frozen=True)
class LayerNames:
    """The arrays around one layer: what it reads, what its activation reads, what it outputs."""

    input: str
    activation_input: str
    output: str
    dropped: str
    fan_in: int


def layer_names(spec: NetworkSpec) -> list[LayerNames]:
    """Names in the notebook's style: ``inp1``, ``h1``, ..., ``out``; ``bnK`` after batch norm, ``hK_drop`` after dropout.

    A flatten layer's output is its input: the network stores both flat.
    """
    names, previous, fan_in = [], "x", spec.inputs
    for number, layer in enumerate(spec.layers, start=1):
        output = "out" if number == len(spec.layers) else f"h{number}"
        if layer.kind is LayerKind.FLATTEN:
            output = previous
        dropped = f"{output}_drop" if layer.dropout > 0 else output
        activation_input = f"bn{number}" if layer.batch_norm else f"inp{number}"
        names.append(LayerNames(previous, activation_input, output, dropped, fan_in))
        previous, fan_in = dropped, layer.units
    return names
