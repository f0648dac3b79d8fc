"""One thread count for every library, set before NumPy, torch or JAX is imported.

BLAS libraries read their thread count once, when they load; torch and XLA
size their pools when first used.  ``configure`` must therefore run before
any of them is imported; the peers read the count back with ``count``.
"""

import os

#: Set to the chosen count by ``configure``; the peers read it back.
_VARIABLE = "SYMPROP_BENCH_THREADS"
_BLAS_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def configure(threads: int) -> None:
    """Make NumPy's BLAS, torch and XLA use ``threads`` threads (call before importing any of them).

    XLA's CPU client has no flag for a pool of N threads: it sizes its pool by
    the cores the process may run on.  So with fewer threads than cores the
    process is pinned to the first ``threads`` cores, which caps every
    library alike; one thread also turns XLA's Eigen pool off.
    """
    os.environ[_VARIABLE] = str(threads)
    for variable in _BLAS_VARIABLES:
        os.environ[variable] = str(threads)
    if threads < (os.cpu_count() or 1):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:threads])
    if threads == 1:
        os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} --xla_cpu_multi_thread_eigen=false".strip()


def count() -> int:
    """The thread count ``configure`` set (all cores when it was not called)."""
    return int(os.environ.get(_VARIABLE, os.cpu_count() or 1))
