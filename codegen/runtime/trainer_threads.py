"""The threads of a module's ``Trainer``: its step's runs of row-wise calls split over row blocks of the batch.

The network template prints each run as a block function, a static method
of the ``Trainer`` whose parameters are the batch-row arrays it uses, then
the other names it reads (``codegen.row_blocks``); ``Trainer._rows`` runs it
on the whole arrays or on row slices of them, one per thread.  Every row of
such a block depends on the same rows alone, so the result is the same, bit
for bit, however the rows are split.  Nothing here is mathematics.
"""

import contextvars
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np


class Trainer:
    """Stands in for a module's ``Trainer``: ``_start_threads`` runs in its ``__init__``."""

    def _start_threads(self, threads: int | None) -> None:
        """Check ``threads`` (None or an integer >= 1) and keep it; None: a thread per core the process may use.

        The pool is made by the first step that splits (its ``threads - 1``
        workers and the calling thread share the rows) and ``close`` ends it.
        ``split_size``: rows x columns written that a block needs to be split;
        below it thread hand-offs cost more than they save (measured with
        ``python -m bench.threads_split``, see README "Speed").
        """
        if threads is None:
            threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        elif isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
            raise ValueError(f"threads: expected None (one per core) or an integer >= 1, got {threads!r}")
        self.threads, self.split_size, self._pool = int(threads), 1 << 22, None

    def close(self) -> None:
        """Stop the trainer's threads, if it started any; a later step that splits starts them again."""
        pool, self._pool = getattr(self, "_pool", None), None
        if pool is not None:
            pool.shutdown(wait=True)

    def __del__(self) -> None:
        self.close()

    def _rows(self, block, width: int, arrays: tuple[np.ndarray, ...], *shared) -> None:
        """``block(*arrays, *shared)``; over ``threads`` row blocks of ``arrays`` once it writes ``split_size`` entries.

        It writes rows x ``width``; ``shared``, its other arguments (a bias, a scalar), goes whole to each piece.
        """
        rows = len(arrays[0])
        if rows * width < self.split_size:
            block(*arrays, *shared)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="Trainer")
        edges = [rows * k // self.threads for k in range(self.threads + 1)]
        # Each worker runs in a copy of this thread's context: np.errstate holds there too.
        futures = [self._pool.submit(contextvars.copy_context().run, block, *(a[start:stop] for a in arrays), *shared)
                   for start, stop in zip(edges[1:-1], edges[2:])]
        try:
            block(*(a[:edges[1]] for a in arrays), *shared)
        finally:
            for future in futures:
                future.result()
