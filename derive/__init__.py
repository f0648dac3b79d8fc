"""symprop's symbolic side: activations, losses, layers and networks as SymPy data.

The sub-packages depend on each other in one direction:

* ``spec``: a TOML network spec read and checked (no SymPy, no catalogue);
* ``core``: symbols, errors, proofs, the custom functions, stable forms, indexing, the output-form search;
* ``catalog`` and ``layers``: named activations, losses, penalties and initialisers; dense, batch-norm,
  dropout and optimiser rules;
* ``program``: a network's derived program, its folded training step, traces and gradient checks;
* ``presentation``: LaTeX, Markdown, walk-throughs, docs and plots, which read derivations and never feed them.

Importing ``derive`` loads none of them; nothing here prints Python source (that is ``codegen``'s job).
"""
