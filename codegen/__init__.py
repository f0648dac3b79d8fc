"""symprop's printing side: SymPy expressions from ``derive`` rendered as plain NumPy.

``lowering`` turns indexed expressions into array expressions, ``printer``
writes them as NumPy, ``emit`` lays out statements, ``templates/`` hold the
module layouts, ``runtime/`` the plain Python every module includes as written;
``rendering`` renders the modules, ``output_cache`` keeps them, and
``atomic_output`` writes ``generated/`` atomically, driven by ``generate``.
"""
