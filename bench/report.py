"""The benchmark's Markdown: header, step-time tables, ratios, memory, generation time and targets."""

from dataclasses import dataclass, field

from .memory import Memory
from .problems import Size, backward_bytes
from .timing import Timing

SUBJECT = "symprop"

_DESCRIPTIONS = {
    "symprop": "the module `python -m codegen network` generates for the network",
    "notebook": "the seed notebook's Example 2 code: its activation and loss functions, its loop body",
    "handwritten": "the fastest plain NumPy written by hand: preallocated buffers, fused softmax gradient, "
                   "one in-place update of a flat parameter vector",
    "autograd": "HIPS autograd's `value_and_grad` of the cost, then the SGD update",
    "torch": "PyTorch eager on the CPU: `loss.backward()`, then the update under `no_grad`",
    "jax": "one `jax.jit` function doing `value_and_grad` and the update",
    "gemm_floor": "only the 8 matrix products every implementation must do (3 forward, 3 weight gradients, "
                  "2 input gradients): the floor at large sizes",
}


@dataclass(frozen=True)
class Target:
    """symprop's median over ``other``'s at ``sizes`` must be below (``strict``) or at most ``limit``."""

    other: str
    sizes: tuple[str, ...]
    limit: float
    strict: bool

    @property
    def wording(self) -> str:
        """The target as the table words it."""
        if self.strict and self.limit == 1.0:
            return f"faster than {self.other}"
        return f"≤ {self.limit:.2f}× {self.other}"


TARGETS = (
    Target("handwritten", ("tiny", "small", "medium", "large"), 1.0, strict=False),
    Target("gemm_floor", ("large",), 1.05, strict=False),
    Target("gemm_floor", ("medium",), 1.15, strict=False),
    Target("torch", ("tiny", "small", "medium", "large"), 1.0, strict=True),
    Target("autograd", ("tiny", "small", "medium", "large"), 1.0, strict=True),
    Target("jax", ("small", "medium", "large"), 1.0, strict=True),
    Target("jax", ("tiny",), 1.5, strict=False),
)


@dataclass
class Results:
    """Everything one run measured, keyed by (size name, implementation)."""

    date: str
    command: str
    threads: int
    machine: list[tuple[str, str]]
    #: The 1-minute load average when the run started and when it ended: other work skews every number.
    load_start: float
    sizes: list[Size]
    impls: list[str]
    skipped: dict[str, str]
    in_process: dict[tuple[str, str], Timing] = field(default_factory=dict)
    fresh: dict[tuple[str, str], Timing] = field(default_factory=dict)
    memory: dict[tuple[str, str], Memory] = field(default_factory=dict)
    generate: tuple[float, float] | None = None
    load_end: float | None = None


def _us(value: float) -> str:
    """Microseconds with about three significant digits."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _spread(timing: Timing) -> str:
    """The 10th to the 90th percentile step time."""
    return f"{_us(timing.percentile_us(10))}–{_us(timing.percentile_us(90))}"


def _bytes(count: int) -> str:
    """A byte count in B, KiB or MiB."""
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if abs(count) >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


def _ratio(results: Results, size: str, numerator: str, denominator: str) -> float | None:
    """``numerator``'s median over ``denominator``'s at ``size``, in process; None when either was not timed."""
    top, bottom = results.in_process.get((size, numerator)), results.in_process.get((size, denominator))
    return top.median_us / bottom.median_us if top and bottom else None


def _size_table(results: Results, size: Size) -> list[str]:
    """Every implementation's step time at ``size``, in process and (when run) fresh."""
    fresh = bool(results.fresh)
    head = ["implementation", "median µs", "p10–p90 µs", "steps", f"× {SUBJECT}", "faults/step"]
    if fresh:
        head += ["fresh median µs", "fresh p10–p90 µs", "fresh faults/step"]
    lines = [f"### {size.name}: batch {size.batch}, {size.layers}", "", _row(head), _row(["---"] * len(head))]
    for impl in results.impls:
        timing = results.in_process[size.name, impl]
        ratio = _ratio(results, size.name, impl, SUBJECT)
        cells = [impl, _us(timing.median_us), _spread(timing), str(len(timing.samples)),
                 "—" if ratio is None else f"{ratio:.2f}×", f"{timing.faults_per_step:.1f}"]
        if fresh:
            alone = results.fresh[size.name, impl]
            cells += [_us(alone.median_us), _spread(alone), f"{alone.faults_per_step:.1f}"]
        lines.append(_row(cells))
    return lines + [""]


def _row(cells: list[str]) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(cells) + " |"


def _subject_table(results: Results) -> list[str]:
    """symprop's median over each other implementation's, per size."""
    others = [impl for impl in results.impls if impl != SUBJECT]
    lines = [_row(["size"] + [f"÷ {other}" for other in others]), _row(["---"] * (len(others) + 1))]
    for size in results.sizes:
        cells = [size.name]
        for other in others:
            ratio = _ratio(results, size.name, SUBJECT, other)
            alone = results.fresh.get((size.name, SUBJECT)), results.fresh.get((size.name, other))
            cell = f"{ratio:.2f}×"
            if all(alone):
                cell += f" ({alone[0].median_us / alone[1].median_us:.2f}×)"
            cells.append(cell)
        lines.append(_row(cells))
    return lines


def _memory_table(results: Results) -> list[str]:
    """Traced memory of the NumPy implementations, beside what the backward pass needs."""
    lines = [_row(["size", "implementation", "peak during one step", "kept between steps", "backward needs"]),
             _row(["---"] * 5)]
    for size in results.sizes:
        for impl in results.impls:
            memory = results.memory.get((size.name, impl))
            if memory is not None:
                lines.append(_row([size.name, impl, _bytes(memory.peak), _bytes(memory.kept),
                                   _bytes(backward_bytes(size))]))
    return lines


