"""Timing of training steps in batches: warm-up, batch length calibrated to a duration, rounds.

A single step of a small network lasts a few microseconds, about what the
timer and the loop around it cost; so steps are timed in batches run back to
back, and each batch's time is divided by its length.  ``calibrate`` picks
the length so that one batch lasts about ``Budget.batch_seconds`` (one step
for an implementation slower than that).  ``interleaved`` times one batch of
every implementation per round, the order rotating, so that the machine's
slow moments fall on all of them alike and the batches of one round can be
compared pairwise.  The garbage collector is paused during a batch (as
``timeit`` does) and minor page faults are counted around it.  Every
function takes the clock (nanoseconds) as an argument, so it can be tested
with a clock that is not real time.
"""

import gc
import math
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], int]
REAL_CLOCK: Clock = time.perf_counter_ns


@dataclass(frozen=True)
class Budget:
    """How long to warm up, how long one batch should last, and how many rounds of batches to time."""

    warm_up_seconds: float
    batch_seconds: float
    rounds: int


FULL = Budget(warm_up_seconds=0.2, batch_seconds=0.03, rounds=30)
QUICK = Budget(warm_up_seconds=0.01, batch_seconds=0.002, rounds=3)
#: No batch is longer than this, however fast the step.
MAXIMUM_BATCH = 100_000


@dataclass
class Timing:
    """The time per step of every timed batch in nanoseconds (one per round), the batch length, the page faults."""

    samples: list[float] = field(default_factory=list)
    batch: int = 1
    faults: int = 0

    def percentile_us(self, q: int) -> float:
        """The ``q``-th percentile over batches of the time per step in microseconds (50: the median)."""
        if len(self.samples) == 1:
            return self.samples[0] / 1000
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1] / 1000

    @property
    def median_us(self) -> float:
        """The median over batches of the time per step, in microseconds."""
        return statistics.median(self.samples) / 1000

    @property
    def steps(self) -> int:
        """Steps timed in all."""
        return self.batch * len(self.samples)

    @property
    def faults_per_step(self) -> float:
        """Minor page faults per timed step."""
        return self.faults / self.steps

    def as_json(self) -> dict:
        """The samples, batch length and faults, for a worker to print."""
        return {"samples": self.samples, "batch": self.batch, "faults": self.faults}


def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def time_batch(run: Callable[[], object], count: int, clock: Clock = REAL_CLOCK) -> tuple[float, int]:
    """Run ``count`` steps back to back: nanoseconds per step, and the minor page faults they took."""
    gc.disable()
    try:
        faults = _minor_faults()
        start = clock()
        for _ in range(count):
            run()
        elapsed = clock() - start
        faults = _minor_faults() - faults
    finally:
        gc.enable()
    return elapsed / count, faults


def warm_up(run: Callable[[], object], budget: Budget, clock: Clock = REAL_CLOCK) -> None:
    """Run steps for the warm-up time, three at least (the first call of a compiled step compiles it)."""
    deadline = clock() + budget.warm_up_seconds * 1e9
    done = 0
    while done < 3 or clock() < deadline:
        run()
        done += 1


def calibrate(run: Callable[[], object], budget: Budget, clock: Clock = REAL_CLOCK) -> int:
    """Steps per batch so that a batch lasts about ``budget.batch_seconds``: 1 for a slower step, at most the maximum.

    Batches of 1, 4, 16, ... steps are timed until one lasts a quarter of the
    target; the length is then scaled from that batch's time per step.
    """
    target = budget.batch_seconds * 1e9
    count = 1
    while True:
        per_step, _ = time_batch(run, count, clock)
        if per_step * count >= target / 4 or count >= MAXIMUM_BATCH:
            break
        count *= 4
    return max(1, min(MAXIMUM_BATCH, math.floor(target / per_step + 0.5))) if per_step > 0 else MAXIMUM_BATCH


def interleaved(runs: dict[str, Callable[[], object]], batches: dict[str, int], rounds: int,
                clock: Clock = REAL_CLOCK) -> dict[str, Timing]:
    """One batch of ``batches[name]`` steps of every run per round, for ``rounds`` rounds (the order rotates)."""
    timings = {name: Timing(batch=batches[name]) for name in runs}
    names = list(runs)
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            per_step, faults = time_batch(runs[name], batches[name], clock)
            timings[name].samples.append(per_step)
            timings[name].faults += faults
        gc.collect()
    return timings
