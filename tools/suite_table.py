"""Render the user-style suite and the hand forms against the search as sections of docs/accuracy.md.

The suite's section states the targets for a user's activation and shows
each met or missed, with the gap explained from ``tools.user_suite.KNOWN_GAPS``
and the search's own account (``Found.shortfall``).  Only the search times
change from run to run.
"""

from derive.stability.sample import WELL_CONDITIONED
from derive.stability.score import ACCURATE_ULPS

from .hand_comparison import RETIRED_LABEL, Comparison
from .measure import Measurement
from .suite import SuiteFunction, SuiteItem
from .table import cell, ulps, violation_groups
from .user_suite import KNOWN_GAPS

__all__ = ["SEARCH_SECONDS", "SUITE_COLUMNS", "HAND_COLUMNS", "suite_section", "hand_section"]

#: The target for deriving one activation, both searches included, in seconds of CPU.
SEARCH_SECONDS = 5.0

SUITE_COLUMNS = (
    "function", "found by", "form chosen", "max ulp", "where", "max ulp, κ ≤ 16", "where, κ ≤ 16", "κ > 16",
    "points", "violations",
)
HAND_COLUMNS = ("function", "hand form", "its error", "search's form", "its error", "search matches or beats it")

_SUITE_INTRODUCTION = f"""\
## User-style activations

Activations a user would add, none of them in the catalogue
(`tools/user_suite.py`): each is one `register_activation` call with its
SymPy expression and nothing else, so every form below is SymPy's own or the
accuracy search's. Each is registered into a catalogue of its own (timed:
registering derives it, both searches included), printed as a NumPy module by
`codegen` as `make generate` prints `generated/activations.py`, imported,
and measured as above, on the same grid and against the same references.

The condition number κ = |x·g′(x)/g(x)| of each reference g (f, or f′ with
g′ = f″ by `sympy.diff`) says how much the function itself magnifies a
relative error in x. Where κ > {WELL_CONDITIONED:g} no float64 formula can promise a few
ulp; *κ > {WELL_CONDITIONED:g}* counts those points, and *max ulp, κ ≤ {WELL_CONDITIONED:g}* is the error at
the others, where the target applies.
"""


def _where(m: Measurement) -> str:
    return "exact" if m.where is None else f"{m.variable} = {m.where!r}"


def _function_row(function: SuiteFunction) -> tuple[str, ...]:
    m, well = function.everywhere, function.well_conditioned
    return (m.label, m.found_by, m.form, ulps(m.max_ulp), _where(m), ulps(well.max_ulp), _where(well),
            str(function.ill_conditioned), str(m.points), str(len(m.violations)))


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns),
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)]


def _accurate(function: SuiteFunction) -> bool:
    return function.well_conditioned.max_ulp <= ACCURATE_ULPS


def _non_finite(m: Measurement) -> int:
    return sum(v.problem.startswith("returned") for v in m.violations)


def _listed(parts: list[str]) -> str:
    return ", ".join(parts)


def _targets(items: list[SuiteItem]) -> list[str]:
    """The four targets, each met or missed, with counts."""
    functions = [f for item in items for f in item.functions]
    points = sum(f.everywhere.points for f in functions)
    non_finite = {f.everywhere.label: _non_finite(f.everywhere) for f in functions}
    warned = {f.everywhere.label: len(f.everywhere.violations) - non_finite[f.everywhere.label] for f in functions}
    inaccurate = [f for f in functions if not _accurate(f)]
    slow = [item for item in items if item.cpu_seconds > SEARCH_SECONDS]

    def counted(by_label: dict[str, int], what: str) -> str:
        missed = {label: n for label, n in by_label.items() if n}
        if not missed:
            return f"met: none at any of the {points} points measured"
        return f"missed: {sum(missed.values())} {what} in " + _listed([f"{k} ({n})" for k, n in missed.items()])

    rows = [
        ("0 non-finite results where the true value is finite", counted(non_finite, "points")),
        ("0 warnings (overflow, division by zero, invalid operation)", counted(warned, "points")),
        (f"≤ {ACCURATE_ULPS:g} ulp wherever κ ≤ {WELL_CONDITIONED:g}",
         f"met by {len(functions) - len(inaccurate)} of {len(functions)} functions" + (
             "; missed by " + _listed([f"{f.everywhere.label} ({ulps(f.well_conditioned.max_ulp)} ulp)"
                                       for f in inaccurate]) + ": see *Gaps*" if inaccurate else "")),
        (f"search ≤ {SEARCH_SECONDS:g} s per item",
         f"met by {len(items) - len(slow)} of {len(items)} items" + (
             "; missed by " + _listed([f"{i.name} ({i.cpu_seconds:.1f} s)" for i in slow]) + ": see *Search time*"
             if slow else "")),
    ]
    return ["### Targets", "", *_table(("target", "result"), rows)]


