"""Shared test settings: generated/ recovered, deterministic Hypothesis runs, the catalogue filled, the suite measured.

A ``make generate`` killed midway can leave generated/ moved aside; it is put
back (``codegen.generate.recover``) before any test imports it.

Hypothesis is derandomized (same examples on every run), has no deadline
(CI machines are slow and noisy) and keeps no example database, so a test
run never writes into the repository.

The user-style suite (``tools.user_suite``) is registered, printed and
measured on the full grid once per run, on two worker processes, for every
test that asks for ``suite``.
"""

from importlib import import_module

import pytest
from hypothesis import HealthCheck, settings

from codegen.generate import OUTPUT, recover

import_module("derive.catalog.standard")  # registers the built-in catalogue in derive.catalog.registry.CATALOG

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


@pytest.fixture(scope="session")
def suite():
    """``tools.suite.measured_suite`` of every suite item: {label: SuiteFunction}, in suite order."""
    from tools.suite import measured_suite

    return {f.everywhere.label: f for item in measured_suite(2) for f in item.functions}
