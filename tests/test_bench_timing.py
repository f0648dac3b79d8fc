"""Batches of steps: their length calibrated to a duration, their rounds interleaved; on a clock that is not real time.

``FakeClock`` advances only when a fake step runs, by that step's known cost,
so every duration here is exact.
"""

import pytest

from bench.timing import MAXIMUM_BATCH, Budget, Timing, calibrate, interleaved, time_batch, warm_up

BUDGET = Budget(warm_up_seconds=0.001, batch_seconds=0.03, rounds=4)


class FakeClock:
    """Nanoseconds that pass only when a step built by ``step`` runs."""

    def __init__(self) -> None:
        self.now = 0
        self.calls: list[str] = []

    def __call__(self) -> int:
        return self.now

    def step(self, name: str, cost_ns: int):
        def run() -> None:
            self.now += cost_ns
            self.calls.append(name)
        return run


def test_a_batch_reports_the_time_per_step():
    clock = FakeClock()
    per_step, _ = time_batch(clock.step("a", 2_500), 40, clock)
    assert per_step == 2_500
    assert len(clock.calls) == 40


@pytest.mark.parametrize("cost_ns, expected", [
    (10_000, 3_000),       # 10 µs: 3000 steps make 30 ms
    (7_000, 4_286),        # 30 ms / 7 µs, rounded
    (2_000_000, 15),       # 2 ms
    (50_000_000, 1),       # slower than a batch: one step
])
def test_a_batch_is_calibrated_to_last_about_the_budgets_duration(cost_ns, expected):
    clock = FakeClock()
    assert calibrate(clock.step("a", cost_ns), BUDGET, clock) == expected


def test_a_step_too_fast_to_measure_gets_the_longest_batch():
    clock = FakeClock()
    assert calibrate(clock.step("a", 0), BUDGET, clock) == MAXIMUM_BATCH


def test_calibration_times_no_more_steps_than_a_few_short_batches():
    clock = FakeClock()
    calibrate(clock.step("a", 10_000), BUDGET, clock)
    assert clock.now <= BUDGET.batch_seconds * 1e9  # 1 + 4 + ... + 1024 steps of 10 µs: under one batch


def test_warm_up_runs_until_its_time_is_up():
    clock = FakeClock()
    warm_up(clock.step("a", 100_000), BUDGET, clock)  # 1 ms of 0.1 ms steps
    assert len(clock.calls) == 10


def test_warm_up_runs_three_steps_however_slow():
    clock = FakeClock()
    warm_up(clock.step("a", 10**9), BUDGET, clock)
    assert len(clock.calls) == 3


def test_interleaved_rounds_time_one_batch_of_each_per_round():
    clock = FakeClock()
    runs = {"a": clock.step("a", 1_000), "b": clock.step("b", 3_000)}
    timings = interleaved(runs, {"a": 5, "b": 2}, rounds=4, clock=clock)
    assert timings["a"].samples == [1_000] * 4 and timings["b"].samples == [3_000] * 4
    assert (timings["a"].batch, timings["b"].batch) == (5, 2)
    assert clock.calls.count("a") == 20 and clock.calls.count("b") == 8


def test_interleaved_rounds_rotate_which_goes_first():
    clock = FakeClock()
    runs = {name: clock.step(name, 1_000) for name in "abc"}
    interleaved(runs, {name: 1 for name in "abc"}, rounds=3, clock=clock)
    assert "".join(clock.calls) == "abc" + "bca" + "cab"


def test_a_timing_gives_medians_in_microseconds_and_faults_per_step():
    timing = Timing(samples=[2_000, 4_000, 3_000], batch=10, faults=6)
    assert timing.median_us == 3.0
    assert timing.steps == 30 and timing.faults_per_step == 0.2
