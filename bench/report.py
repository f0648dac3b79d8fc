"""The benchmark's Markdown: header, method, then per dtype the step times, ratios, memory and targets."""

from .check import TOLERANCES
from .results import Results
from .tables import (SUBJECTS, beyond_floor_table, first_call_table, memory_table, row, size_table,
                     subject_table)
from .targets import target_table

_DESCRIPTIONS = {
    "symprop": "`Trainer.train_step` of the NumPy module `python -m codegen network` generates for the network "
               "(`Trainer(params, threads=1)`: elementwise work on one thread)",
    "symprop_threads": "the same `Trainer.train_step` with `Trainer(params, threads=N)`, N the run's threads: "
                       "runs of elementwise calls split over row blocks of the batch above its `split_size`",
    "symprop_numba": "`Trainer.train_step` of the compiled module `python -m codegen network --target numba` "
                     "generates (one Numba-compiled call per step; `Trainer(params)`, "
                     "so its loops run on its default 1 thread while BLAS uses the run's threads)",
    "notebook": "the seed notebook's Example 2 code: its activation and loss functions, its loop body",
    "handwritten": "the best plain NumPy written by hand: `np.dot` into preallocated buffers, the constants "
                   "(targets scaled by learning rate / N, 1/N) computed once, the fused softmax gradient, "
                   "sigmoid' from the output, one in-place update of a flat parameter vector",
    "autograd": "HIPS autograd's `value_and_grad` of the cost, then the SGD update",
    "torch": "PyTorch eager on the CPU: `loss.backward()`, then the update under `no_grad`",
    "jax": "one `jax.jit` function doing `value_and_grad` and the update (64-bit types enabled)",
    "gemm_floor": "only the 8 matrix products every implementation must do (3 forward, 3 weight gradients, "
                  "2 input gradients), each one `np.dot`: the floor at large sizes",
}

_FLOAT32 = [
    "Both symprop targets compute in float64 whatever they are given: their `Trainer` keeps float64",
    "parameters and `train_step` converts float32 `x` and `y` to float64 on every call. That is what the",
    "`symprop` and `symprop_numba` rows time here; every other implementation computes in float32.",
]

_FLOAT32_NOTEBOOK = [
    "The notebook's relu derivative is an integer array, so in its code as written the first layer's",
    "gradients are float64, and after one step so are that layer's weights and bias.",
]

_LIMITS = [
    "Everything a NumPy step does beyond the products is elementwise work: bias additions, the",
    "activations and their derivatives, the softmax, the sums of bias gradients and the update. NumPy runs",
    "it on one core while BLAS runs the products on every core, and `exp` alone, which the sigmoid layer",
    "and the softmax need, costs several nanoseconds per entry. That share sets how close to the floor",
    "plain NumPy can come: the hand-written step shows it. The generated step's sigmoid is the",
    "overflow-free form, `max(t, [z >= 0])/(1 + t)` with `t = exp(-|z|)`, three more passes over that",
    "layer than the hand-written `1/(1 + exp(-z))`, which overflows below z = -709; its softmax shift is",
    "floored so that no finite logit overflows, three more passes over the output layer. At the small",
    "sizes the time is the cost of calling NumPy (about a microsecond per call), which one compiled call",
    "(XLA's or Numba's) avoids.",
]


def _method(results: Results) -> list[str]:
    return [
        "## Method",
        "",
        f"Steps are timed in batches run back to back, each batch calibrated to last about "
        f"{results.batch_seconds * 1000:g} ms",
        "(one step for an implementation slower than that), so that the timer and the loop around it cost",
        "nothing per step. Each round times one batch of every implementation, the order rotating from round",
        f"to round; {results.rounds} rounds. *median µs/step* and *p10–p90* are over the rounds' batches. Two",
        "implementations are compared by their *paired ratio*: in each round, the one's time per step over",
        "the other's, which cancels what the machine did to that round; the median of those ratios is given",
        "with its 95% bootstrap interval in brackets. Faults are minor page faults per step (`ru_minflt`),",
        "counted around the batches. The `fresh` columns time each implementation, size and dtype alone in a",
        "new process, with the same batch length and number of batches.",
        "",
    ] + ([
        "Memory is traced by `tracemalloc`, which sees NumPy's allocations (not torch's, XLA's or Numba's).",
        "*Peak during one step*: the most allocated at once during a step, beyond what was held before it.",
        "*Kept between steps*: what the step holds from one call to the next beyond one copy of the",
        "parameters (preallocated buffers). *Backward needs*: what any step must hold at once: every",
        "layer's output for the batch (N × width) plus one gradient per parameter.",
        "",
    ] if results.memory else [])


