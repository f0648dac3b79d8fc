"""``python -m codegen network``: a bad spec or output path exits 2 with one ``error:`` line, writing nothing.

The module is written through a new file beside ``-o PATH``, renamed over
it once complete; on any failure ``PATH`` keeps what it held and the new
file is removed.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import codegen.__main__ as cli
from codegen.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "specs_malformed"
MALFORMED = sorted(CORPUS.glob("*.toml"))
VALID = 'name = "tiny"\ninputs = 1\nloss = "mse"\n\n[[layers]]\nunits = 1\nactivation = "linear"\n'


def one_error_line(stderr: str) -> str:
    """The one line of ``stderr``, which must start with ``error:``."""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def run(arguments: list[str], capsys) -> tuple[int, str]:
    """``main(arguments)``: the exit status and what it printed on stderr."""
    status = main(arguments)
    return status, capsys.readouterr().err


@pytest.mark.parametrize("path", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_a_malformed_spec_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, path):
    status, stderr = run(["network", str(path), "-o", str(tmp_path / "out.py")], capsys)
    assert status == 2
    assert path.name in one_error_line(stderr)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content, field",
    [
        (b'inputs = 2\nloss = "caf\xe9"\n', "(file): not UTF-8 text: byte 0xe9"),
        (b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n", "(file): arrays or tables nested too deeply"),
        (b"x = " + b"{ a = " * 1000 + b"1" + b" }" * 1000 + b"\n", "(file): arrays or tables nested too deeply"),
        (b"inputs = " + b"1" * 4301 + b"\n", "(file): an integer too long to read"),
        (VALID.replace("inputs = 1", "inputs = 1\noptimizer = { learning_rate = " + "9" * 400 + " }").encode(),
         "optimizer.learning_rate: <an integer of about"),
        (VALID.encode() + b"\n[example]\nx = [[nan]]\ny = [[0.0]]\nw1 = [[1.0]]\nb1 = [[0.0]]\n",
         "example.x: expected finite"),
        (VALID.replace("units = 1", "units = 1" + "0" * 30).encode(),
         "layers[0].units: 1" + "0" * 30 + " is out of range"),
        (VALID.replace("inputs = 1", "inputs = 1000000000000").encode(), "inputs: 1000000000000 is out of range"),
    ],
    ids=["not-utf8", "arrays-1000-deep", "tables-1000-deep", "4301-digits", "400-digits", "nan-example",
         "units-10e30", "inputs-10e12"],
)
def test_the_command_reports_a_hostile_file_in_one_line(tmp_path, content, field):
    spec, output = tmp_path / "net.toml", tmp_path / "out.py"
    spec.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "network", str(spec), "-o", str(output)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert f"net.toml: {field}" in one_error_line(result.stderr)
    assert not output.exists()


@pytest.fixture
def tiny(tmp_path) -> Path:
    spec = tmp_path / "tiny.toml"
    spec.write_text(VALID, encoding="utf-8")
    return spec


def test_a_valid_spec_is_written_at_the_output_path_and_nothing_else(tiny, tmp_path, capsys):
    output = tmp_path / "out" / "tiny_net.py"
    output.parent.mkdir()
    status = main(["network", str(tiny), "-o", str(output)])
    assert status == 0 and capsys.readouterr().out == f"wrote {output}\n"
    assert list(output.parent.iterdir()) == [output]
    compile(output.read_text(encoding="utf-8"), str(output), "exec")


def test_a_failing_spec_leaves_an_existing_output_as_it_was(tmp_path, capsys):
    output = tmp_path / "out.py"
    output.write_text("kept\n", encoding="utf-8")
    status, stderr = run(["network", str(MALFORMED[0]), "-o", str(output)], capsys)
    assert status == 2 and one_error_line(stderr)
    assert output.read_text(encoding="utf-8") == "kept\n"
    assert list(tmp_path.iterdir()) == [output]


def test_a_spec_failing_after_it_is_read_writes_nothing(tmp_path, capsys):
    spec, output = tmp_path / "net.toml", tmp_path / "out.py"
    spec.write_text(VALID.replace('"tiny"', '"losses"'), encoding="utf-8")  # a catalogue module's name
    status, stderr = run(["network", str(spec), "-o", str(output)], capsys)
    assert status == 2
    assert "'losses' is taken by a catalogue module" in one_error_line(stderr)
    assert not output.exists()


def test_an_output_folder_that_does_not_exist_is_reported_before_deriving(tiny, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "render_all", lambda *arguments: pytest.fail("derived before checking the folder"))
    status, stderr = run(["network", str(tiny), "-o", str(tmp_path / "missing" / "out.py")], capsys)
    assert status == 2
    assert "missing: no such folder; nothing was changed" in one_error_line(stderr)
    assert not (tmp_path / "missing").exists()


def test_an_output_path_that_is_a_folder_is_reported(tiny, tmp_path, capsys):
    folder = tmp_path / "out.py"
    folder.mkdir()
    status, stderr = run(["network", str(tiny), "-o", str(folder)], capsys)
    assert status == 2 and "out.py: a folder is there" in one_error_line(stderr)
    assert list(folder.iterdir()) == []


def failing_replace(error: BaseException):
    def replace(source, target):
        raise error
    return replace


def test_a_failed_rename_keeps_the_old_output_and_removes_the_new_file(tiny, tmp_path, capsys, monkeypatch):
    output = tmp_path / "out.py"
    output.write_text("kept\n", encoding="utf-8")
    monkeypatch.setattr(os, "replace", failing_replace(OSError(28, "No space left on device", str(output))))
    status, stderr = run(["network", str(tiny), "-o", str(output)], capsys)
    assert status == 2 and "No space left on device" in one_error_line(stderr)
    assert output.read_text(encoding="utf-8") == "kept\n"
    assert sorted(tmp_path.iterdir()) == [output, tiny]


def test_an_interrupted_write_removes_the_new_file(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", failing_replace(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        main(["network", str(tiny), "-o", str(tmp_path / "out.py")])
    assert list(tmp_path.iterdir()) == [tiny]


def test_an_output_path_holding_a_newline_is_reported_on_one_line(tiny, tmp_path, capsys):
    status, stderr = run(["network", str(tiny), "-o", str(tmp_path / "no\nsuch" / "out.py")], capsys)
    assert status == 2 and "no\\nsuch" in one_error_line(stderr)


def test_a_spec_path_holding_a_nul_character_is_reported(tmp_path, capsys):
    status, stderr = run(["network", str(tmp_path / "a\0b.toml"), "-o", str(tmp_path / "out.py")], capsys)
    assert status == 2 and "(file): cannot be read: embedded null byte" in one_error_line(stderr)


def test_an_output_path_holding_a_nul_character_is_reported(tiny, tmp_path, capsys):
    status, stderr = run(["network", str(tiny), "-o", str(tmp_path / "a\0b.py")], capsys)
    assert status == 2 and "a path cannot hold a NUL character" in one_error_line(stderr)
    assert list(tmp_path.iterdir()) == [tiny]
