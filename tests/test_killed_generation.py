"""A generation killed at any step leaves, after recovery, exactly the old or exactly the new folder.

``write_all`` and ``recover`` call a ``step`` hook after every change they
make on disk.  The tests stop them there: in-process by raising ``Killed``,
a ``BaseException`` that skips the clean-up an ordinary exception gets (as a
kill would), and in subprocesses by ``os._exit`` and SIGKILL.  Every folder
lives in ``tmp_path``; the small file sets stand in for rendered modules.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import codegen.__main__ as cli
from codegen.generate import ROOT, recover, write_all

OLD = {"__init__.py": "# old rendering\n", "example1.py": "A = 1\n", "removed.py": "# dropped by the new rendering\n"}
NEW = {"__init__.py": "# new rendering\n", "example1.py": "A = 2\n", "added.py": "B = 3\n"}


class Killed(BaseException):
    """Stands in for a kill: not an ``Exception``, so ``write_all`` runs no clean-up for it."""


def kill_at(label):
    """A ``step`` hook that stops the run right after the step called ``label``."""
    def step(current):
        if current == label:
            raise Killed(label)
    return step


def kill_at_first_step(label):
    """A ``step`` hook that stops the run right after its first change."""
    raise Killed(label)


def contents(folder):
    """File name -> text of every file in ``folder``, a leftover marker included (empty when it is missing)."""
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} if folder.exists() else {}


def leftovers(folder):
    """Every hidden entry beside the output folder: staged, retired or half-deleted folders."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith("."))


def recorded_steps(old, new):
    """The labels ``write_all`` passes to its hook when it replaces ``old`` by ``new``, in order."""
    labels = []
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "generated"
        if old:
            write_all(old, output)
        write_all(new, output, step=labels.append)
    return labels


STEPS = recorded_steps(OLD, NEW)
FIRST_STEPS = recorded_steps({}, NEW)


@pytest.fixture
def output(tmp_path):
    """An output folder holding ``OLD``, as the previous generation wrote it."""
    folder = tmp_path / "generated"
    write_all(OLD, folder)
    return folder


def expected_after(label):
    """What recovery must leave after a kill at ``label``: the new files once the old folder is moved aside."""
    return NEW if STEPS.index(label) >= STEPS.index("old folder retired") else OLD


def test_the_write_has_a_step_after_every_file_the_marker_and_each_rename():
    assert STEPS == [
        "staging folder created", "__init__.py written", "added.py written", "example1.py written",
        "marker written", "old folder retired", "new folder moved in", "marker removed",
        "old folder renamed for deletion", "old folder deleted",
    ]


@pytest.mark.parametrize("label", STEPS)
def test_recovery_after_a_kill_at_any_step_leaves_exactly_the_old_or_the_new_files(output, label):
    with pytest.raises(Killed):
        write_all(NEW, output, step=kill_at(label))
    recover(output)
    assert contents(output) == expected_after(label)


@pytest.mark.parametrize("label", STEPS)
def test_recovery_after_a_kill_at_any_step_leaves_nothing_beside_the_output(output, label):
    with pytest.raises(Killed):
        write_all(NEW, output, step=kill_at(label))
    recover(output)
    assert leftovers(output) == []


@pytest.mark.parametrize("label", FIRST_STEPS)
def test_recovery_after_a_killed_first_generation_leaves_the_new_files_or_none(tmp_path, label):
    output = tmp_path / "generated"
    with pytest.raises(Killed):
        write_all(NEW, output, step=kill_at(label))
    recover(output)
    assert (contents(output), leftovers(output)) in [({}, []), (NEW, [])]


@pytest.mark.parametrize("label", STEPS)
def test_recovery_killed_after_each_of_its_own_steps_still_ends_with_the_old_or_the_new_files(output, label):
    with pytest.raises(Killed):
        write_all(NEW, output, step=kill_at(label))
    for _ in range(20):  # each killed run makes one change; far fewer than 20 remain
        try:
            recover(output, step=kill_at_first_step)
            break
        except Killed:
            pass
    assert (contents(output), leftovers(output)) == (expected_after(label), [])


@pytest.mark.parametrize("label", STEPS)
def test_an_exception_at_any_step_propagates(output, label):
    def fail(current):
        if current == label:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_all(NEW, output, step=fail)


@pytest.mark.parametrize("label", STEPS)
def test_an_exception_before_the_new_folder_is_in_keeps_the_old_files_and_tidies_up(output, label):
    def fail(current):
        if current == label:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_all(NEW, output, step=fail)
    moved_in = STEPS.index(label) >= STEPS.index("new folder moved in")
    assert (contents(output), leftovers(output)) == (NEW if moved_in else OLD, [])