def _dtype_section(results: Results, dtype: str) -> list[str]:
    lines = [f"## {dtype}", ""]
    if dtype != "float64" and any(name in results.impls for name in SUBJECTS):
        lines += [*_FLOAT32, ""]
    if dtype != "float64" and "notebook" in results.impls:
        lines += [*_FLOAT32_NOTEBOOK, ""]
    for size in results.sizes:
        lines += size_table(results, dtype, size)
    for subject in (name for name in SUBJECTS if name in results.impls):
        brackets = " (ratio of the fresh processes' medians in brackets)" if results.fresh else ""
        lines += [f"### {subject} against each ({dtype})", "",
                  f"{subject}'s paired ratio to each other implementation{brackets}; below 1 means {subject}",
                  "is faster.", "", *subject_table(results, dtype, subject), ""]
    if any(key[0] == dtype for key in results.memory):
        lines += [f"### Memory ({dtype})", "", *memory_table(results, dtype), ""]
    if "gemm_floor" in results.impls:
        lines += [f"### Beyond the products ({dtype})", "", *beyond_floor_table(results, dtype), ""]
    lines += [f"### Targets ({dtype})", "", *target_table(results, dtype), ""]
    return lines


def _extras(results: Results) -> list[str]:
    lines = []
    if results.first_calls:
        lines += ["## First call", "",
                  "In a fresh process that has NumPy loaded: seconds to import each symprop target's module",
                  "(the compiled one imports Numba), then to construct a `Trainer` and run its first `train_step`",
                  "(which compiles the compiled step), float64. *Cold*: the module's bytecode and Numba's cache",
                  "empty; *cached*: a second process finds them.", "", *first_call_table(results), ""]
    if results.generate is not None:
        cold, warm = results.generate
        lines += ["## make generate", "",
                  "`python -m codegen generate` into a temporary folder: the whole catalogue and the example specs.",
                  "", row(["run", "seconds"]), row(["---", "---"]),
                  row(["cold (`SYMPROP_CACHE=0`, every derivation done)", f"{cold:.2f}"]),
                  row(["warm (second run, caches in `.cache/`)", f"{warm:.2f}"]), ""]
    if "gemm_floor" in results.impls:
        lines += ["## What limits the ratios", "", *_LIMITS, ""]
    return lines


def render(results: Results) -> str:
    """The whole report as Markdown."""
    lines = [
        "# Benchmarks",
        "",
        "One full training step (forward, loss, backward and the SGD update of every weight and bias) of the",
        "seed notebook's Example 2 network: dense layers with a per-neuron bias, relu → sigmoid → linear,",
        "softmax negative log-likelihood averaged over the batch, in " + " and ".join(results.dtypes) + ".",
        "`tiny` is the notebook's own data; the other sizes use seeded random data. Lower is better.",
        "Rebuilt by the command below; do not edit by hand.",
        "",
        f"Measured {results.date} with `{results.command}`, {results.threads} thread(s) for every library.",
        "",
        *(["**A smoke run (`--quick`): a few short batches per implementation. These numbers are not a",
           "measurement; `make bench` makes one.**", ""] if results.quick else []),
        row(["machine", ""]),
        row(["---", "---"]),
        *(row([what, value]) for what, value in results.machine),
        row(["load average (1 min), start → end", f"{results.load_start:.2f} → {results.load_end:.2f}"]),
        "",
        "A load average near or above the core count means other work shared the machine: with several",
        "threads per library, the medians then say more about that work than about the code.",
        "",
        "## Implementations",
        "",
        *(f"- `{impl}`: {_DESCRIPTIONS[impl]}." for impl in results.impls),
        *(f"- skipped `{impl}`: {reason}." for impl, reason in results.skipped.items()),
        "",
        "Before timing, every implementation's cost, gradients and one step's change to every parameter",
        "were checked against `handwritten`'s, in each dtype, to a relative "
        + ", ".join(f"{TOLERANCES[dtype]:.0e} in {dtype}".replace("e-0", "e-") for dtype in results.dtypes) + ".",
        "",
        *_method(results),
    ]
    for dtype in results.dtypes:
        lines += _dtype_section(results, dtype)
    return "\n".join(lines + _extras(results))
