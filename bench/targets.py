"""The performance targets of symprop's two targets, and the report's table of them, one per dtype.

Each time target compares a symprop implementation with another at some
sizes by the paired ratio of their in-process step times; the verdict is
``met``, ``missed`` or ``within noise`` (``stats.verdict``).  The page-fault
target reads the fresh processes' faults per step.
"""

from dataclasses import dataclass

from .results import Results, paired_ratio
from .stats import MET, MISSED, verdict
from .tables import row

ALL_SIZES = ("tiny", "small", "medium", "large")
#: Faults per step below this count as none: one fault in a hundred steps belongs to the process, not the step.
FAULT_LIMIT = 0.01


@dataclass(frozen=True)
class Target:
    """``subject``'s step time over ``other``'s at each of ``sizes`` must be below ``limit``."""

    subject: str
    other: str
    sizes: tuple[str, ...]
    limit: float
    wording: str


TARGETS = (
    Target("symprop_numba", "jax", ALL_SIZES, 1.0, "faster than JAX jit"),
    Target("symprop_numba", "jax", ("tiny",), 0.5, "≤ 0.5× JAX jit"),
    Target("symprop_numba", "gemm_floor", ("medium", "large"), 1.05, "≤ 1.05× the GEMM floor"),
    Target("symprop", "handwritten", ALL_SIZES, 1.0, "≤ 1.0× the best hand-written NumPy"),
    Target("symprop_threads", "symprop", ("medium", "large"), 1.0, "faster than symprop on one thread"),
    *(Target(subject, other, ALL_SIZES, 1.0, f"faster than {other}")
      for subject in ("symprop", "symprop_numba") for other in ("torch", "autograd")),
)
FAULT_SUBJECTS = ("symprop", "symprop_numba")


def _missing(results: Results, *names: str) -> str | None:
    """Why one of ``names`` was not measured, or None when all were."""
    for name in names:
        if name not in results.impls:
            return results.skipped.get(name, "not run")
    return None


def _time_rows(results: Results, dtype: str) -> list[str]:
    """A row per time target and size: the paired ratio with its interval, and the verdict."""
    lines = []
    for target in TARGETS:
        for size in target.sizes:
            if size not in {s.name for s in results.sizes}:
                continue
            label = f"{target.subject} {target.wording}"
            reason = _missing(results, target.subject, target.other)
            if reason is not None:
                lines.append(row([label, size, f"not measured: {reason}", "—"]))
                continue
            ratio = paired_ratio(results, dtype, size, target.subject, target.other)
            lines.append(row([label, size, ratio.text(), verdict(ratio, target.limit)]))
    return lines


def _fault_rows(results: Results, dtype: str) -> list[str]:
    """A row per symprop target and size: faults per step in a fresh process, met when below ``FAULT_LIMIT``."""
    lines = []
    for subject in FAULT_SUBJECTS:
        for size in results.sizes:
            label = f"{subject} takes 0 page faults per step in a fresh process"
            timing = results.fresh.get((dtype, size.name, subject))
            if timing is None:
                reason = _missing(results, subject) or "fresh processes not run (--no-fresh)"
                lines.append(row([label, size.name, f"not measured: {reason}", "—"]))
                continue
            faults = timing.faults_per_step
            lines.append(row([label, size.name, f"{faults:.3f} faults/step",
                               MET if faults < FAULT_LIMIT else MISSED]))
    return lines


def target_table(results: Results, dtype: str) -> list[str]:
    """The targets table of ``dtype``, with the lines that explain it."""
    return [
        "Each time target is the median over rounds of the paired ratio (symprop's batch time over the",
        "other's in the same round), with its 95% bootstrap interval in brackets. *met*: the whole interval",
        "is below the limit; *missed*: above it; *within noise*: the interval contains the limit. Faults",
        f"per step below {FAULT_LIMIT} (one in a hundred steps) count as none.",
        "",
        row(["target", "size", "measured", "verdict"]),
        row(["---"] * 4),
        *_time_rows(results, dtype),
        *_fault_rows(results, dtype),
    ]
