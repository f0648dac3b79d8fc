"""docs/accuracy.md is current, and the command that writes it is deterministic.

Measuring the whole grid takes minutes, so the page is checked by what does
not need it: every generated function is listed, in catalogue order, with
the form the code evaluates now and how it was found; so is every function
of the user-style suite (measured once per run for its own tests) and every
hand form; measuring twice on a few points renders the same bytes; and a
worker process of the command measures what this process does.  After
changing the catalogue, the suite or the search, run ``make accuracy``.
"""

import re

import numpy as np

from derive.catalog.registry import CATALOG
from hand_forms import RETIRED
from tools.accuracy import PAGE, measured_in_parallel, measurements, page
from tools.cases import catalogue_cases
from tools.suite_table import HAND_COLUMNS, SUITE_COLUMNS
from tools.table import COLUMNS

TINY_GRID = np.array([-1000.0, -1.0, 0.0, 0.5, 1000.0])


def page_rows(columns: tuple[str, ...] = COLUMNS) -> list[dict[str, str]]:
    """The rows of the page's table with ``columns``, as column -> cell text."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    header = "| " + " | ".join(columns) + " |"
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


def test_page_lists_every_function_with_its_current_form_and_how_it_was_found():
    expected = [(case.label, case.found_by, case.form) for case in catalogue_cases(CATALOG)]
    assert [(row["function"], row["found by"], row["form chosen"]) for row in page_rows()] == expected


def test_page_lists_every_suite_function_with_its_current_form_and_how_it_was_found(suite):
    expected = [(f.everywhere.label, f.everywhere.found_by, f.everywhere.form) for f in suite.values()]
    assert [(row["function"], row["found by"], row["form chosen"]) for row in page_rows(SUITE_COLUMNS)] == expected


def test_page_sets_every_hand_form_against_the_search():
    retired = [f"{hand.name}′" if hand.derivative else hand.name for hand in RETIRED]
    stated = [f"{a.name}′" if k else a.name for a in CATALOG.activations()
              for k, found in enumerate(a.searches) if found.how == "hand"]
    functions = [row["function"] for row in page_rows(HAND_COLUMNS)]
    assert functions == [f"{f} (retired)" for f in retired] + [f"{f} (in the catalogue)" for f in stated]


def test_measuring_twice_renders_the_same_page():
    cases = catalogue_cases(CATALOG)
    first = page(list(measurements(cases, TINY_GRID)))
    assert page(list(measurements(cases, TINY_GRID))) == first


def test_a_worker_process_measures_what_this_process_measures():
    cases = catalogue_cases(CATALOG)
    cases = [cases[0], cases[-1]]
    assert list(measured_in_parallel(cases, 1, TINY_GRID)) == list(measurements(cases, TINY_GRID))
