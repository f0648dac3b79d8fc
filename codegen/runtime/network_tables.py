"""A network module's parameters and statistics, checked against its tables: plain Python, copied into it.

``PARAMETERS`` and ``STATISTICS`` are printed by the network template in
each module; the names bound to them here stand in for a module's tables, so
that the file runs as written (the tests bind them to tables of their own).
"""

from .network_checks import _arrays

#: Every trainable array and its shape, and the running statistics: printed into each module.
PARAMETERS: dict = {}
STATISTICS: dict = {}


def _params(params):
    """Every parameter and statistic as a finite float64 array of its shape, else a ValueError naming it."""
    return _arrays("params", params, {**PARAMETERS, **STATISTICS}, "every parameter and statistic", True)


def _shapes(names):
    """The shape of each of ``names``, a gradient ``dK`` or a velocity ``vK``: that of its parameter ``K``."""
    return {name: PARAMETERS[name[1:]] for name in names}