KILLER = """\
import os, signal, sys
from pathlib import Path
from codegen.generate import write_all

output, label, how, files = Path(sys.argv[1]), sys.argv[2], sys.argv[3], dict(zip(sys.argv[4::2], sys.argv[5::2]))

def step(current):
    if current == label:
        os._exit(9) if how == "exit" else os.kill(os.getpid(), signal.SIGKILL)

write_all(files, output, step=step)
"""
SUBPROCESS_KILLS = [
    ("added.py written", "exit"),
    ("marker written", "sigkill"),
    ("old folder retired", "exit"),
    ("old folder retired", "sigkill"),
    ("new folder moved in", "sigkill"),
    ("old folder renamed for deletion", "exit"),
]


def killed_write(output, label, how):
    """Run ``write_all(NEW, output)`` in a subprocess killed right after ``label``; its exit status."""
    arguments = [str(output), label, how, *(item for pair in NEW.items() for item in pair)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", KILLER, *arguments], cwd=ROOT, env=environment).returncode


@pytest.mark.parametrize(("label", "how"), SUBPROCESS_KILLS)
def test_a_process_killed_at_a_step_is_recovered_to_exactly_the_old_or_the_new_files(output, label, how):
    assert killed_write(output, label, how) == (9 if how == "exit" else -signal.SIGKILL)
    recover(output)
    assert (contents(output), leftovers(output)) == (expected_after(label), [])


@pytest.fixture
def killed_between_renames(output):
    """The output folder moved aside and the complete new one not yet moved in."""
    with pytest.raises(Killed):
        write_all(NEW, output, step=kill_at("old folder retired"))
    assert not output.exists()
    return output


def test_the_next_write_recovers_first(killed_between_renames):
    assert write_all(NEW, killed_between_renames) == []


def test_check_on_the_command_line_recovers_the_output_before_reading_it(killed_between_renames, monkeypatch):
    monkeypatch.setattr(cli, "render_all", lambda: dict(NEW))
    assert cli.main(["generate", "--check", "--out", str(killed_between_renames)]) == 0


def test_importing_the_test_settings_recovers_generated(tmp_path):
    checkout = tmp_path / "checkout"
    for folder in ("derive", "codegen", "generated", "extensions", "specs", "symprop"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", checkout)  # with specs/, what makes it a source checkout
    (checkout / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", checkout / "tests")
    files = contents(checkout / "generated")
    with pytest.raises(Killed):
        write_all({**files, "extra.py": "# a new module\n"}, checkout / "generated", step=kill_at("old folder retired"))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(checkout / "tests")])}
    subprocess.run([sys.executable, "-c", "import conftest"], cwd=checkout, env=environment, check=True)
    assert contents(checkout / "generated") == {**files, "extra.py": "# a new module\n"}


def test_a_staged_folder_with_a_damaged_file_is_not_moved_in(killed_between_renames):
    (staged,) = killed_between_renames.parent.glob(".generated.new-*")
    (staged / "added.py").write_text("B = ", encoding="utf-8")
    recover(killed_between_renames)
    assert contents(killed_between_renames) == OLD


def test_a_staged_folder_missing_a_file_is_not_moved_in(killed_between_renames):
    (staged,) = killed_between_renames.parent.glob(".generated.new-*")
    (staged / "added.py").unlink()
    recover(killed_between_renames)
    assert contents(killed_between_renames) == OLD


def test_a_folder_renamed_for_deletion_is_never_moved_in(killed_between_renames):
    for number, folder in enumerate(sorted(killed_between_renames.parent.glob(".generated.*"))):
        folder.rename(folder.with_name(f".generated.del-{number}"))
    recover(killed_between_renames)
    assert (killed_between_renames.exists(), leftovers(killed_between_renames)) == (False, [])


needs_git = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)


@needs_git
@pytest.mark.parametrize("kind", ["new", "old", "del"])
def test_git_ignores_the_folders_a_killed_generation_leaves(kind):
    result = subprocess.run(["git", "check-ignore", "--quiet", f".generated.{kind}-abc123/"], cwd=ROOT)
    assert result.returncode == 0


@needs_git
def test_git_ignores_a_marker_left_in_generated():
    result = subprocess.run(["git", "check-ignore", "--quiet", "--no-index", "generated/.complete"], cwd=ROOT)
    assert result.returncode == 0


def test_each_staged_file_is_flushed_to_disk_before_the_next_step(output, monkeypatch):
    events = []
    real_fsync = os.fsync

    def fsync(descriptor):
        events.append("fsync")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    write_all(NEW, output, step=events.append)
    written = [events.index(f"{name} written") for name in NEW] + [events.index("marker written")]
    assert [events[index - 1] for index in written] == ["fsync"] * len(written)


def test_the_staged_folder_has_no_marker_until_every_file_is_written(output):
    marked = {}

    def step(label):
        if label.endswith(" written"):
            (staged,) = output.parent.glob(".generated.new-*")
            marked[label] = (staged / ".complete").exists()

    write_all(NEW, output, step=step)
    assert marked == {**{f"{name} written": False for name in NEW}, "marker written": True}
