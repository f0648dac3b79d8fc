"""symprop's symbolic side: activations, losses, layers and networks as SymPy data.

Everything here is mathematics held in plain dataclasses of SymPy objects.
Nothing in this package prints Python source: that is ``codegen``'s job.
"""
