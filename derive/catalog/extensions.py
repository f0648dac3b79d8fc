"""User extensions: Python files that add items to the catalogue through the registration API.

Every ``extensions/*.py`` file of the project, then every file named in the
``SYMPROP_EXTENSIONS`` environment variable (paths separated by ``os.pathsep``),
is run once, in that order, the first time the catalogue is read.  A file adds
items with ``derive.catalog.registry.register_activation``; ``make generate``, the
tests and ``python -m derive latex`` then all see them.
"""

import os
import runpy
from pathlib import Path

from derive.core.errors import DefinitionError

__all__ = ["EXTENSION_DIR", "extension_files", "run_extensions"]

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extensions"


def extension_files() -> list[Path]:
    """The extension files to run, the project's folder first."""
    named = [Path(p) for p in os.environ.get("SYMPROP_EXTENSIONS", "").split(os.pathsep) if p]
    return sorted(EXTENSION_DIR.glob("*.py")) + named


def run_extensions() -> None:
    """Run every extension file; a missing file or a failing one is a DefinitionError naming it."""
    for path in extension_files():
        if not path.is_file():
            raise DefinitionError(f"extension {path}", "no such file", "SYMPROP_EXTENSIONS names Python files")
        try:
            runpy.run_path(str(path), run_name=f"symprop_extension_{path.stem}")
        except DefinitionError:
            raise
        except Exception as error:  # the user's file: report what it raised, and where
            raise DefinitionError(f"extension {path}", f"raised {type(error).__name__}: {error}") from error
