"""The user-style suite (``tools.user_suite``) as a user gets it: registered, printed by codegen, measured.

Each activation is registered with ``register_activation`` into a catalogue
of its own, timed (registering runs ``elementwise``, whose accuracy searches
are nearly all its time), printed as a NumPy module by codegen's own
``render_all`` into a temporary folder and imported from there.  Its f and
f' are measured with ``tools.measure`` on the full grid of
``derive.stability.grid``, against the definition and ``sympy.diff`` of it,
once on every point of the domain and once where the reference's condition
number is at most ``WELL_CONDITIONED`` (``tools.conditioning``), the
points where the accuracy target applies.
"""

import importlib.util
import tempfile
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

import numpy as np

from codegen.rendering import render_all
from derive.catalog.activations import Activation
from derive.catalog.registry import Catalog, register_activation
from derive.stability.grid import float64_grid
from derive.stability.sample import WELL_CONDITIONED

from .cases import T, Case, activation_cases
from .conditioning import Conditioned
from .measure import Measurement, measure
from .user_suite import SUITE, UserActivation
from .workers import mapped

__all__ = ["SuiteFunction", "SuiteItem", "registered", "printed", "measured_item", "measured_suite"]


@dataclass(frozen=True)
class SuiteFunction:
    """f or f' of a suite item: measured on every point of its domain, and where it is well conditioned.

    ``ill_conditioned`` counts the points of the domain where the condition
    number exceeds ``WELL_CONDITIONED``; ``shortfall`` is the search's own
    account of a missed target (``Found.shortfall``), None when it met it.
    """

    everywhere: Measurement
    well_conditioned: Measurement
    ill_conditioned: int
    shortfall: str | None


@dataclass(frozen=True)
class SuiteItem:
    """One suite activation: its definition as text, the registration's wall and CPU seconds, f and f'."""

    name: str
    definition: str
    seconds: float
    cpu_seconds: float
    functions: tuple[SuiteFunction, SuiteFunction]


def registered(item: UserActivation, catalog: Catalog) -> tuple[Activation, float, float]:
    """``item`` registered into ``catalog`` as an extension file registers it, with the wall and CPU seconds taken."""
    wall, cpu = time.perf_counter(), time.process_time()
    activation = register_activation(item.name, item.definition, params=item.params, doc=item.doc, catalog=catalog)
    return activation, time.perf_counter() - wall, time.process_time() - cpu


def printed(catalog: Catalog, name: str) -> ModuleType:
    """``catalog``'s activations module as ``make generate`` prints it, imported as ``name`` from a temporary folder."""
    source = render_all(catalog, specs=[])["activations.py"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def measured_item(item: UserActivation, points: np.ndarray | None = None) -> SuiteItem:
    """Register, print and measure ``item`` at ``points`` (by default the full grid with its kinks)."""
    catalog = Catalog()
    activation, seconds, cpu_seconds = registered(item, catalog)
    module = printed(catalog, f"suite_{item.name}")
    functions = tuple(
        _measured(case, found.shortfall, points)
        for case, found in zip(activation_cases(activation, module), activation.searches)
    )
    return SuiteItem(item.name, str(item.definition), seconds, cpu_seconds, functions)


def _measured(case: Case, shortfall: str | None, points: np.ndarray | None) -> SuiteFunction:
    """``case`` measured everywhere, then again where its reference is well conditioned."""
    exact = Conditioned(case.reference.exprs[0], T)
    case = replace(case, reference=exact)
    points = float64_grid(case.kinks) if points is None else points
    everywhere = measure(case, points)
    conditions = {t: exact.condition(t) for t in points.tolist()}
    well = np.array([t for t, c in conditions.items() if c is not None and c <= WELL_CONDITIONED])
    ill = sum(c is not None and c > WELL_CONDITIONED for c in conditions.values())
    return SuiteFunction(everywhere, measure(case, well), ill, shortfall)


def measured_suite(
    workers: int, points: np.ndarray | None = None, names: Collection[str] | None = None,
) -> Iterator[SuiteItem]:
    """``measured_item`` of each suite item (in ``names`` if given), in order, on ``workers`` processes (1: here).

    Each item is registered in the process that measures it, so its search
    time is that process's alone.
    """
    chosen = [item.name for item in SUITE if names is None or item.name in names]
    yield from mapped(workers, _measured_by_name, chosen, [points] * len(chosen))


def _measured_by_name(name: str, points: np.ndarray | None) -> SuiteItem:
    """``measured_item`` of the suite item ``name``: items do not pickle, their names do."""
    (item,) = [i for i in SUITE if i.name == name]
    return measured_item(item, points)
