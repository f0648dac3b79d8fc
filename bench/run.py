"""The benchmark run: check every implementation, time them in process and fresh, measure memory, report."""

import datetime
import os
import sys
from pathlib import Path
from types import ModuleType

from . import fresh, machine, memory
from .check import check
from .generate_timing import generate_seconds
from .impls import IMPLEMENTATIONS, REFERENCE, load, missing
from .impls import symprop as symprop_impl
from .problems import LEARNING_RATE, SIZES, Size, problem
from .report import Results, render
from .timing import Budget, interleaved, repeats, warm_up


def _say(message: str) -> None:
    """Progress, on standard error so that standard output is the report alone."""
    print(message, file=sys.stderr, flush=True)


def _in_process(size: Size, modules: dict[str, ModuleType], timed: list[str], budget: Budget,
                results: Results) -> dict[str, int]:
    """Check ``size``, then time every implementation side by side and trace the NumPy ones' memory.

    Returns how many steps each implementation was timed for, for the fresh processes to match.
    """
    params, x, y = problem(size)
    _say(f"{size.name}: checking gradients and one step against {REFERENCE}")
    check(size.name, modules, params, x, y)
    steps = {name: modules[name].make_step(params, x, y, LEARNING_RATE) for name in timed}
    counts = {name: repeats(warm_up(step.run, budget), budget) for name, step in steps.items()}
    _say(f"{size.name}: timing " + ", ".join(f"{name} ×{count}" for name, count in counts.items()))
    timings = interleaved({name: step.run for name, step in steps.items()}, counts, budget)
    results.in_process.update(((size.name, name), timing) for name, timing in timings.items())
    del steps
    for name in timed:
        if IMPLEMENTATIONS[name].traced:
            results.memory[size.name, name] = memory.measure(modules[name], params, x, y)
    return counts


def benchmark(sizes: list[str], impls: list[str], threads: int, budget: Budget, quick: bool, with_fresh: bool,
              with_generate: bool, command: str) -> Results:
    """Run every measurement the options ask for and return them."""
    skipped = {name: reason for name in impls if (reason := missing(IMPLEMENTATIONS[name])) is not None}
    timed = [name for name in impls if name not in skipped]
    for name, reason in skipped.items():
        _say(f"skipping {name}: {reason}")
    results = Results(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      command=command, threads=threads, machine=machine.describe(), load_start=os.getloadavg()[0],
                      sizes=[SIZES[name] for name in sizes], impls=timed, skipped=skipped)
    if "symprop" in timed:
        symprop_impl.clear()
    modules = {name: load(IMPLEMENTATIONS[name]) for name in dict.fromkeys([REFERENCE, *timed])}
    counts = {size.name: _in_process(size, modules, timed, budget, results) for size in results.sizes}
    if with_fresh:
        for size in results.sizes:
            for name in timed:
                _say(f"{size.name}: {name} in a fresh process")
                results.fresh[size.name, name] = fresh.run(name, size.name, counts[size.name][name], threads, quick)
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