def _gaps(items: list[SuiteItem]) -> list[str]:
    """Each function beyond the ulp target, with the error, the documented reason and the search's account."""
    lines = []
    for function in (f for item in items for f in item.functions if not _accurate(f)):
        m = function.well_conditioned
        gap = KNOWN_GAPS.get(m.label)
        reason = gap.reason if gap else "Not yet explained."
        search = (f"The search says: {function.shortfall}" if function.shortfall else
                  "The search reported the target met: its sample holds no point where it is missed.")
        lines.append(f"- **{m.label}**: {ulps(m.max_ulp)} ulp at {_where(m)}. {reason} {search}")
    return ["### Gaps", "", *(lines or ["None: every function meets the ulp target."])]


def _search_time(items: list[SuiteItem]) -> list[str]:
    rows = [(item.name, f"`{item.definition}`", f"{item.cpu_seconds:.1f}", f"{item.seconds:.1f}",
             "met" if item.cpu_seconds <= SEARCH_SECONDS else "missed") for item in items]
    return [
        "### Search time", "",
        "Seconds to register each item: `sympy.diff`, the output form's proof and the searches for f and f′. "
        "The target is judged on CPU seconds; wall seconds depend on the machine's load, and both vary "
        "from run to run. An activation from an extension file is derived again by every run.", "",
        *_table(("item", "definition", "CPU s", "wall s", f"≤ {SEARCH_SECONDS:g} s"), rows),
    ]


def _violations(items: list[SuiteItem]) -> list[str]:
    rows = [(f.everywhere.label, problem, str(count), inputs)
            for item in items for f in item.functions for problem, count, inputs in violation_groups(f.everywhere)]
    return ["### Violations", "", *(_table(("function", "problem", "points", "inputs"), rows) if rows else
                                   ["None: every function returned finite values without warnings at every point."])]


def suite_section(items: list[SuiteItem]) -> str:
    """The suite's section: introduction, the table, the targets, the gaps, the search times and the violations."""
    rows = [_function_row(f) for item in items for f in item.functions]
    parts = [_SUITE_INTRODUCTION, *_table(SUITE_COLUMNS, rows), "", *_targets(items), "", *_gaps(items), "",
             *_search_time(items), "", *_violations(items)]
    return "\n".join(parts) + "\n"


_HAND_INTRODUCTION = """\
## Hand forms against the search

Each hand-written form of the catalogue against the form the accuracy search
finds without it: for a *retired* hand form (`tests/hand_forms.py`, no
longer stated), the form the catalogue prints now; for a form still stated
in `derive/catalog/standard_activations.py`, the search's form when the item
is derived without it. Both are scored as the search scores candidates
(`derive.stability.score`), on one sample: the search's points and the
definition's kinks, about 1100 points. *Its error* gives the largest error
where κ ≤ 16, the points beyond 4 ulp there, and the mean error in bits
(Herbie's measure) over every point, with failures (non-finite results or
warnings) when there are any. The search's form matches or beats the hand
form when it ranks as well or better: fewer failures, then fewer mean bits
(to a tenth), then fewer points beyond 4 ulp. Every retired form is matched
or beaten (`tests/test_hand_forms.py`).
"""


def _error(score) -> str:
    if score is None:
        return "no form"
    failures = f", {score.failures} failures" if score.failures else ""
    return f"{ulps(score.max_ulp)} ulp max, {score.inaccurate} > 4 ulp, {score.mean_bits:.2f} bits mean{failures}"


def hand_section(comparisons: list[Comparison]) -> str:
    """The hand forms' section: each hand form's error beside the search's, retired forms first."""
    ordered = sorted(comparisons, key=lambda c: c.status != RETIRED_LABEL)
    rows = [(f"{c.label} ({c.status})", f"`{c.hand_form}`", _error(c.hand),
             f"`{c.search_form}`" if c.search is not None else c.search_form, _error(c.search),
             "yes" if c.search_matches else "no") for c in ordered]
    return "\n".join([_HAND_INTRODUCTION, *_table(HAND_COLUMNS, rows)]) + "\n"
