"""User extensions: Python files that add items to the catalogue through the registration API.

Every ``extensions/*.py`` file of the current project (the ``extensions/``
folder of the working folder, never one of symprop's installation), then
every file named in the ``SYMPROP_EXTENSIONS`` environment variable (paths
separated by ``os.pathsep``), is run once, in that order, the first time the
catalogue is read; ``symprop.locations.extension_files`` lists them.  A file
adds items with ``derive.catalog.registry.register_activation`` and ``register_loss``;
``make generate``, the tests and ``python -m derive latex`` then all see them.
"""

import runpy

from derive.core.errors import DefinitionError
from symprop.locations import extension_files, extension_folder

__all__ = ["extension_files", "extension_folder", "run_extensions"]


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
