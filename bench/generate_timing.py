"""How long ``make generate`` takes: the whole catalogue and the example specs, cold and warm.

Cold bypasses every cache (``SYMPROP_CACHE=0``), so SymPy derives
everything; warm is the second of two runs, which finds its caches under
``.cache/``.  Output goes to a temporary folder, never to ``generated/``.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generate_seconds(output: Path, environment: dict[str, str]) -> float:
    """Wall time of one ``python -m codegen generate --out OUTPUT``."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "codegen", "generate", "--out", str(output)],
                            cwd=ROOT, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"python -m codegen generate failed:\n{result.stderr}")
    return time.perf_counter() - start


def generate_seconds() -> tuple[float, float]:
    """Seconds for a cold and for a warm ``python -m codegen generate``."""
    with tempfile.TemporaryDirectory() as folder:
        cold = _generate_seconds(Path(folder) / "cold", os.environ | {"SYMPROP_CACHE": "0"})
        warm = dict(os.environ)
        warm.pop("SYMPROP_CACHE", None)
        _generate_seconds(Path(folder) / "warm", warm)
        return cold, _generate_seconds(Path(folder) / "warm", warm)
