"""Mutated specs through the real command: never a traceback, nothing written at ``-o`` on failure.

A spec using most fields is mutated (a key deleted, misspelled or given a
hostile value, a line duplicated, the text cut, bytes spliced in, values
nested deep) and run through ``codegen.__main__.main``.  The exit status is
0 (a module at ``-o``) or 2 (one ``error:`` line on stderr, no file at
``-o``, no file left beside it).  A few mutants go through a real process.
Mutants are rejected by the spec checks in milliseconds; the few still
valid take a fraction of a second to render.
"""

import contextlib
import io
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from codegen.__main__ import main
from derive.spec import SpecError, load_spec
from derive.catalog.standard import CATALOG

VOCABULARY = CATALOG.vocabulary()

ROOT = Path(__file__).resolve().parent.parent

#: The spec every mutant starts from; leaves are TOML text, so a mutant may hold any TOML value.
BASE = {
    "name": '"fuzzed"',
    "description": '"a spec every mutation starts from"',
    "inputs": "2",
    "loss": '"huber"',
    "loss_params": {"delta": "2.0"},
    "layers": [
        {"units": "2", "activation": '"leaky_relu"', "activation_params": {"alpha": "0.2"}, "bias": '"shared"',
         "weight_init": '"he_normal"', "bias_init": '"ones"', "dropout": "0.25", "penalty": '"l2"',
         "penalty_strength": "1e-4"},
        {"inputs": "2", "units": "1", "activation": '"linear"', "bias": '"none"', "batch_norm": "true",
         "trainable": "false"},
    ],
    "optimizer": {"name": '"momentum"', "learning_rate": "0.05", "momentum": "0.8",
                  "schedule": {"kind": '"staircase"', "rate": "0.5", "step": "10"}},
    "example": {"x": "[[0.1, 0.2]]", "y": "[[1.0]]", "w1": "[[0.1, 0.2], [0.3, 0.4]]", "b1": "[[0.0]]",
                "w2": "[[0.5, 0.6]]"},
}

#: Values of the wrong type, out of range, not finite, too large to convert or to read, nested deep.
HOSTILE = [
    '"x"', '""', "true", "[]", "{}", "[[1, 2], [3]]", "{ a = 1 }", "nan", "-nan", "inf", "-inf", "-1", "0", "1e309",
    "9" * 400, "-" + "9" * 400, "1" * 4301, "0x" + "f" * 5000, "1000000000000", "1" + "0" * 30, '"a\\nb"',
    "'''\n'''", "1979-05-27", "07:32:00", "[" * 1000 + "]" * 1000, "{ a = " * 500 + "1" + " }" * 500,
    '"\\u2028"', '"relu"', '"none"', "0.5", "1",
]


def paths(value, prefix=()) -> list[tuple]:
    """Every key path and array index in ``value``."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    found = []
    for key, child in children:
        found.append((*prefix, key))
        found += paths(child, (*prefix, key))
    return found


def edited(value, path: tuple, change):
    """A copy of ``value`` with the item at ``path`` replaced by ``change(parent, key)``'s edit."""
    if isinstance(value, dict):
        value = dict(value)
    elif isinstance(value, list):
        value = list(value)
    if len(path) == 1:
        change(value, path[0])
    else:
        value[path[0]] = edited(value[path[0]], path[1:], change)
    return value


def toml(value) -> str:
    """TOML text for a spec: one ``key = value`` line per top-level key, tables inline."""
    def inline(item) -> str:
        if isinstance(item, dict):
            return "{ " + ", ".join(f'"{k}" = {inline(v)}' for k, v in item.items()) + " }"
        if isinstance(item, list):
            return "[" + ", ".join(inline(v) for v in item) + "]"
        return item
    return "".join(f'"{key}" = {inline(item)}\n' for key, item in value.items())


@st.composite
def mutated_structure(draw) -> bytes:
    """The base spec with one key deleted, misspelled or given a hostile value."""
    path = draw(st.sampled_from(paths(BASE)))
    action = draw(st.sampled_from(["delete", "misspell", "replace"]))
    if action == "delete":
        return toml(edited(BASE, path, lambda parent, key: parent.pop(key))).encode()
    if action == "misspell" and isinstance(path[-1], str):
        typo = draw(st.sampled_from([path[-1][1:], path[-1] + "s", path[-1].upper(), path[-1][::-1], "x" + path[-1]]))
        return toml(edited(BASE, path, lambda parent, key: parent.__setitem__(typo, parent.pop(key)))).encode()
    hostile = draw(st.sampled_from(HOSTILE) | st.integers().map(str) | st.floats().map(repr).map(str.lower))
    return toml(edited(BASE, path, lambda parent, key: parent.__setitem__(key, hostile))).encode()


@st.composite
def mutated_text(draw) -> bytes:
    """The base spec's text with a line duplicated, the text cut, bytes spliced in, or garbage bytes."""
    text = toml(BASE).encode()
    lines = text.splitlines(keepends=True)
    action = draw(st.sampled_from(["duplicate", "cut", "splice", "garbage"]))
    if action == "duplicate":
        line = draw(st.integers(0, len(lines) - 1))
        return b"".join(lines[: line + 1] + [lines[line]] + lines[line + 1:])
    if action == "cut":
        return text[: draw(st.integers(0, len(text) - 1))]
    if action == "splice":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.binary(min_size=1, max_size=8)) + text[at:]
    return draw(st.binary(max_size=200))


MUTANTS = mutated_structure() | mutated_text()


def run_main(spec: bytes) -> tuple[int, str, bool, list[str]]:
    """Run ``network`` on ``spec``: its status, stderr, whether ``-o`` was written, the other files left."""
    with tempfile.TemporaryDirectory() as folder:
        path, output = Path(folder) / "spec.toml", Path(folder) / "out.py"
        path.write_bytes(spec)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = main(["network", str(path), "-o", str(output)])
        others = sorted(p.name for p in Path(folder).iterdir() if p not in (path, output))
        return status, stderr.getvalue(), output.exists(), others


def check_outcome(status: int, stderr: str, written: bool, others: list[str]) -> None:
    assert status in (0, 2)
    assert others == []
    if status == 0:
        assert written and stderr == ""
    else:
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr
        assert not written


@settings(max_examples=300)
@given(spec=MUTANTS)
def check_mutant(tally: Counter, spec: bytes) -> None:
    outcome = run_main(spec)
    check_outcome(*outcome)
    tally["valid" if outcome[0] == 0 else "malformed"] += 1
    tally[outcome[1].split(": ")[2] if outcome[0] == 2 else "written"] += 1


def test_mutated_specs_exit_0_or_2_and_write_nothing_on_failure():
    tally = Counter()
    check_mutant(tally)
    # The mutants reach the file checks and the field checks, and most are malformed.
    assert tally["(file)"] > 0 and tally["layers[0].units"] + tally["layers[1].units"] > 0
    assert tally["malformed"] > 4 * tally["valid"]


@settings(max_examples=5)
@given(spec=MUTANTS)
def test_mutated_specs_through_the_command_exit_2_in_one_line(spec):
    with tempfile.TemporaryDirectory() as folder:
        path, output = Path(folder) / "spec.toml", Path(folder) / "out.py"
        path.write_bytes(spec)
        try:
            load_spec(path, VOCABULARY)
        except SpecError:
            pass
        else:
            assume(False)  # a valid mutant would take seconds in a new process
        result = subprocess.run(
            [sys.executable, "-m", "codegen", "network", str(path), "-o", str(output)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        check_outcome(result.returncode, result.stderr, output.exists(),
                      sorted(p.name for p in Path(folder).iterdir() if p not in (path, output)))
