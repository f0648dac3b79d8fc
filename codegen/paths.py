"""Where generation reads and writes: symprop's packages, the specs, the output folder and the output cache.

Decided in ``symprop.locations``: in a source checkout, ``specs/``,
``generated/`` and ``.cache/generated/``; installed, the example specs
shipped as package data, no default output (``generate`` needs ``--out``)
and the user's cache folder.  Nothing here points inside an installation
for writing.
"""

from pathlib import Path

from symprop.locations import CACHE, CHECKOUT, OUTPUT, PACKAGES, SPECS

__all__ = ["ROOT", "CHECKOUT", "OUTPUT", "SPECS", "OUTPUT_CACHE", "TEMPLATES"]

#: The folder holding ``derive/`` and ``codegen/``: the checkout, or ``site-packages`` (read, never written).
ROOT = PACKAGES
#: ``generate``'s default output folder, ``generated/`` of the checkout; None when installed.
OUTPUT: Path | None = OUTPUT
#: ``derive.spec.SPEC_DIR``, named here so that a cache hit need not import ``derive``.
SPECS = SPECS
#: Rendered files by input digest, beside ``derive.catalog.cache``'s folder (``.cache/`` is ignored by git).
OUTPUT_CACHE = CACHE / "generated"
#: The Jinja templates of every generated module (layout only, no formulas).
TEMPLATES = Path(__file__).resolve().parent / "templates"
