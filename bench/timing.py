"""Timing of training steps: warm-up, repeat counts from a time budget, and steps timed one by one.

Each step is timed alone with ``time.perf_counter_ns``; the garbage collector
is paused while steps run (as ``timeit`` does) and page faults are counted
from ``getrusage`` around them.  ``interleaved`` takes its samples in rounds,
every implementation a share of its steps per round, so that the machine's
slow moments fall on all of them alike.
"""

import gc
import math
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    """How long to warm up and to time each implementation at each size, and the fewest steps to time."""

    warm_up_seconds: float
    seconds: float
    minimum: int
    rounds: int


FULL = Budget(warm_up_seconds=0.2, seconds=0.75, minimum=20, rounds=10)
QUICK = Budget(warm_up_seconds=0.02, seconds=0.03, minimum=5, rounds=2)
#: No implementation is timed more often than this, however fast its step.
MAXIMUM_STEPS = 100_000


@dataclass
class Timing:
    """Step times in nanoseconds and the minor page faults taken while they ran."""

    samples: list[int] = field(default_factory=list)
    faults: int = 0

    def percentile_us(self, q: int) -> float:
        """The ``q``-th percentile step time in microseconds (50: the median), interpolated between samples."""
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1] / 1000

    @property
    def median_us(self) -> float:
        """The median step time in microseconds."""
        return self.percentile_us(50)

    @property
    def faults_per_step(self) -> float:
        """Minor page faults per timed step."""
        return self.faults / len(self.samples)

    def as_json(self) -> dict:
        """The samples and faults, for a worker to print."""
        return {"samples": self.samples, "faults": self.faults}


def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def time_steps(run: Callable[[], object], count: int, timing: Timing) -> None:
    """Run ``count`` steps, adding each one's time and their page faults to ``timing``."""
    clock = time.perf_counter_ns
    samples = []
    gc.disable()
    try:
        faults = _minor_faults()
        for _ in range(count):
            start = clock()
            run()
            samples.append(clock() - start)
        timing.faults += _minor_faults() - faults
    finally:
        gc.enable()
    timing.samples.extend(samples)


def warm_up(run: Callable[[], object], budget: Budget) -> float:
    """Run steps for the warm-up time (three at least); the median of the later ones, in nanoseconds."""
    timing = Timing()
    deadline = time.perf_counter() + budget.warm_up_seconds
    while len(timing.samples) < 3 or time.perf_counter() < deadline:
        time_steps(run, 1, timing)
    return statistics.median(timing.samples[len(timing.samples) // 2:])


def repeats(step_ns: float, budget: Budget) -> int:
    """How many steps of ``step_ns`` to time: enough to fill the budget, within the minimum and maximum."""
    return min(MAXIMUM_STEPS, max(budget.minimum, math.ceil(budget.seconds * 1e9 / step_ns)))


def interleaved(runs: dict[str, Callable[[], object]], counts: dict[str, int], budget: Budget) -> dict[str, Timing]:
    """Time ``counts[name]`` steps of every run, in rounds that visit each run in turn (the order rotates)."""
    timings = {name: Timing() for name in runs}
    names = list(runs)
    for round_index in range(budget.rounds):
        order = names[round_index % len(names):] + names[:round_index % len(names)]
        for name in order:
            share = math.ceil(counts[name] / budget.rounds)
            time_steps(runs[name], min(share, counts[name] - len(timings[name].samples)), timings[name])
        gc.collect()
    return timings
