"""Render every generated module and write ``generated/`` all at once or not at all.

The steps, one module each: ``codegen.rendering`` renders the files in
memory and compiles them (``render_all``, ``render_network``);
``codegen.output_cache`` returns them from the output cache when nothing
that can change them has changed (``render_cached``), else module by module
from ``codegen.module_cache`` where what a module reads is unchanged; ``codegen.atomic_output``
writes them so that a kill at any moment leaves a complete folder
(``write_all``, ``recover``).  The same inputs give byte-identical files.
This module names them all for the command line and the tests; importing
it loads neither SymPy, ``derive`` nor Jinja.
"""

from .atomic_output import recover, write_all
from .errors import GenerationError
from .output_cache import output_key, render_cached
from .paths import CHECKOUT, OUTPUT, OUTPUT_CACHE, ROOT, SPECS
from .rendering import load_specs, render_all, render_network

__all__ = [
    "ROOT", "CHECKOUT", "OUTPUT", "SPECS", "OUTPUT_CACHE", "render_all", "render_network", "render_cached", "output_key",
    "write_all", "recover", "load_specs", "GenerationError",
]
