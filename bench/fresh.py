"""The "plain fresh process" mode: one implementation at one size and dtype, timed alone in a new interpreter.

The parent runs ``python -m bench --worker IMPL SIZE DTYPE --batch N``
once per triple; the worker warms up, times the run's rounds of batches of
``N`` steps back to back and prints them as JSON, so nothing else in the
parent's process (other libraries' threads, caches, heap) can touch them.
"""

import json
import subprocess
import sys
from pathlib import Path

from .impls import IMPLEMENTATIONS, load
from .problems import LEARNING_RATE, SIZES, problem
from .timing import Budget, Timing, time_batch, warm_up

ROOT = Path(__file__).resolve().parent.parent


def worker(impl: str, size: str, dtype: str, batch: int, budget: Budget) -> dict:
    """Time ``budget.rounds`` batches of ``batch`` steps of ``impl`` in this process; the timing as JSON data."""
    params, x, y = problem(SIZES[size], dtype)
    step = load(IMPLEMENTATIONS[impl]).make_step(params, x, y, LEARNING_RATE)
    warm_up(step.run, budget)
    timing = Timing(batch=batch)
    for _ in range(budget.rounds):
        per_step, faults = time_batch(step.run, batch)
        timing.samples.append(per_step)
        timing.faults += faults
    return timing.as_json()


def python_command(arguments: list[str], threads: int, quick: bool) -> list[str]:
    """``python -m bench`` with ``arguments``, the thread count and (when set) ``--quick``."""
    return [sys.executable, "-m", "bench", *arguments, "--threads", str(threads)] + (["--quick"] if quick else [])


def run_json(command: list[str], what: str, environment: dict[str, str] | None = None) -> dict:
    """Run a worker ``command`` from the checkout's root; the JSON on its last line of output."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"fresh process for {what} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def run(impl: str, size: str, dtype: str, batch: int, threads: int, quick: bool) -> Timing:
    """Time ``impl`` at ``size`` in ``dtype`` in a new process with the same thread count and budget."""
    command = python_command(["--worker", impl, size, dtype, "--batch", str(batch)], threads, quick)
    data = run_json(command, f"{impl} at {size} in {dtype}")
    return Timing(samples=data["samples"], batch=data["batch"], faults=data["faults"])
