"""Shared test settings: generated/ recovered, deterministic Hypothesis runs and the catalogue filled.

A ``make generate`` killed midway can leave generated/ moved aside; it is put
back (``codegen.generate.recover``) before any test imports it.

Hypothesis is derandomized (same examples on every run), has no deadline
(CI machines are slow and noisy) and keeps no example database, so a test
run never writes into the repository.
"""

from importlib import import_module

from hypothesis import HealthCheck, settings

# Registers the built-in catalogue in derive.catalog.registry.CATALOG, before codegen is imported (as before).
import_module("derive.catalog.standard")

from codegen.generate import OUTPUT, recover  # noqa: E402

recover(OUTPUT)

settings.register_profile(
    "symprop",
    derandomize=True,
    deadline=None,
    max_examples=40,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("symprop")
