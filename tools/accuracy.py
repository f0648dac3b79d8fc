"""Measure the generated catalogue functions and a suite of user-style activations against mpmath; write docs/accuracy.md.

    python -m tools.accuracy            # everything; writes docs/accuracy.md (``make accuracy``)
    python -m tools.accuracy sigmoid    # only the named items, printed; writes nothing
    python -m tools.accuracy mish       # a suite item (tools/user_suite.py), printed

Each function and derivative is measured on the fixed grid of ``derive.stability.grid``
against its SymPy definition (``tools.cases``, ``tools.measure``), one case
per worker process at a time; so is each item of the user-style suite,
registered, printed and measured as a user gets it (``tools.suite``); each
hand form of the catalogue is set against the search's form
(``tools.hand_comparison``).  The page is rendered by ``tools.table`` and
``tools.suite_table``.  The exit status is 1 when some function raised,
warned or returned NaN/inf at a point of its domain (the page is written all
the same, listing them), 0 otherwise, and 2 for a name that is not measured.
"""

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from derive.catalog.registry import Catalog
from derive.catalog.standard import CATALOG

from .cases import MEASURED_KINDS, Case, catalogue_cases
from derive.stability.grid import float64_grid
from .hand_comparison import Comparison, retired_comparisons, stated_comparisons, stating_items
from .measure import Measurement, measure
from .suite import SuiteItem, measured_suite
from .suite_table import hand_section, suite_section
from .table import render, ulps, violation_groups
from .user_suite import SUITE
from .workers import in_workers, mapped

__all__ = ["PAGE", "measurements", "measured_in_parallel", "compared", "page", "unmeasured", "main"]

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "accuracy.md"


def measurements(cases: Iterable[Case], points: np.ndarray | None = None) -> Iterator[Measurement]:
    """Measure each case at ``points`` (by default its full grid), one at a time, in this process."""
    for case in cases:
        yield measure(case, _grid(case, points))


def measured_in_parallel(cases: list[Case], workers: int, points: np.ndarray | None = None) -> Iterator[Measurement]:
    """``measurements(cases, points)`` on ``workers`` fresh processes, yielded in the order of ``cases``."""
    yield from in_workers(
        workers, _measure_in_worker, [c.item for c in cases], [c.label for c in cases], [points] * len(cases),
    )


def compared(workers: int) -> list[Comparison]:
    """Every hand form of the catalogue, retired or stated, against the search's form; ``workers`` processes search."""
    stated = mapped(workers, _compare_in_worker, stating_items(CATALOG))
    return retired_comparisons(CATALOG) + [c for found in stated for c in found]


def _measure_in_worker(item: str, label: str, points: np.ndarray | None) -> Measurement:
    """Measure case ``label`` of catalogue item ``item``: cases do not pickle, their names do."""
    (case,) = [c for c in catalogue_cases(CATALOG, [item]) if c.label == label]
    return measure(case, _grid(case, points))


def _compare_in_worker(name: str) -> list[Comparison]:
    return stated_comparisons(CATALOG, name)


def _grid(case: Case, points: np.ndarray | None) -> np.ndarray:
    return float64_grid(case.kinks) if points is None else points


def unmeasured(catalog: Catalog) -> list[str]:
    """Catalogue items of kinds that have no measurement."""
    return [name for name in catalog.names() if catalog.kind(name) not in MEASURED_KINDS]


def page(results: list[Measurement], suite: list[SuiteItem] = (), hands: list[Comparison] = (),
         catalog: Catalog = CATALOG) -> str:
    """docs/accuracy.md for ``results``, with the suite's section and the hand forms' when given."""
    sections = ([suite_section(list(suite))] if suite else []) + ([hand_section(list(hands))] if hands else [])
    return render(results, np.__version__, unmeasured(catalog), sections)


def _summary(m: Measurement) -> str:
    where = "exact" if m.where is None else f"{m.max_ulp:.3g} ulp at {m.variable} = {m.where!r}"
    lines = [f"{m.label}: {where} ({m.points} points)"]
    lines += [f"    VIOLATION {problem}: {count} points, {inputs}" for problem, count, inputs in violation_groups(m)]
    return "\n".join(lines)


def _suite_summary(item: SuiteItem) -> str:
    lines = [f"{item.name}: registered in {item.cpu_seconds:.1f} s of CPU ({item.seconds:.1f} s wall)"]
    for function in item.functions:
        well = function.well_conditioned
        lines += [_summary(function.everywhere),
                  f"    where κ ≤ 16: {ulps(well.max_ulp)} ulp, {function.ill_conditioned} points beyond"]
    return "\n".join(lines)


def _measured_names(parser: argparse.ArgumentParser, names: list[str]) -> tuple[list[str], list[str]]:
    """``names`` split into catalogue items and suite items; a name that is neither stops the parser."""
    measured = [name for name in CATALOG.names() if name not in unmeasured(CATALOG)]
    suite = [item.name for item in SUITE]
    unknown = sorted(set(names) - set(measured) - set(suite))
    if unknown:
        parser.error(f"no measurement for {', '.join(unknown)}; measured: {', '.join(measured + suite)}")
    return [n for n in names if n in measured], [n for n in names if n in suite]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME",
        help="measure only these catalogue or suite items and print the results (docs/accuracy.md is not written)",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1,
        help="worker processes (default: one per CPU); 1 measures in this process",
    )
    args = parser.parse_args(argv)
    catalogue_names, suite_names = _measured_names(parser, args.names)
    cases = catalogue_cases(CATALOG, catalogue_names or None) if catalogue_names or not args.names else []
    results = []
    for m in measurements(cases) if args.jobs == 1 else measured_in_parallel(cases, args.jobs):
        print(_summary(m), flush=True)
        results.append(m)
    suite = []
    for item in measured_suite(args.jobs, names=suite_names or None) if suite_names or not args.names else ():
        print(_suite_summary(item), flush=True)
        suite.append(item)
    violations = [m for m in results + [f.everywhere for item in suite for f in item.functions] if m.violations]
    if not args.names:
        hands = compared(args.jobs)
        PAGE.parent.mkdir(exist_ok=True)
        PAGE.write_text(page(results, suite, hands), encoding="utf-8", newline="\n")
        print(f"wrote {PAGE.relative_to(ROOT)}")
    if violations:
        print(f"violations in: {', '.join(m.label for m in violations)}", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
