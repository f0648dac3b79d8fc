"""Where generation reads and writes: the repository, its specs, ``generated/`` and the output cache."""

from pathlib import Path

__all__ = ["ROOT", "OUTPUT", "SPECS", "OUTPUT_CACHE", "TEMPLATES"]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "generated"
#: ``derive.spec.SPEC_DIR``, named here so that a cache hit need not import ``derive``.
SPECS = ROOT / "specs"
#: Rendered files by input digest, beside ``derive.catalog.cache``'s folder (``.cache/`` is ignored by git).
OUTPUT_CACHE = ROOT / ".cache" / "generated"
#: The Jinja templates of every generated module (layout only, no formulas).
TEMPLATES = Path(__file__).resolve().parent / "templates"
