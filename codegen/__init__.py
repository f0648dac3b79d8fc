"""symprop's printing side: SymPy expressions from ``derive`` rendered as plain NumPy.

``lowering`` turns indexed expressions into array expressions, ``printer``
writes them as NumPy, ``emit`` lays out statements, ``templates/`` hold the
module layouts, and ``generate`` writes ``generated/`` atomically.
"""
