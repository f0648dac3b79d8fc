"""Maintenance commands that measure the generated modules; not part of the installed package.

They import ``generated/`` and mpmath, so they live outside ``derive/`` and
``codegen/``: ``python -m tools.accuracy`` writes ``docs/accuracy.md``.
"""
