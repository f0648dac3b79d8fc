"""Rendering does not depend on Python's string hashing: two processes with different seeds agree byte for byte.

Each process runs ``python -m codegen generate`` (or ``network``) into its own folder
with every cache off (``SYMPROP_CACHE=0``), so each derives and renders everything
under its own hash seed.  The two run side by side.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("1", "2")


def codegen_uncached(arguments: list[str], seed: str) -> subprocess.Popen:
    """Start a cold ``python -m codegen ARGUMENTS`` under hash seed ``seed``."""
    environment = {**os.environ, "PYTHONHASHSEED": seed, "SYMPROP_CACHE": "0", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "codegen", *arguments], cwd=ROOT,
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(runs: dict[str, subprocess.Popen]) -> None:
    """Wait for every run; each must succeed."""
    for seed, run in runs.items():
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, f"PYTHONHASHSEED={seed}: {stderr}"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_every_file_renders_byte_identical_under_different_hash_seeds_with_caches_off(tmp_path):
    finish({seed: codegen_uncached(["generate", "--out", str(tmp_path / seed)], seed) for seed in SEEDS})
    first, second = (files(tmp_path / seed) for seed in SEEDS)
    assert sorted(first) == sorted(path.name for path in (ROOT / "generated").glob("*.py"))  # not vacuous
    assert first == second


#: A user spec whose Trainer step writes out functions in place (GELU's normal CDF) in two layers.
GELU_SPEC = """\
name = "two_gelu"
inputs = 3
loss = "mse"

[[layers]]
units = 4
activation = "gelu"

[[layers]]
units = 2
activation = "gelu"
"""


def test_a_network_with_written_out_functions_renders_byte_identical_under_different_hash_seeds(tmp_path):
    spec = tmp_path / "two_gelu.toml"
    spec.write_text(GELU_SPEC, encoding="utf-8")
    finish({seed: codegen_uncached(["network", str(spec), "-o", str(tmp_path / f"{seed}.py")], seed)
            for seed in SEEDS})
    first, second = ((tmp_path / f"{seed}.py").read_text(encoding="utf-8").splitlines() for seed in SEEDS)
    assert "np.floor" in "\n".join(first)  # the normal CDF is written out in place
    del first[1], second[1]  # the header's rebuild command names each run's own output path
    assert first == second
