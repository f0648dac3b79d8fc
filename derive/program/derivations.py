"""Every derivation by the name ``symprop list`` prints: catalogue items, then layers, then networks.

``derivation_names`` is that list; ``derivation`` fetches any of its names:
a catalogue item, the dense layer (``dense``), batch normalisation and dropout
(``training_layers``), or a network spec of ``specs/`` derived into its Program.
"""

from collections.abc import Callable

from derive.catalog.registry import Catalog, Item
from derive.catalog.standard import CATALOG
from derive.core.suggestions import unknown_name
from derive.layers.layer_derivations import DenseLayer, TrainingLayers, dense_layer, training_layers
from derive.program.named_specs import load_program, network_paths
from derive.program.network import Program

__all__ = ["Derivation", "LAYERS", "derivation", "derivation_names"]

Derivation = Item | DenseLayer | TrainingLayers | Program
#: The layer derivations named beside the catalogue, in the order ``symprop list`` prints them.
LAYERS: dict[str, Callable[[], DenseLayer | TrainingLayers]] = {
    "dense": dense_layer, "training_layers": training_layers,
}


def derivation_names(catalog: Catalog = CATALOG) -> list[str]:
    """The catalogue's names, ``dense``, ``training_layers``, then the networks of ``specs/``."""
    return catalog.names() + list(LAYERS) + list(network_paths())


def derivation(name: str, catalog: Catalog = CATALOG) -> Derivation:
    """The derivation called ``name``; KeyError suggests the closest names and lists them all."""
    if name in LAYERS:
        return LAYERS[name]()
    if name in network_paths():
        return load_program(name, catalog)
    if name in catalog.names():
        return catalog.get(name)
    raise KeyError(unknown_name("derivation", name, derivation_names(catalog)))
