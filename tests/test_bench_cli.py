"""``python -m bench`` end to end, as a smoke run: it writes its report; and it refuses unknown names in one line.

Run as a subprocess, because the command sets the thread count of the
process it runs in.  The times are not looked at: nothing here is timed.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bench", *arguments], cwd=ROOT, capture_output=True, text=True)


def test_a_quick_run_writes_the_report_with_a_section_and_targets_per_dtype(tmp_path):
    output = tmp_path / "bench.md"
    result = bench("--quick", "--sizes", "tiny", "--impls", "symprop,handwritten,gemm_floor", "--no-fresh",
                   "--no-generate", "--output", str(output))
    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert result.stdout == text + "\n"
    for dtype in ("float64", "float32"):
        assert f"\n## {dtype}\n" in text and f"### Targets ({dtype})" in text


def test_dtype_chooses_the_sections(tmp_path):
    output = tmp_path / "bench.md"
    result = bench("--quick", "--sizes", "tiny", "--impls", "handwritten,gemm_floor", "--dtype", "float32",
                   "--no-fresh", "--no-generate", "--output", str(output))
    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert "\n## float32\n" in text and "\n## float64\n" not in text


def test_an_unknown_dtype_is_refused_naming_the_accepted_ones():
    result = bench("--dtype", "float16")
    assert result.returncode == 2
    assert "expected names from float64, float32; got 'float16'" in result.stderr


def test_a_fresh_worker_times_one_batch_of_the_given_length_per_round():
    from bench.fresh import worker
    from bench.timing import QUICK

    data = worker("handwritten", "tiny", "float32", 7, QUICK)
    assert data["batch"] == 7 and len(data["samples"]) == QUICK.rounds
