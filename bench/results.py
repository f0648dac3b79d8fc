"""What one benchmark run measured, keyed by dtype, size and implementation, and the paired ratios read from it."""

from dataclasses import dataclass, field

from .first_call import FirstCall
from .memory import Memory
from .problems import Size
from .stats import Ratio, paired_ratios, summarize
from .timing import Timing


@dataclass
class Results:
    """Everything one run measured; timings are keyed by (dtype, size name, implementation)."""

    date: str
    command: str
    threads: int
    machine: list[tuple[str, str]]
    #: The 1-minute load average when the run started and when it ended: other work skews every number.
    load_start: float
    sizes: list[Size]
    impls: list[str]
    skipped: dict[str, str]
    dtypes: list[str]
    rounds: int
    batch_seconds: float
    #: A ``--quick`` smoke run: few, short batches, no measurement.
    quick: bool = False
    in_process: dict[tuple[str, str, str], Timing] = field(default_factory=dict)
    fresh: dict[tuple[str, str, str], Timing] = field(default_factory=dict)
    memory: dict[tuple[str, str, str], Memory] = field(default_factory=dict)
    #: (size, implementation) -> {"cold": ..., "cached": ...}
    first_calls: dict[tuple[str, str], dict[str, FirstCall]] = field(default_factory=dict)
    generate: tuple[float, float] | None = None
    load_end: float | None = None


def paired_ratio(results: Results, dtype: str, size: str, numerator: str, denominator: str) -> Ratio:
    """``numerator``'s time over ``denominator``'s, round by round in process, summarised."""
    return summarize(paired_ratios(results.in_process[dtype, size, numerator].samples,
                                   results.in_process[dtype, size, denominator].samples))
