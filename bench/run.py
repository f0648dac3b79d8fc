"""The benchmark run: check every implementation, time them in process and fresh, per dtype; memory; report."""

import datetime
import os
import sys
from pathlib import Path
from types import ModuleType

from . import first_call, fresh, machine, memory
from .check import check
from .generate_timing import generate_seconds
from .impls import IMPLEMENTATIONS, REFERENCE, load, missing
from .impls import symprop as symprop_impl
from .problems import LEARNING_RATE, SIZES, Size, problem
from .report import render
from .results import Results
from .timing import Budget, calibrate, interleaved, warm_up


def _say(message: str) -> None:
    """Progress, on standard error so that standard output is the report alone."""
    print(message, file=sys.stderr, flush=True)


def _in_process(size: Size, dtype: str, modules: dict[str, ModuleType], timed: list[str], budget: Budget,
                results: Results) -> dict[str, int]:
    """Check ``size`` in ``dtype``, then time every implementation side by side and trace the NumPy ones' memory.

    Returns each implementation's batch length, for the fresh processes to match.
    """
    params, x, y = problem(size, dtype)
    _say(f"{size.name} {dtype}: checking gradients and one step against {REFERENCE}")
    check(size.name, modules, params, x, y)
    steps = {name: modules[name].make_step(params, x, y, LEARNING_RATE) for name in timed}
    for step in steps.values():
        warm_up(step.run, budget)
    batches = {name: calibrate(step.run, budget) for name, step in steps.items()}
    _say(f"{size.name} {dtype}: {budget.rounds} rounds of " + ", ".join(f"{name} ×{n}" for name, n in batches.items()))
    timings = interleaved({name: step.run for name, step in steps.items()}, batches, budget.rounds)
    results.in_process.update(((dtype, size.name, name), timing) for name, timing in timings.items())
    del steps
    for name in timed:
        if IMPLEMENTATIONS[name].traced:
            results.memory[dtype, size.name, name] = memory.measure(modules[name], params, x, y)
    return batches


def benchmark(sizes: list[str], impls: list[str], dtypes: list[str], threads: int, budget: Budget, quick: bool,
              with_fresh: bool, with_generate: bool, command: str) -> Results:
    """Run every measurement the options ask for and return them."""
    skipped = {name: reason for name in impls if (reason := missing(IMPLEMENTATIONS[name])) is not None}
    timed = [name for name in impls if name not in skipped]
    for name, reason in skipped.items():
        _say(f"skipping {name}: {reason}")
    results = Results(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      command=command, threads=threads, machine=machine.describe(), load_start=os.getloadavg()[0],
                      sizes=[SIZES[name] for name in sizes], impls=timed, skipped=skipped, dtypes=dtypes,
                      rounds=budget.rounds, batch_seconds=budget.batch_seconds, quick=quick)
    if any(name in timed for name in first_call.TARGETS):
        symprop_impl.clear()
    modules = {name: load(IMPLEMENTATIONS[name]) for name in dict.fromkeys([REFERENCE, *timed])}
    batches = {(dtype, size.name): _in_process(size, dtype, modules, timed, budget, results)
               for dtype in dtypes for size in results.sizes}
    if with_fresh:
        for (dtype, size), lengths in batches.items():
            for name in timed:
                _say(f"{size} {dtype}: {name} in a fresh process")
                results.fresh[dtype, size, name] = fresh.run(name, size, dtype, lengths[name], threads, quick)
        for size in results.sizes:
            for name in (name for name in first_call.TARGETS if name in timed):
                _say(f"{size.name}: the first call of {name}, cold and cached, in fresh processes")
                results.first_calls[size.name, name] = first_call.measure(name, size.name, threads)
    if with_generate:
        _say("timing make generate, cold then warm")
        results.generate = generate_seconds()
    results.load_end = os.getloadavg()[0]
    return results


def write(results: Results, output: Path) -> str:
    """Render the report, write it to ``output`` and return it."""
    text = render(results)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return text
