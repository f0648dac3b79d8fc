"""Write ``generated/`` all at once or not at all, so that a kill at any moment leaves it complete.

Files are written into a new folder beside the output and flushed to disk,
then a marker listing them; the folders are swapped by renames
(``write_all``) in steps chosen so that a process killed at any moment
leaves a complete old or new folder, which ``recover`` puts back in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .paths import OUTPUT

try:
    import fcntl
except ImportError:  # not POSIX: writers are not serialised, each still swaps in whole folders
    fcntl = None

__all__ = ["Step", "recover", "write_all"]

#: Written last into a staged folder, once its files are on disk: their names and SHA-256s.
_MARKER = ".complete"


#: A hook ``write_all`` and ``recover`` call with a label after each step they take.
Step = Callable[[str], None]


def _carry_on(label: str) -> None:
    """The default ``step`` hook of ``write_all`` and ``recover``: nothing happens between steps."""


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder``, so that one process at a time writes or recovers in it."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (the names created, renamed or removed in it) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and flush it to disk before returning."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _manifest(files: dict[str, bytes]) -> str:
    """The marker's text: every file's name and SHA-256, which a complete staged folder holds and nothing else."""
    return json.dumps({name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())})


def _is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds a marker and exactly the files, byte for byte, that it lists."""
    try:
        marker = (folder / _MARKER).read_text(encoding="utf-8")
        present = {path.name: path.read_bytes() for path in folder.iterdir() if path.name != _MARKER}
    except OSError:
        return False
    return marker == _manifest(present)


def _sibling(output: Path, kind: str, tag: str) -> Path:
    """The folder beside ``output`` that holds its ``new`` (staged), ``old`` (retired) or ``del`` files."""
    return output.with_name(f".{output.name}.{kind}-{tag}")


def _leftovers(output: Path, kind: str) -> list[Path]:
    """The ``kind`` folders beside ``output``, oldest first."""
    found = [path for path in output.parent.glob(f".{output.name}.{kind}-*") if path.is_dir()]
    return sorted(found, key=lambda path: path.stat().st_mtime_ns)


def _discard(output: Path, folder: Path, kind: str, step: Step) -> None:
    """Delete a leftover ``kind`` folder, renamed first to a ``del`` name that recovery never moves in.

    So a folder that a kill left half-deleted is never taken for a complete one.
    """
    doomed = _sibling(output, "del", folder.name.rpartition("-")[2])
    if folder != doomed:
        os.rename(folder, doomed)
        step(f"{kind} folder renamed for deletion")
    shutil.rmtree(doomed)
    step(f"{kind} folder deleted")


def _recover(output: Path, step: Step) -> None:
    """``recover`` with the lock held."""
    if not output.exists():
        complete = [folder for folder in _leftovers(output, "new") if _is_complete(folder)]
        restorable = complete or _leftovers(output, "old")
        if restorable:
            os.rename(restorable[-1], output)
            _sync_folder(output.parent)
            step("new folder moved in" if complete else "old folder moved back")
    if (output / _MARKER).exists():
        (output / _MARKER).unlink()
        step("marker removed")
    for kind in ("del", "new", "old"):
        for folder in _leftovers(output, kind):
            _discard(output, folder, kind, step)


def recover(output: Path = OUTPUT, step: Step = _carry_on) -> None:
    """Finish or undo a ``write_all`` that was killed midway: ``output`` ends complete, with no leftovers.

    When ``output`` is missing (a kill between the two renames), the
    staged new folder is moved in if its marker shows it complete, else the
    retired old one.  Then the marker and every staged, retired or
    half-deleted folder beside ``output`` are removed.  ``step(label)`` is
    called after each change, for tests that stop it there.
    """
    if output.parent.is_dir():
        with _exclusive(output.parent):
            _recover(output, step)


def _stage(files: dict[str, bytes], staging: Path, step: Step) -> None:
    """Write ``files`` into ``staging``, each flushed to disk, then the marker that says they are complete."""
    for name, data in sorted(files.items()):
        _write_synced(staging / name, data)
        step(f"{name} written")
    _write_synced(staging / _MARKER, _manifest(files).encode())
    _sync_folder(staging)
    step("marker written")


def _swap(output: Path, staging: Path, retired: Path, step: Step) -> None:
    """Rename ``output`` (if any) aside to ``retired``, then the complete ``staging`` folder to ``output``."""
    if output.exists():
        os.rename(output, retired)
        step("old folder retired")
    os.rename(staging, output)
    _sync_folder(output.parent)
    step("new folder moved in")


def write_all(files: dict[str, str], output: Path = OUTPUT, step: Step = _carry_on) -> list[str]:
    """Make ``output`` hold exactly ``files``; return the names that changed.

    First ``recover`` finishes any earlier run that was killed.  The files
    are then written into a staged folder beside ``output`` and flushed to
    disk, then a marker listing them; the old folder is renamed aside, the
    staged one renamed in, and the marker and the old folder deleted.  A
    kill at any moment leaves a complete old or new folder that the next
    ``recover`` puts in place; an exception raised before the new folder
    is in place puts the old one back at once.  ``step(label)`` is called
    after each step, for tests that stop the write there.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(output.parent):
        _recover(output, _carry_on)
        existing = {p.name: p.read_text(encoding="utf-8") for p in output.glob("*.py")} if output.is_dir() else {}
        changed = sorted(name for name in files.keys() | existing.keys() if files.get(name) != existing.get(name))
        if not changed:
            return []
        staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.new-"))
        retired = _sibling(output, "old", staging.name.rpartition("-")[2])
        try:
            step("staging folder created")
            _stage({name: text.encode("utf-8") for name, text in files.items()}, staging, step)
            _swap(output, staging, retired, step)
            _recover(output, step)
        except Exception:
            if retired.exists() and not output.exists():
                os.rename(retired, output)
            _recover(output, _carry_on)
            raise
    return changed
