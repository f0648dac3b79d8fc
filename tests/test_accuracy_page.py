"""docs/accuracy.md is current, and the command that writes it is deterministic.

Measuring the whole grid takes minutes, so the page is checked by what does
not need it: every generated function is listed, in catalogue order, with
the form the code evaluates now; measuring twice on a few points renders the
same bytes; and a worker process of the command measures what this process
does.  After changing the catalogue, run ``make accuracy``.
"""

import re

import numpy as np

from derive.catalog.registry import CATALOG
from tools.accuracy import PAGE, measured_in_parallel, measurements, page
from tools.cases import catalogue_cases
from tools.table import COLUMNS

TINY_GRID = np.array([-1000.0, -1.0, 0.0, 0.5, 1000.0])


def page_rows() -> list[dict[str, str]]:
    """The rows of the page's main table, as column -> cell text."""
    lines = PAGE.read_text(encoding="utf-8").split("\n## ")[0].splitlines()
    header = "| " + " | ".join(COLUMNS) + " |"
    body = lines[lines.index(header) + 2:]
    rows = []
    for line in body:
        if not line.startswith("|"):
            break
        cells = [c.strip().replace(r"\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append(dict(zip(COLUMNS, cells)))
    return rows


def test_page_says_how_to_regenerate_it():
    assert "make accuracy" in PAGE.read_text(encoding="utf-8").split("\n\n")[1]


def test_page_lists_every_function_with_its_current_form():
    expected = [(case.label, case.form) for case in catalogue_cases(CATALOG)]
    assert [(row["function"], row["form chosen"]) for row in page_rows()] == expected


def test_measuring_twice_renders_the_same_page():
    cases = catalogue_cases(CATALOG)
    first = page(list(measurements(cases, TINY_GRID)))
    assert page(list(measurements(cases, TINY_GRID))) == first


def test_a_worker_process_measures_what_this_process_measures():
    cases = catalogue_cases(CATALOG)
    cases = [cases[0], cases[-1]]
    assert list(measured_in_parallel(cases, 1, TINY_GRID)) == list(measurements(cases, TINY_GRID))
