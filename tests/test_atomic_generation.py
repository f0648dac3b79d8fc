"""Generation is all or nothing: a failure leaves the output folder exactly as it was.

The command line is run against a temporary copy of generated/ (through
``--out``), never against the repository's.
"""

import shutil
from pathlib import Path

import pytest

import codegen.__main__ as cli
import codegen.atomic_output
import codegen.rendering
from codegen.generate import load_specs, render_all, write_all
from codegen.printer import ArrayPrinter, PrintError
from derive.catalog.registry import CATALOG
from derive.spec import SpecError, parse_spec

VOCABULARY = CATALOG.vocabulary()

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"

BROKEN_SPEC = """\
name = "broken"
inputs = 2
loss = "squared_error"

[[layers]]
units = 2
activation = "swish"
"""


def snapshot(folder):
    """Every file in ``folder`` (hidden ones included) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(autouse=True)
def repository_generated_is_never_touched():
    before = snapshot(GENERATED)
    yield
    assert snapshot(GENERATED) == before


@pytest.fixture
def output(tmp_path):
    """A copy of generated/ that the command line writes to and checks instead."""
    folder = tmp_path / "generated"
    folder.mkdir()
    for path in GENERATED.glob("*.py"):
        shutil.copy2(path, folder / path.name)
    return folder


@pytest.fixture
def broken_spec_folder(tmp_path, monkeypatch):
    """Make rendering read the repository's specs plus one naming an unknown activation."""
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", specs)
    (specs / "zz_broken.toml").write_text(BROKEN_SPEC, encoding="utf-8")
    monkeypatch.setattr(codegen.rendering, "load_specs", lambda catalog: load_specs(catalog, specs))
    return specs


def test_spec_with_unknown_activation_is_a_spec_error_naming_the_field():
    data = {"inputs": 2, "loss": "squared_error", "layers": [{"units": 2, "activation": "swish"}]}
    with pytest.raises(SpecError, match=r"layers\[0\]\.activation: unknown value 'swish'"):
        parse_spec(data, VOCABULARY, source="broken.toml", default_name="broken")


def test_generate_with_a_broken_spec_exits_with_code_2(output, broken_spec_folder):
    assert cli.main(["generate", "--out", str(output)]) == 2


def test_generate_with_a_broken_spec_names_the_field_on_stderr(output, broken_spec_folder, capsys):
    cli.main(["generate", "--out", str(output)])
    assert "zz_broken.toml: layers[0].activation: unknown value 'swish'" in capsys.readouterr().err


def test_generate_with_a_broken_spec_leaves_output_byte_identical(output, broken_spec_folder):
    before = snapshot(output)
    cli.main(["generate", "--out", str(output)])
    assert snapshot(output) == before


def test_generate_failing_while_printing_a_network_leaves_output_byte_identical(output, monkeypatch):
    # The catalogue modules print fine; the first matrix product of a network fails.
    def fail(printer, expr):
        raise PrintError(f"{expr}: simulated failure")

    monkeypatch.setattr(ArrayPrinter, "_print_MatMul", fail)
    before = snapshot(output)
    assert cli.main(["generate", "--out", str(output)]) == 2
    assert snapshot(output) == before


def test_generate_into_an_up_to_date_copy_changes_nothing(output):
    before = snapshot(output)
    assert cli.main(["generate", "--out", str(output)]) == 0
    assert snapshot(output) == before


def test_check_reports_a_stale_file_and_exits_with_code_1(output, capsys):
    (output / "example1.py").write_text("# edited by hand\n", encoding="utf-8")
    assert cli.main(["generate", "--check", "--out", str(output)]) == 1
    assert "stale: " in (err := capsys.readouterr().err) and "example1.py" in err


def test_check_writes_nothing(output):
    (output / "example1.py").write_text("# edited by hand\n", encoding="utf-8")
    before = snapshot(output)
    cli.main(["generate", "--check", "--out", str(output)])
    assert snapshot(output) == before


def test_write_all_into_an_empty_folder_writes_exactly_the_rendered_files(tmp_path):
    files = render_all()
    write_all(files, tmp_path)
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == files


def test_write_all_removes_a_stale_python_file(tmp_path):
    (tmp_path / "old_network.py").write_text("# a network whose spec was deleted\n", encoding="utf-8")
    write_all(render_all(), tmp_path)
    assert not (tmp_path / "old_network.py").exists()


def test_write_all_reports_the_files_it_changed(tmp_path):
    files = render_all()
    (tmp_path / "old_network.py").write_text("# stale\n", encoding="utf-8")
    assert sorted(write_all(files, tmp_path)) == sorted([*files, "old_network.py"])


def test_write_all_rewrites_nothing_when_up_to_date(tmp_path):
    files = render_all()
    write_all(files, tmp_path)
    assert write_all(files, tmp_path) == []


@pytest.fixture
def second_replace_fails(monkeypatch):
    """Let write_all move the old folder aside, then make swapping the new one in fail."""
    calls = []
    real_rename = codegen.atomic_output.os.rename

    def rename(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_rename(source, target)

    monkeypatch.setattr(codegen.atomic_output.os, "rename", rename)


@pytest.fixture
def two_stale_files(output):
    for name in ("example1.py", "example2.py"):
        (output / name).write_text("# edited by hand\n", encoding="utf-8")
    return output


# The module promises to "write generated/ all at once or not at all".
def test_write_all_failing_midway_leaves_no_temporary_file(two_stale_files, second_replace_fails):
    with pytest.raises(OSError):
        write_all(render_all(), two_stale_files)
    assert sorted(p.name for p in two_stale_files.parent.iterdir() if p.name.startswith(".")) == []


def test_write_all_failing_midway_leaves_the_folder_as_it_was(two_stale_files, second_replace_fails):
    files = render_all()
    before = snapshot(two_stale_files)
    with pytest.raises(OSError):
        write_all(files, two_stale_files)
    assert snapshot(two_stale_files) == before
