"""The "plain fresh process" mode: one implementation at one size, timed alone in a new interpreter.

The parent runs ``python -m bench --worker IMPL SIZE --repeats N`` once per
pair; the worker warms up, times its steps back to back and prints them as
JSON, so nothing else in the parent's process (other libraries' threads,
caches, heap) can touch them.
"""

import json
import subprocess
import sys
from pathlib import Path

from .impls import IMPLEMENTATIONS, load
from .problems import LEARNING_RATE, SIZES, problem
from .timing import Budget, Timing, time_steps, warm_up

ROOT = Path(__file__).resolve().parent.parent


def worker(impl: str, size: str, count: int, budget: Budget) -> dict:
    """Time ``count`` steps of ``impl`` at ``size`` in this process; the samples and faults as JSON data."""
    params, x, y = problem(SIZES[size])
    step = load(IMPLEMENTATIONS[impl]).make_step(params, x, y, LEARNING_RATE)
    warm_up(step.run, budget)
    timing = Timing()
    time_steps(step.run, count, timing)
    return timing.as_json()


def run(impl: str, size: str, count: int, threads: int, quick: bool) -> Timing:
    """Time ``impl`` at ``size`` in a new process with the same thread count and budget."""
    command = [sys.executable, "-m", "bench", "--worker", impl, size, "--repeats", str(count),
               "--threads", str(threads)] + (["--quick"] if quick else [])
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"fresh process for {impl} at {size} failed:\n{result.stderr}")
    data = json.loads(result.stdout.splitlines()[-1])
    return Timing(samples=data["samples"], faults=data["faults"])
