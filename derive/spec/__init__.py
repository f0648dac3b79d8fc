"""Spec reading: a TOML network spec checked field by field, with neither SymPy nor the catalogue imported.

The records a spec reads into (``derive.spec.model``) load with the package;
the reader itself (``load_spec``, ``parse_spec``, ``SpecError``, the limits)
loads on first use, so the layers, which need only the records, never load it.
"""

from importlib import import_module

from derive.spec.model import (
    BiasKind, LayerSpec, NetworkSpec, OptimizerName, OptimizerSpec, Reduction, ScheduleKind, ScheduleSpec, Vocabulary,
)

#: Names read from ``derive.spec.network_spec`` when first asked for.
_READING = (
    "SpecError", "load_spec", "parse_spec", "SPEC_DIR", "MAX_FILE_BYTES", "MAX_LAYERS", "MAX_WIDTH", "MAX_NUMBERS",
    "MAX_NAME", "MAX_DESCRIPTION",
)

__all__ = [
    "BiasKind", "LayerSpec", "NetworkSpec", "OptimizerName", "OptimizerSpec", "Reduction", "ScheduleKind",
    "ScheduleSpec", "Vocabulary", *_READING,
]


def __getattr__(name: str):
    """The reader's names, imported when first used (PEP 562)."""
    if name in _READING:
        return getattr(import_module("derive.spec.network_spec"), name)
    raise AttributeError(f"module 'derive.spec' has no attribute {name!r}")
