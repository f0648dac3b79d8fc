"""Measure every generated catalogue function against mpmath and write docs/accuracy.md.

    python -m tools.accuracy            # everything; writes docs/accuracy.md (``make accuracy``)
    python -m tools.accuracy sigmoid    # only the named items, printed; writes nothing

Each function and derivative is measured on the fixed grid of ``derive.stability.grid``
against its SymPy definition (``tools.cases``, ``tools.measure``), one case
per worker process at a time; the page is rendered by ``tools.table``.  The
exit status is 1 when some function raised, warned or returned NaN/inf at a
point of its domain (the page is written all the same, listing them), 0
otherwise, and 2 for a name that is not measured.
"""

import argparse
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from derive.catalog.registry import Catalog
from derive.catalog.standard import CATALOG

from .cases import MEASURED_KINDS, Case, catalogue_cases
from derive.stability.grid import float64_grid
from .measure import Measurement, measure
from .table import render, violation_groups

__all__ = ["PAGE", "measurements", "measured_in_parallel", "page", "unmeasured", "main"]

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "accuracy.md"


def measurements(cases: Iterable[Case], points: np.ndarray | None = None) -> Iterator[Measurement]:
    """Measure each case at ``points`` (by default its full grid), one at a time, in this process."""
    for case in cases:
        yield measure(case, _grid(case, points))


def measured_in_parallel(cases: list[Case], workers: int, points: np.ndarray | None = None) -> Iterator[Measurement]:
    """``measurements(cases, points)`` on ``workers`` fresh processes, yielded in the order of ``cases``."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        yield from pool.map(
            _measure_in_worker, [c.item for c in cases], [c.label for c in cases], [points] * len(cases),
        )


def _measure_in_worker(item: str, label: str, points: np.ndarray | None) -> Measurement:
    """Measure case ``label`` of catalogue item ``item``: cases do not pickle, their names do."""
    (case,) = [c for c in catalogue_cases(CATALOG, [item]) if c.label == label]
    return measure(case, _grid(case, points))


def _grid(case: Case, points: np.ndarray | None) -> np.ndarray:
    return float64_grid(case.kinks) if points is None else points


def unmeasured(catalog: Catalog) -> list[str]:
    """Catalogue items of kinds that have no measurement."""
    return [name for name in catalog.names() if catalog.kind(name) not in MEASURED_KINDS]


def page(results: list[Measurement], catalog: Catalog = CATALOG) -> str:
    """docs/accuracy.md for ``results``."""
    return render(results, np.__version__, unmeasured(catalog))


def _summary(m: Measurement) -> str:
    where = "exact" if m.where is None else f"{m.max_ulp:.3g} ulp at {m.variable} = {m.where!r}"
    lines = [f"{m.label}: {where} ({m.points} points)"]
    lines += [f"    VIOLATION {problem}: {count} points, {inputs}" for problem, count, inputs in violation_groups(m)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME",
        help="measure only these catalogue items and print the results (docs/accuracy.md is not written)",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1,
        help="worker processes (default: one per CPU); 1 measures in this process",
    )
    args = parser.parse_args(argv)
    measured = [name for name in CATALOG.names() if name not in unmeasured(CATALOG)]
    unknown = sorted(set(args.names) - set(measured))
    if unknown:
        parser.error(f"no measurement for {', '.join(unknown)}; measured: {', '.join(measured)}")
    cases = catalogue_cases(CATALOG, args.names or None)
    results = []
    for m in measurements(cases) if args.jobs == 1 else measured_in_parallel(cases, args.jobs):
        print(_summary(m), flush=True)
        results.append(m)
    if not args.names:
        PAGE.parent.mkdir(exist_ok=True)
        PAGE.write_text(page(results), encoding="utf-8", newline="\n")
        print(f"wrote {PAGE.relative_to(ROOT)}")
    failing = [m.label for m in results if m.violations]
    if failing:
        print(f"violations in: {', '.join(failing)}", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
