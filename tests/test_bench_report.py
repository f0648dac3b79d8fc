"""The benchmark report, rendered from synthetic results: per-dtype sections and the targets table's verdicts."""

import pytest

from bench.first_call import FirstCall
from bench.problems import SIZES
from bench.report import render
from bench.results import Results
from bench.timing import Timing

IMPLS = ("symprop", "symprop_threads", "symprop_numba", "handwritten", "autograd", "torch", "jax", "gemm_floor")
ROUNDS = 9
#: Per size, each implementation's time per step in every round (ns); the machine slows every third round.
BASE = {"symprop": 100.0, "symprop_threads": 90.0, "symprop_numba": 40.0, "autograd": 1000.0, "torch": 500.0, "jax": 100.0,
        "gemm_floor": 30.0}


def samples(impl: str, size: str) -> list[float]:
    slow = [3.0 if k % 3 == 2 else 1.0 for k in range(ROUNDS)]
    if impl == "handwritten":  # symprop over handwritten: 0.9 or 1.1 round by round, median 0.9–1.1
        return [100.0 / (0.9 if k % 2 else 1.1) * s for k, s in enumerate(slow)]
    if impl == "gemm_floor" and size == "medium":  # symprop_numba over the floor: 1.2 in every round
        return [40.0 / 1.2 * s for s in slow]
    return [BASE[impl] * s for s in slow]


def results(dtypes=("float64", "float32"), fresh=True) -> Results:
    sizes = [SIZES["tiny"], SIZES["medium"]]
    made = Results(date="2026-01-01 00:00 UTC", command="python -m bench", threads=1, machine=[("CPU", "test")],
                   load_start=0.1, load_end=0.2, sizes=sizes, impls=list(IMPLS), skipped={"notebook": "not run"},
                   dtypes=list(dtypes), rounds=ROUNDS, batch_seconds=0.03)
    for dtype in dtypes:
        for size in sizes:
            for impl in IMPLS:
                made.in_process[dtype, size.name, impl] = Timing(samples(impl, size.name), batch=10)
                if fresh:
                    faults = 50 if impl == "symprop_numba" else 0
                    made.fresh[dtype, size.name, impl] = Timing(samples(impl, size.name), batch=10, faults=faults)
    made.first_calls["tiny", "symprop_numba"] = {"cold": FirstCall(1.5, 12.25), "cached": FirstCall(1.25, 0.5)}
    return made


def target_verdict(text: str, dtype: str, target: str, size: str) -> str:
    """The verdict cell of ``target`` at ``size`` in the targets table of ``dtype``."""
    section = text.split(f"### Targets ({dtype})")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith(f"| {target} | {size} |")]
    assert len(rows) == 1, (target, size)
    return rows[0].strip("| ").split(" | ")[-1]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("target, size, expected", [
    ("symprop_numba faster than JAX jit", "tiny", "met"),
    ("symprop_numba ≤ 0.5× JAX jit", "tiny", "met"),
    ("symprop_numba ≤ 1.05× the GEMM floor", "medium", "missed"),
    ("symprop ≤ 1.0× the best hand-written NumPy", "tiny", "within noise"),
    ("symprop faster than torch", "medium", "met"),
    ("symprop_threads faster than symprop on one thread", "medium", "met"),
    ("symprop_numba faster than autograd", "tiny", "met"),
    ("symprop takes 0 page faults per step in a fresh process", "tiny", "met"),
    ("symprop_numba takes 0 page faults per step in a fresh process", "medium", "missed"),
])
def test_the_targets_table_gives_each_target_its_verdict(dtype, target, size, expected):
    assert target_verdict(render(results()), dtype, target, size) == expected


def test_a_target_row_shows_the_paired_ratio_with_its_interval():
    text = render(results())
    assert "| symprop_numba ≤ 1.05× the GEMM floor | medium | 1.200× [1.200–1.200] | missed |" in text


def test_a_target_whose_implementation_was_not_run_says_why_and_has_no_verdict():
    made = results(dtypes=("float64",))
    made.impls.remove("jax")
    made.skipped["jax"] = "jax is not installed"
    assert "| symprop_numba faster than JAX jit | tiny | not measured: jax is not installed | — |" in render(made)


def test_without_fresh_processes_the_fault_targets_are_not_measured():
    text = render(results(dtypes=("float64",), fresh=False))
    assert target_verdict(text, "float64", "symprop takes 0 page faults per step in a fresh process", "tiny") == "—"


def test_the_report_has_one_section_per_dtype_and_says_float32_is_computed_in_float64_by_symprop():
    text = render(results())
    assert "\n## float64\n" in text and "\n## float32\n" in text
    float32 = text.split("\n## float32\n")[1]
    assert "converts float32 `x` and `y` to float64 on every call" in float32
    assert "converts float32" not in text.split("\n## float32\n")[0]


def test_the_first_call_table_gives_import_and_first_step_cold_and_cached():
    text = render(results())
    assert "| tiny | symprop_numba | 1.500 | 12.250 | 13.750 | 1.250 | 0.500 | 1.750 |" in text


def test_a_size_table_gives_each_implementation_its_median_per_step_and_batch_length():
    text = render(results(dtypes=("float64",)))
    tiny = text.split("### tiny: batch 1, 3-3-3-3 (float64)")[1].split("###")[0]
    assert "| torch | 0.50 | " in tiny and " | 10 × 9 | " in tiny


def test_a_quick_run_says_its_numbers_are_not_a_measurement():
    made = results(dtypes=("float64",))
    assert "not a measurement" not in render(made)
    made.quick = True
    assert "A smoke run (`--quick`)" in render(made)


def test_the_float32_section_says_the_notebooks_first_layer_turns_float64_when_it_was_run():
    made = results(dtypes=("float32",))
    assert "relu derivative is an integer array" not in render(made)
    made.impls.append("notebook")
    made.skipped.pop("notebook")
    for size in made.sizes:
        made.in_process["float32", size.name, "notebook"] = Timing([100.0] * ROUNDS, batch=10)
        made.fresh["float32", size.name, "notebook"] = Timing([100.0] * ROUNDS, batch=10)
    assert "relu derivative is an integer array" in render(made)
