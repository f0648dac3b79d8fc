"""The report's tables: step times per size, symprop against each, memory, time beyond the products, first calls."""

from .results import Results, paired_ratio
from .problems import Size, backward_bytes
from .timing import Timing

SUBJECTS = ("symprop", "symprop_numba")


def row(cells: list[str]) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [row(head), row(["---"] * len(head)), *(row(cells) for cells in rows)]


def us(value: float) -> str:
    """Microseconds with about three significant digits."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _spread(timing: Timing) -> str:
    """The 10th to the 90th percentile over batches of the time per step."""
    return f"{us(timing.percentile_us(10))}–{us(timing.percentile_us(90))}"


def _bytes(count: int) -> str:
    """A byte count in B, KiB or MiB."""
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if abs(count) >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


def size_table(results: Results, dtype: str, size: Size) -> list[str]:
    """Every implementation's time per step at ``size`` in ``dtype``, in process and (when run) fresh."""
    fresh = any(key[0] == dtype for key in results.fresh)
    reference = next((name for name in SUBJECTS if name in results.impls), None)
    head = ["implementation", "median µs/step", "p10–p90 µs/step", "batch × rounds"]
    head += [f"÷ {reference} (paired)"] if reference else []
    head += ["faults/step"] + (["fresh median µs", "fresh p10–p90 µs", "fresh faults/step"] if fresh else [])
    rows = []
    for impl in results.impls:
        timing = results.in_process[dtype, size.name, impl]
        cells = [impl, us(timing.median_us), _spread(timing), f"{timing.batch} × {len(timing.samples)}"]
        if reference:
            cells.append(paired_ratio(results, dtype, size.name, impl, reference).text())
        cells.append(f"{timing.faults_per_step:.2f}")
        if fresh:
            alone = results.fresh[dtype, size.name, impl]
            cells += [us(alone.median_us), _spread(alone), f"{alone.faults_per_step:.2f}"]
        rows.append(cells)
    return [f"### {size.name}: batch {size.batch}, {size.layers} ({dtype})", "", *_table(head, rows), ""]


def subject_table(results: Results, dtype: str, subject: str) -> list[str]:
    """``subject``'s paired ratio to each other implementation, per size; fresh medians' ratio in brackets."""
    others = [impl for impl in results.impls if impl != subject]
    rows = []
    for size in results.sizes:
        cells = [size.name]
        for other in others:
            cell = f"{paired_ratio(results, dtype, size.name, subject, other).median:.2f}×"
            alone = results.fresh.get((dtype, size.name, subject)), results.fresh.get((dtype, size.name, other))
            if all(alone):
                cell += f" ({alone[0].median_us / alone[1].median_us:.2f}×)"
            cells.append(cell)
        rows.append(cells)
    return _table(["size"] + [f"÷ {other}" for other in others], rows)


def memory_table(results: Results, dtype: str) -> list[str]:
    """Traced memory of the NumPy implementations in ``dtype``, beside what the backward pass needs."""
    rows = [[size.name, impl, _bytes(memory.peak), _bytes(memory.kept), _bytes(backward_bytes(size, dtype))]
            for size in results.sizes for impl in results.impls
            if (memory := results.memory.get((dtype, size.name, impl))) is not None]
    return _table(["size", "implementation", "peak during one step", "kept between steps", "backward needs"], rows)


def beyond_floor_table(results: Results, dtype: str) -> list[str]:
    """Per size: the matrix products' time, and what each NumPy or compiled step spends beyond them."""
    impls = [impl for impl in (*SUBJECTS, "handwritten") if impl in results.impls]
    rows = []
    for size in results.sizes:
        floor = results.in_process[dtype, size.name, "gemm_floor"].median_us
        cells = [size.name, us(floor)]
        for impl in impls:
            extra = results.in_process[dtype, size.name, impl].median_us - floor
            cells.append(f"{us(extra)} µs ({extra / floor:.0%})")
        rows.append(cells)
    return _table(["size", "gemm_floor µs"] + [f"{impl} beyond it" for impl in impls], rows)


def first_call_table(results: Results) -> list[str]:
    """Per size and symprop target: import and first-step seconds, cold and cached."""
    rows = []
    for (size, impl), calls in results.first_calls.items():
        cold, cached = calls["cold"], calls["cached"]
        rows.append([size, impl, f"{cold.import_seconds:.3f}", f"{cold.first_step_seconds:.3f}",
                     f"{cold.total:.3f}", f"{cached.import_seconds:.3f}", f"{cached.first_step_seconds:.3f}",
                     f"{cached.total:.3f}"])
    return _table(["size", "target", "cold import s", "cold first step s", "cold total s", "cached import s",
                   "cached first step s", "cached total s"], rows)
