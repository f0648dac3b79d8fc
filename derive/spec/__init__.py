"""Spec reading: a TOML network spec checked field by field, with neither SymPy nor the catalogue imported."""

from derive.spec.network_spec import (
    MAX_DESCRIPTION, MAX_FILE_BYTES, MAX_LAYERS, MAX_NAME, MAX_NUMBERS, MAX_WIDTH, SPEC_DIR, BiasKind, LayerSpec,
    NetworkSpec, OptimizerName, OptimizerSpec, ScheduleKind, ScheduleSpec, SpecError, Vocabulary, load_spec,
    parse_spec,
)

__all__ = [
    "BiasKind", "LayerSpec", "NetworkSpec", "OptimizerName", "OptimizerSpec", "ScheduleKind", "ScheduleSpec",
    "SpecError", "Vocabulary", "load_spec", "parse_spec", "SPEC_DIR", "MAX_FILE_BYTES", "MAX_LAYERS", "MAX_WIDTH",
    "MAX_NUMBERS", "MAX_NAME", "MAX_DESCRIPTION",
]
