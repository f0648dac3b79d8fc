"""Run a measurement over many items on fresh worker processes, results in the items' order."""

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

__all__ = ["in_workers", "mapped"]


def in_workers(workers: int, function: Callable, *arguments: list) -> Iterator:
    """``map(function, *arguments)`` on ``workers`` spawned processes.

    Spawned, not forked, so that each worker starts clean (no state, and no
    timing, inherited from this process); ``function`` and its arguments
    must pickle, which is why callers pass names rather than derived items.
    """
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(function, *arguments)


def mapped(workers: int, function: Callable, *arguments: list) -> Iterator:
    """``map(function, *arguments)`` in this process when ``workers`` is 1, else ``in_workers``."""
    return map(function, *arguments) if workers == 1 else in_workers(workers, function, *arguments)