def _target_rows(results: Results) -> list[str]:
    """Every target at each of its sizes: the measured ratio and whether it is met."""
    lines = [_row(["target", "size", "measured", "verdict"]), _row(["---"] * 4)]
    for target in TARGETS:
        for size in target.sizes:
            ratio = _ratio(results, size, SUBJECT, target.other)
            if ratio is None:
                reason = results.skipped.get(target.other, "not run")
                lines.append(_row([f"{SUBJECT} {target.wording}", size, f"not measured: {reason}", "—"]))
                continue
            met = ratio < target.limit if target.strict else ratio <= target.limit
            lines.append(_row([f"{SUBJECT} {target.wording}", size, f"{ratio:.3f}×", "met" if met else "missed"]))
    return lines


def _beyond_floor_rows(results: Results) -> list[str]:
    """Per size: the matrix products' time, and what each NumPy implementation spends beyond them."""
    numpy_impls = [impl for impl in (SUBJECT, "handwritten") if impl in results.impls]
    lines = [_row(["size", "gemm_floor µs"] + [f"{impl} beyond it" for impl in numpy_impls]),
             _row(["---"] * (2 + len(numpy_impls)))]
    for size in results.sizes:
        floor = results.in_process[size.name, "gemm_floor"].median_us
        cells = [size.name, _us(floor)]
        for impl in numpy_impls:
            extra = results.in_process[size.name, impl].median_us - floor
            cells.append(f"{_us(extra)} µs ({extra / floor:.0%})")
        lines.append(_row(cells))
    return lines


_LIMITS = [
    "Everything a NumPy step does beyond the products is elementwise work: bias additions, the",
    "activations and their derivatives, the softmax, the sums of bias gradients and the update. NumPy runs",
    "it on one core while BLAS runs the products on every core, and `exp` alone, which the sigmoid layer",
    "and the softmax need, costs several nanoseconds per entry. That share sets how close to the floor",
    "plain NumPy can come: the hand-written step shows it. The generated step's sigmoid is the",
    "overflow-free form, `max(t, [z >= 0])/(1 + t)` with `t = exp(-|z|)`, three more passes over that",
    "layer than the hand-written `1/(1 + exp(-z))`, which overflows below z = -709; its softmax shift is",
    "floored so that no finite logit overflows, three more passes over the output layer. At the small",
    "sizes the time is the cost of calling NumPy (about a microsecond per call), which one compiled XLA",
    "call avoids.",
]


def render(results: Results) -> str:
    """The whole report as Markdown."""
    lines = [
        "# Benchmarks",
        "",
        "One full training step (forward, loss, backward and the SGD update of every weight and bias) of the",
        "seed notebook's Example 2 network, float64: dense layers with a per-neuron bias, relu → sigmoid → linear,",
        "softmax negative log-likelihood averaged over the batch. `tiny` is the notebook's own data; the other",
        "sizes use seeded random data. Lower is better. Rebuilt by the command below; do not edit by hand.",
        "",
        f"Measured {results.date} with `{results.command}`, {results.threads} thread(s) for every library.",
        "",
        _row(["machine", ""]),
        _row(["---", "---"]),
        *(_row([what, value]) for what, value in results.machine),
        _row(["load average (1 min), start → end", f"{results.load_start:.2f} → {results.load_end:.2f}"]),
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
        "were checked against `handwritten`'s to a relative 1e-8.",
        "",
        "## Step time",
        "",
        "Median and 10th–90th percentile of single steps in microseconds, timed in one process in rounds that",
        "visit every implementation in turn, after a warm-up; `× symprop` is the median over symprop's.",
        "Faults are minor page faults per step (`ru_minflt`)."
        + (" The `fresh` columns time each implementation and size alone in a new process." if results.fresh
           else ""),
        "",
    ]
    for size in results.sizes:
        lines += _size_table(results, size)
    if SUBJECT in results.impls:
        brackets = " (in fresh processes in brackets)" if results.fresh else ""
        lines += ["## symprop against each", "",
                  f"symprop's median over each other implementation's, in process{brackets};",
                  "below 1 means symprop is faster.", "", *_subject_table(results), ""]
    if results.memory:
        lines += ["## Memory", "",
                  "Traced by `tracemalloc`, which sees NumPy's allocations (torch's and XLA's it cannot).",
                  "*Peak during one step*: the most allocated at once during a step, beyond what was held before it.",
                  "*Kept between steps*: what the step holds from one call to the next beyond one copy of the",
                  "parameters (preallocated buffers). *Backward needs*: what any step must hold at once: every",
                  "layer's output for the batch (N × width, float64) plus one gradient per parameter.",
                  "", *_memory_table(results), ""]
    if results.generate is not None:
        cold, warm = results.generate
        lines += ["## make generate", "",
                  "`python -m codegen generate` into a temporary folder: the whole catalogue and the example specs.",
                  "", _row(["run", "seconds"]), _row(["---", "---"]),
                  _row(["cold (`SYMPROP_CACHE=0`, every derivation done)", f"{cold:.2f}"]),
                  _row(["warm (second run, caches in `.cache/`)", f"{warm:.2f}"]), ""]
    if SUBJECT in results.impls:
        lines += ["## Targets", "", "symprop's in-process median over the other's, against each target.", "",
                  *_target_rows(results), ""]
    if "gemm_floor" in results.impls:
        lines += ["## What limits the ratios", "", *_LIMITS, "", *_beyond_floor_rows(results), ""]
    return "\n".join(lines)
