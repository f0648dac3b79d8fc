"""Shared test settings: deterministic Hypothesis runs and the catalogue filled.

Hypothesis is derandomized (same examples on every run), has no deadline
(CI machines are slow and noisy) and keeps no example database, so a test
run never writes into the repository.
"""

from hypothesis import HealthCheck, settings

import derive.builtins  # noqa: F401  (registers the built-in catalogue in derive.catalog.CATALOG)

settings.register_profile(
    "symprop",
    derandomize=True,
    deadline=None,
    max_examples=40,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("symprop")
