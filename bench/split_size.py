"""Where splitting a NumPy ``Trainer``'s elementwise work over threads starts to pay, and what it gains per step.

    python -m bench.split_size [--threads N] [--rounds R]

First a block of elementwise calls (the generated sigmoid layer's seven:
``abs``, ``negative``, ``exp``, ``greater_equal``, ``maximum``, ``add``,
``divide``) on arrays of growing size, run by ``Trainer._rows``
(``codegen/runtime/trainer_threads.py``) whole and split over ``N`` threads;
then the benchmark network's whole step at the medium and large sizes,
``Trainer(params, threads=1)`` against ``threads=N``.  Each pair is timed
in the same rounds (``timing.interleaved``) and reported as the median of
its paired ratios (split over whole) with a bootstrap interval
(``stats.summarize``): below 1, the threads pay.  A block's size is rows x
columns written, summed over its calls, what ``Trainer.split_size`` is
compared with.  Not a test: nothing fails on a time.
"""

import argparse
import sys

import numpy as np

from codegen.runtime.trainer_threads import Trainer

from .impls.symprop import module_for
from .problems import LEARNING_RATE, SIZES, problem
from .stats import paired_ratios, summarize
from .timing import Budget, calibrate, interleaved, warm_up

#: Rows and columns of the block's arrays: its size is rows x columns x 7 calls.
SHAPES = ((64, 64), (128, 128), (256, 128), (256, 256), (512, 256), (512, 512), (1024, 512), (1024, 1024))
CALLS = 7


def _sigmoid(z: np.ndarray, t: np.ndarray, positive: np.ndarray, h: np.ndarray) -> None:
    np.abs(z, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.greater_equal(z, 0, out=positive)
    np.maximum(t, positive, out=h)
    np.add(t, 1, out=t)
    np.divide(h, t, out=h)


def _runner(threads: int, split_size: int) -> Trainer:
    runner = Trainer()
    runner._start_threads(threads)
    runner.split_size = split_size
    return runner


def _ratio(runs: dict[str, object], budget: Budget) -> tuple[float, str]:
    """The whole run's median time (µs) and the split one's paired ratio to it."""
    for run in runs.values():
        warm_up(run, budget)
    batches = {name: calibrate(run, budget) for name, run in runs.items()}
    timings = interleaved(runs, batches, budget.rounds)
    ratio = summarize(paired_ratios(timings["split"].samples, timings["whole"].samples))
    return timings["whole"].median_us, ratio.text()


def blocks(threads: int, budget: Budget) -> list[str]:
    """A line per block size: its size, its time whole and the ratio split over whole."""
    whole, split = _runner(1, sys.maxsize), _runner(threads, 0)
    lines = []
    for rows, columns in SHAPES:
        z = np.random.default_rng(0).normal(size=(rows, columns))
        arrays = (z, np.empty_like(z), np.empty(z.shape, dtype=bool), np.empty_like(z))
        runs = {name: (lambda runner=runner: runner._rows(_sigmoid, CALLS * columns, arrays))
                for name, runner in (("whole", whole), ("split", split))}
        microseconds, ratio = _ratio(runs, budget)
        lines.append(f"| {rows}x{columns} | {rows * columns * CALLS} | {microseconds:.0f} | {ratio} |")
    split.close()
    return lines


def steps(threads: int, budget: Budget) -> list[str]:
    """A line per size: the whole step's time on one thread and the ratio with ``threads`` threads."""
    lines = []
    for size in ("medium", "large"):
        params, x, y = problem(SIZES[size])
        module = module_for(params)
        trainers = {"whole": module.Trainer(params, threads=1), "split": module.Trainer(params, threads=threads)}
        runs = {name: (lambda t=t: t.train_step(x, y, LEARNING_RATE)) for name, t in trainers.items()}
        microseconds, ratio = _ratio(runs, budget)
        trainers["split"].close()
        lines.append(f"| {size} | {SIZES[size].layers} | {microseconds:.0f} | {ratio} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.split_size", description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="threads of the split runs (default: 2)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of paired batches (default: 15)")
    options = parser.parse_args(argv)
    budget = Budget(warm_up_seconds=0.1, batch_seconds=0.03, rounds=options.rounds)
    print(f"| block | size | whole (µs) | split over {options.threads} threads / whole |\n|---|---|---|---|")
    print("\n".join(blocks(options.threads, budget)))
    print(f"\n| step | layers | threads=1 (µs) | threads={options.threads} / threads=1 |\n|---|---|---|---|")
    print("\n".join(steps(options.threads, budget)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
