"""A compiled module written with ``-o`` keeps its compiled step in Numba's on-disk cache, next to the file.

The first process that steps the module compiles ``_step`` and writes the
cache index (``__pycache__/<module>._step-<line>.<python>.nbi``) and data;
a later process, importing the module from ``sys.path`` or loading it with
``importlib.util.spec_from_file_location``, loads it from there and compiles
nothing.  Each process reports its dispatcher's cache hits and misses.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("numba", reason="the compiled target needs the `fast` extra: pip install -e '.[fast]'")
pytest.importorskip("scipy", reason="Numba's np.dot needs scipy: pip install -e '.[fast]'")

from codegen.__main__ import main  # noqa: E402

EXAMPLE2 = Path(__file__).resolve().parent.parent / "specs" / "example2.toml"
#: One training step of the module at argv[1], imported as argv[2] says; prints the step's cache hits and misses.
STEP = """
import importlib, importlib.util, json, sys
from pathlib import Path
import numpy as np
path = Path(sys.argv[1])
if sys.argv[2] == "import":
    sys.path.insert(0, str(path.parent))
    module = importlib.import_module(path.stem)
else:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
module.Trainer(module.init_params(0)).train_step(np.ones((4, 3)), np.eye(3)[[0, 1, 2, 0]])
stats = module._step.stats
print(json.dumps({"hits": sum(stats.cache_hits.values()), "misses": sum(stats.cache_misses.values())}))
"""


def written(folder: Path) -> Path:
    """``my_fast.py`` written to ``folder`` by ``python -m codegen network specs/example2.toml --target numba``."""
    path = folder / "my_fast.py"
    assert main(["network", str(EXAMPLE2), "-o", str(path), "--target", "numba"]) == 0
    return path


def step(path: Path, how: str) -> dict:
    """Cache hits and misses of a new process that imports ``path`` (``how``: "import" or "file") and steps once."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("NUMBA_")}
    done = subprocess.run([sys.executable, "-c", STEP, str(path), how], cwd=path.parent, env=environment,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """The module's path and what its first process (importing it from ``sys.path``) reported."""
    path = written(tmp_path_factory.mktemp("cache"))
    return path, step(path, "import")


def test_the_first_process_compiles_the_step(first_run):
    _, report = first_run
    assert report == {"hits": 0, "misses": 1}


def test_the_first_process_writes_the_cache_index_next_to_the_module(first_run):
    path, _ = first_run
    assert list((path.parent / "__pycache__").glob("my_fast._step-*.nbi"))


def test_a_second_process_importing_the_module_loads_the_step_from_the_cache(first_run):
    path, _ = first_run
    assert step(path, "import") == {"hits": 1, "misses": 0}


def test_a_second_process_loading_the_file_by_its_path_loads_the_step_from_the_cache(first_run):
    path, _ = first_run
    assert step(path, "file") == {"hits": 1, "misses": 0}


def test_a_module_loaded_by_its_path_writes_the_cache_for_the_next_process(tmp_path):
    path = written(tmp_path)
    assert step(path, "file") == {"hits": 0, "misses": 1}
    assert step(path, "file") == {"hits": 1, "misses": 0}
