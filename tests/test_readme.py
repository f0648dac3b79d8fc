"""The README's quick start and Python blocks run as written, so they cannot rot.

The quick start is replayed in an empty folder: each code block whose first
line is ``# FILE`` is written to ``FILE``, each shell line runs with
``.venv/bin/`` standing for the environment running the tests (the set-up's
``make`` lines are how this suite itself runs, so they are not run again),
and what it prints is compared with the README's.  Then the whole README
runs in order in a fresh folder: its files written, its ``symprop network``
commands run and its Python blocks executed in one namespace.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
#: An epoch's time at the end of a progress line: it varies from run to run.
SECONDS = re.compile(r"\(\d+\.\d+ s\)$", re.M)


def section(title: str) -> str:
    """The README's section ``## title``, up to the next ``## `` heading."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def blocks(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of ``text``: (language, body), in order."""
    return BLOCK.findall(text)


def file_name(body: str) -> str | None:
    """The file a block stands for, when its first line is ``# NAME.EXT``."""
    match = re.fullmatch(r"# ([\w./-]+\.\w+)", body.splitlines()[0])
    return match and match.group(1)


def commands(body: str) -> list[str]:
    """A shell block's commands, comments dropped, ``.venv/bin/`` made this environment's."""
    lines = [line.split("  #")[0].strip() for line in body.splitlines()]
    return [line.replace(".venv/bin/", f"{BIN}/") for line in lines if line and not line.startswith("#")]


QUICK_START = section("Quick start")


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The folder the quick start ran in, and each command's standard output."""
    folder = tmp_path_factory.mktemp("quick-start")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    outputs = {}
    for language, body in blocks(QUICK_START):
        if file_name(body):
            target = folder / file_name(body)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif language == "sh":
            for command in commands(body):
                if command.startswith("make "):
                    continue
                done = subprocess.run(command, shell=True, cwd=folder, env=environment, capture_output=True,
                                      text=True, timeout=600)
                assert done.returncode == 0, f"{command}\n{done.stderr}"
                outputs[command.replace(f"{BIN}/", ".venv/bin/")] = done.stdout
    return folder, outputs


def test_the_set_up_is_the_two_make_commands():
    language, body = blocks(QUICK_START)[0]
    assert language == "sh" and commands(body) == ["make generate", "make test"]


def test_no_quick_start_command_runs_a_python_outside_the_environment():
    lines = [line for language, body in blocks(QUICK_START) if language == "sh" for line in body.splitlines()]
    bare = [line for line in lines if re.match(r"(python3?|pip|symprop|pytest)\b", line.strip())]
    assert bare == []


def test_the_quick_start_prints_what_the_readme_shows(replayed):
    _, outputs = replayed
    shown = next(body for language, body in blocks(QUICK_START) if language == "text")
    printed = outputs[".venv/bin/python quickstart.py"]
    assert SECONDS.sub("(s)", printed) == SECONDS.sub("(s)", shown)


def test_the_quick_start_classifies_29_of_the_30_held_out_flowers(replayed):
    _, outputs = replayed
    last = outputs[".venv/bin/python quickstart.py"].splitlines()[-1]
    assert last == f"test accuracy {29 / 30:.4f}"


def test_the_quick_start_writes_the_networks_derivation_as_latex(replayed):
    folder, _ = replayed
    latex = (folder / "iris.tex").read_text(encoding="utf-8")
    assert latex.startswith("% network iris\n")
    assert r"\mathrm{dw}_{1} &= \mathrm{dinp}_{1}^{T} x" in latex  # the first layer's weight gradient


def test_the_quick_start_walks_backpropagation_to_the_chosen_weight(replayed):
    _, outputs = replayed
    walk = next(text for command, text in outputs.items() if " explain " in command)
    assert "w1[0,0]" in walk and "Chain rule" in walk


def readme_script() -> str:
    """The README as one script, in its order: files written, ``symprop network`` run, Python blocks executed."""
    steps = ["import pathlib, subprocess, sys"]
    for number, (language, body) in enumerate(blocks(README), start=1):
        if file_name(body):
            steps.append(f"pathlib.Path({file_name(body)!r}).parent.mkdir(parents=True, exist_ok=True)")
            steps.append(f"pathlib.Path({file_name(body)!r}).write_text({body!r}, encoding='utf-8')")
        elif language == "sh":
            for command in commands(body):
                words = command.split()
                if words[0].endswith("symprop") and words[1] == "network":
                    steps.append(f"subprocess.run({[str(BIN / 'symprop'), *words[1:]]!r}, check=True)")
        elif language == "python":
            steps.append(f"exec(compile({body!r}, 'README.md code block {number}', 'exec'))")
    return "\n".join(steps)


def test_every_python_block_of_the_readme_runs_in_order(tmp_path):
    done = subprocess.run([sys.executable, "-c", readme_script()], cwd=tmp_path, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
                                            "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr[-3000:]


def openblas_threads(environment: dict[str, str]) -> int:
    """The thread count NumPy's bundled OpenBLAS reports in a fresh interpreter with ``environment``."""
    probe = (
        "import ctypes, glob, os, numpy;"
        "path = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, 'numpy.libs', '*openblas*'))[0];"
        "print(ctypes.CDLL(path).scipy_openblas_get_num_threads64_())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True)
    return int(done.stdout)


def test_openblas_num_threads_limits_numpys_matrix_products_to_one_thread():
    assert "openblas" in np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    assert openblas_threads({**os.environ, "OPENBLAS_NUM_THREADS": "1"}) == 1


def test_without_the_limit_numpys_openblas_uses_every_core():
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    assert openblas_threads(environment) == len(os.sched_getaffinity(0))

