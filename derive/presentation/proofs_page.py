"""docs/proofs.md and the terminal listing of the proof ledger: each obligation, its form and its discharge.

The Markdown holds no times and no paths of this machine, so rebuilding it
gives the same bytes and ``python -m derive proofs --check`` can tell when it is
stale; the terminal listing adds each discharge's time.
"""

from collections import Counter
from pathlib import Path

from derive.catalog.registry import Catalog
from derive.catalog.standard import CATALOG
from derive.core.obligation import Discharge, Obligation, Outcome
from derive.presentation.markdown import document_current, heading, write_document
from derive.program.ledger import ledger

__all__ = ["PROOFS", "render_proofs", "write_proofs", "proofs_current", "listing", "summary"]

PROOFS = Path(__file__).resolve().parents[2] / "docs" / "proofs.md"

_INTRO = """\
Generated from `derive/` and `specs/` by `python -m derive proofs --markdown`;
do not edit by hand. Every form a printer writes (the NumPy modules, the
in-place Trainer, LaTeX) is listed here with how it is discharged:

- **derivation**: SymPy's own result (`sympy.diff`, `sympy.limit`, `solve`), re-run and compared;
- **symbolic proof**: an equality SymPy proves for every value of the free symbols;
- **numerical check**: an approximation or a saturation bound, evaluated with mpmath at 50 digits over the grid stated;
- **definition**: what the catalogue, a layer or an optimiser defines.

`make test` discharges every obligation (`tests/test_proofs.py`), with the derive cache off;
`python -m derive proofs` discharges them and prints each one's time."""


def _cell(text: str, limit: int = 160) -> str:
    """Table-safe text: pipes escaped, long forms shortened with an ellipsis."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def summary(obligations: list[Obligation]) -> str:
    """How many obligations of each kind, in the order of ``Discharge``."""
    counts = Counter(o.kind for o in obligations)
    parts = [f"{counts[kind]} {kind.value}" for kind in Discharge if counts[kind]]
    return f"{len(obligations)} obligations: " + ", ".join(parts)


def render_proofs(catalog: Catalog = CATALOG) -> str:
    """The whole document, as bytes-stable text."""
    obligations = ledger(catalog)
    lines = [heading(1, "symprop proof ledger"), _INTRO, summary(obligations) + "."]
    rows = ["| item | what | form | discharge |", "| --- | --- | --- | --- |"]
    for o in obligations:
        how = f"{o.kind.value}: {o.how}" + (f" (grid: {o.grid})" if o.grid else "")
        how = how.replace("|", "\\|")
        rows.append(f"| {o.item} | {o.what} | {_cell(o.form)} | {how} |")
    return "\n\n".join(lines + ["\n".join(rows)]) + "\n"


def write_proofs(path: Path = PROOFS) -> bool:
    """Write the document; return whether the file changed."""
    return write_document(path, render_proofs())


def proofs_current(path: Path = PROOFS) -> bool:
    """True when the file on disk equals a fresh rendering."""
    return document_current(path, render_proofs())


def listing(obligation: Obligation, outcome: Outcome) -> str:
    """One terminal line: verdict, time, item and what, discharge, form (shortened)."""
    verdict = "ok  " if outcome.held else "FAIL"
    form = " ".join(obligation.form.split())
    form = form if len(form) <= 100 else form[:99] + "…"
    line = f"{verdict} {outcome.seconds:6.2f}s  {obligation.name}  [{obligation.kind.value}]  {form}"
    if obligation.grid:
        line += f"\n              grid: {obligation.grid}"
    if outcome.detail:
        line += f"\n              {outcome.detail}"
    return line
