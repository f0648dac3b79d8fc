"""Time one full training step of symprop's generated code beside hand-written NumPy and peer libraries.

    make bench                     # installs the `bench` extra, then runs python -m bench
    python -m bench [--sizes tiny,small,medium,large] [--impls symprop,notebook,...]
                    [--dtype float64,float32] [--threads N] [--quick] [--no-fresh] [--no-generate]
                    [--output PATH]

The step (forward, loss, backward, SGD update of every weight and bias) of
the seed notebook's Example 2 network is timed at four sizes, in each dtype,
for each implementation: ``symprop`` (the generated NumPy module's
``Trainer.train_step`` on one thread), ``symprop_threads`` (the same with
``Trainer(params, threads=N)``, N the run's threads), ``symprop_numba`` (the compiled target's, skipped
without Numba), ``notebook`` (the notebook's own code), ``handwritten`` (the
best plain NumPy), ``autograd``, ``torch`` and ``jax`` (skipped when not
installed), and ``gemm_floor`` (the matrix products alone).  Before timing,
every implementation's cost, gradients and one step are checked against
``handwritten``'s; a mismatch stops the run with exit status 1, naming the
implementation, size, dtype and parameter.

Steps are timed in batches of about 30 ms, one batch of every implementation
per round, and compared by their paired ratios within rounds; then each
implementation alone in a fresh process, and the first call (import, then
the first step, which compiles the compiled target) of each symprop target
(``--no-fresh`` skips both); ``tracemalloc`` measures the NumPy
implementations' memory, and ``make generate`` is timed cold and warm
(``--no-generate`` skips that).  Every library gets ``--threads`` threads
(default: all cores).  The tables go to standard output and to
``docs/benchmarks.md``; progress goes to standard error.  ``--quick`` times
few, short batches, for a smoke run.  This is a benchmark, not a test:
nothing here fails on a time.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from . import threads
from .impls import IMPLEMENTATIONS

SIZE_NAMES = ("tiny", "small", "medium", "large")
DTYPE_NAMES = ("float64", "float32")
OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def _names(allowed: tuple[str, ...]):
    """An argparse type: a comma-separated list of names from ``allowed``, in the given order."""
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"expected names from {', '.join(allowed)}; got {text!r}")
        return names
    return parse


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Time one training step, side by side.")
    parser.add_argument("--sizes", type=_names(SIZE_NAMES), default=list(SIZE_NAMES),
                        help="comma-separated sizes (default: all)")
    parser.add_argument("--impls", type=_names(tuple(IMPLEMENTATIONS)), default=list(IMPLEMENTATIONS),
                        help="comma-separated implementations (default: all)")
    parser.add_argument("--dtype", type=_names(DTYPE_NAMES), default=list(DTYPE_NAMES),
                        help="comma-separated floating-point types (default: float64,float32)")
    parser.add_argument("--threads", type=_positive, default=os.cpu_count() or 1,
                        help="threads for every library (default: all cores)")
    parser.add_argument("--quick", action="store_true", help="few, short batches: a smoke run, not a measurement")
    parser.add_argument("--no-fresh", action="store_true", help="skip timing each implementation in a new process, and the first calls")
    parser.add_argument("--no-generate", action="store_true", help="skip timing `make generate`")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the report's path (default: docs/benchmarks.md)")
    parser.add_argument("--worker", nargs=3, metavar=("IMPL", "SIZE", "DTYPE"), help=argparse.SUPPRESS)
    parser.add_argument("--first-call", nargs=2, metavar=("IMPL", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=_positive, help=argparse.SUPPRESS)
    return parser


def _command(argv: list[str]) -> str:
    """The command as the report shows it."""
    return "make bench" if not argv else "python -m bench " + " ".join(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options = _parser().parse_args(argv)
    threads.configure(options.threads)
    # Only now may NumPy, torch and JAX load: they read the thread count once.
    from . import first_call
    from .check import Mismatch
    from .fresh import worker
    from .run import benchmark, write
    from .timing import FULL, QUICK

    budget = QUICK if options.quick else FULL
    if options.worker:
        print(json.dumps(worker(*options.worker, options.batch, budget)))
        return 0
    if options.first_call:
        print(json.dumps(first_call.worker(*options.first_call)))
        return 0
    try:
        results = benchmark(options.sizes, options.impls, options.dtype, options.threads, budget, options.quick,
                            not options.no_fresh, not options.no_generate, _command(argv))
    except Mismatch as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(write(results, options.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
