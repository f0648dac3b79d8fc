"""Plain Python that generated modules include as written: argument checks, the training loop, saving.

Nothing here is mathematics: formulas are printed from ``derive``.  Each
file is real Python that the tests import and run; the generator copies its
functions into every module that needs them (``codegen.network_module``,
``codegen.runtime_source``), so a generated module imports NumPy alone.
Names a file reads but the network template prints into each module
(``PARAMETERS``, ``forward``...) are bound at the top of the file to stand-ins.
"""
