"""symprop's symbolic side: activations, losses, layers and networks as SymPy data.

Everything here is mathematics held in plain dataclasses of SymPy objects.
Nothing in this package prints Python source: that is ``codegen``'s job.
Importing the package also lets Jupyter show each derivation as mathematics
(``derive.display``).
"""

from . import display  # noqa: F401  (attaches _repr_latex_ to the derivation dataclasses)
