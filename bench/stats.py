"""Paired ratios within rounds, their median with a bootstrap interval, and the verdict against a target.

Two implementations timed in the same round met the same machine: the
ratio of their times in that round cancels much of what the machine did.
The median over rounds of those ratios is the measurement; a percentile
bootstrap (seeded, so a report is reproducible from its samples) gives the
interval of that median.  A target inside the interval cannot be called met
or missed: the verdict is "within noise".
"""

import statistics
from dataclasses import dataclass

import numpy as np

#: How sure the interval of the median ratio is, and how many resamples the bootstrap draws.
LEVEL = 0.95
RESAMPLES = 2000
MET, MISSED, NOISE = "met", "missed", "within noise"


@dataclass(frozen=True)
class Ratio:
    """The median of paired ratios and the bootstrap interval of that median."""

    median: float
    low: float
    high: float

    def text(self) -> str:
        """``0.93× [0.90–0.97]``: the median and its interval."""
        return f"{self.median:.3f}× [{self.low:.3f}–{self.high:.3f}]"


def paired_ratios(numerator: list[float], denominator: list[float]) -> list[float]:
    """Round by round, the numerator's time over the denominator's; both must have the same rounds."""
    if len(numerator) != len(denominator) or not numerator:
        raise ValueError(f"paired ratios need the same, non-zero number of rounds; got {len(numerator)} "
                         f"and {len(denominator)}")
    return [top / bottom for top, bottom in zip(numerator, denominator)]


def bootstrap_interval(values: list[float], level: float = LEVEL, resamples: int = RESAMPLES,
                       seed: int = 0) -> tuple[float, float]:
    """The percentile bootstrap interval of the median of ``values`` at ``level``."""
    data = np.asarray(values, dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, len(data), size=(resamples, len(data)))
    medians = np.median(data[picks], axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(medians, [tail, 1 - tail])
    return float(low), float(high)


def summarize(ratios: list[float]) -> Ratio:
    """The median of ``ratios`` and its bootstrap interval."""
    return Ratio(statistics.median(ratios), *bootstrap_interval(ratios))


def verdict(ratio: Ratio, limit: float) -> str:
    """``met`` when the whole interval is below ``limit``, ``missed`` when above, else ``within noise``."""
    if ratio.high < limit:
        return MET
    if ratio.low > limit:
        return MISSED
    return NOISE
