"""Benchmark of one full training step: symprop's two targets beside hand-written NumPy and peer libraries.

``python -m bench`` (``make bench``) writes ``docs/benchmarks.md``; see ``bench/__main__.py``.
"""
