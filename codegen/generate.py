"""Render every generated module and write ``generated/`` all at once or not at all.

Files are rendered in memory and compiled first; only when every one
succeeds is a new folder written beside ``generated/`` and swapped in by
renames (``write_all``), in steps chosen so that a process killed at any
moment leaves a complete old or new folder, which ``recover`` puts back in
place.  The same inputs give byte-identical files.

The command line reads the rendered files from an output cache
(``render_cached``) when nothing that can change them has changed, so a
warm ``make generate`` hashes its inputs, reads one file and neither imports
SymPy nor derives anything.  For that, this module imports the rendering
stack (``derive``, the printer, Jinja) inside the functions that render,
never at module level.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GenerationError

try:
    import fcntl
except ImportError:  # not POSIX: writers are not serialised, each still swaps in whole folders
    fcntl = None

if TYPE_CHECKING:
    from jinja2 import Environment

    from derive.catalog.registry import Catalog
    from derive.spec import NetworkSpec

__all__ = [
    "ROOT", "OUTPUT", "SPECS", "OUTPUT_CACHE", "render_all", "render_network", "render_cached", "output_key",
    "write_all", "recover", "load_specs", "GenerationError",
]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "generated"
#: ``derive.spec.SPEC_DIR``, named here so that a cache hit need not import ``derive``.
SPECS = ROOT / "specs"
#: Rendered files by input digest, beside ``derive.catalog.cache``'s folder (``.cache/`` is ignored by git).
OUTPUT_CACHE = ROOT / ".cache" / "generated"
_CATALOGUE_MODULES = ("__init__", "activations", "losses", "penalties", "initializers")
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_CODE = (ROOT / "derive", ROOT / "codegen")
_EXTENSIONS = ROOT / "extensions"
#: The installed packages whose code shapes the printed text: SymPy, its number library, and Jinja.
_DISTRIBUTIONS = ("sympy", "mpmath", "jinja2")
#: Written last into a staged folder, once its files are on disk: their names and SHA-256s.
_MARKER = ".complete"


def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )


def _catalogue(catalog: Catalog | None) -> Catalog:
    """``catalog``, or the built-in one (imported here: it loads SymPy and derives)."""
    from derive.catalog.standard import CATALOG

    return CATALOG if catalog is None else catalog


def load_specs(catalog: Catalog | None = None, spec_dir: Path = SPECS) -> list[NetworkSpec]:
    """Every spec in ``spec_dir``, sorted by file name, checked against ``catalog`` (default: the built-in one)."""
    from derive.spec import load_spec

    catalog = _catalogue(catalog)
    specs = []
    for path in sorted(spec_dir.glob("*.toml")):
        display = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
        specs.append(load_spec(path, catalog.vocabulary(), display=display))
    return specs


def render_all(catalog: Catalog | None = None, specs: list[NetworkSpec] | None = None) -> dict[str, str]:
    """File name -> source of every generated module (default: the built-in catalogue and ``specs/``)."""
    from .modules import (
        activation_functions, initializer_functions, loss_functions, penalty_functions, vector_functions,
    )
    from .helpers import helper_functions, printed_expressions
    from .runtime_source import runtime_source

    catalog = _catalogue(catalog)
    specs = load_specs(catalog) if specs is None else specs
    environment = _environment()
    for spec in specs:
        _check_name(spec)
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise GenerationError(f"two specs share a name: {sorted(n for n in names if names.count(n) > 1)[0]!r}")
    functions = environment.get_template("functions.py.j2")
    functions.globals["runtime"] = runtime_source
    files = {
        "__init__.py": environment.get_template("init.py.j2").render(networks=names, source="specs/"),
        "activations.py": functions.render(
            source="derive/catalog/standard.py (the catalogue)",
            title="Activation functions with the seed notebook's signatures.",
            summary=(
                "Each function is printed from one SymPy definition in the catalogue; its derivative is\n"
                "derived by SymPy, written in terms of the output where that form is proven."
            ),
            functions=activation_functions(catalog.activations()) + vector_functions(catalog.vector_functions()),
            helpers=helper_functions(printed_expressions(catalog.activations() + catalog.vector_functions())),
        ),
        "losses.py": functions.render(
            source="derive/catalog/standard.py (the catalogue)",
            title="Losses with the seed notebook's signatures: ``loss(targets, predictions, derivative=False)``.",
            summary=(
                "Costs and gradients are printed from SymPy; every gradient is the true gradient of\n"
                "the cost the function returns.  Arguments are never modified."
            ),
            functions=loss_functions(catalog.losses()),
            helpers=helper_functions(printed_expressions(catalog.losses())),
        ),
        "penalties.py": functions.render(
            source="derive/catalog/standard.py (the catalogue)",
            title="Weight penalties: ``name(w, strength, derivative=False)``, added to a loss.",
            summary="Each cost and gradient is printed from SymPy.",
            functions=penalty_functions(catalog.penalties()),
            helpers=helper_functions(printed_expressions(catalog.penalties())),
        ),
        "initializers.py": environment.get_template("initializers.py.j2").render(
            source="derive/catalog/standard.py (the catalogue)",
            functions=initializer_functions(catalog.initializers()),
        ),
    }
    for spec in specs:
        files[f"{spec.name}.py"] = _network_source(spec, catalog, environment)
    for name, text in files.items():
        _check_syntax(name, text)
    return files


def render_network(spec: NetworkSpec, catalog: Catalog | None = None) -> str:
    """The source of ``spec``'s module alone: derives only the catalogue items the spec uses."""
    _check_name(spec)
    text = _network_source(spec, _catalogue(catalog), _environment())
    _check_syntax(f"{spec.name}.py", text)
    return text


def _check_name(spec: NetworkSpec) -> None:
    """Refuse a spec named as a catalogue module: in generated/ one would overwrite the other."""
    if spec.name in _CATALOGUE_MODULES:
        raise GenerationError(f"{spec.source}: name: {spec.name!r} is taken by a catalogue module")


def _network_source(spec: NetworkSpec, catalog: Catalog, environment: Environment) -> str:
    """``spec``'s module printed from its derived program."""
    from derive.program.build import derive_network

    from .network_module import network_module
    from .trainer import trainer_code

    program = derive_network(spec, catalog)
    return environment.get_template("network.py.j2").render(
        m=network_module(program), t=trainer_code(program), source=f"{spec.source} via derive/program/build.py",
    )


def _check_syntax(name: str, text: str) -> None:
    """Refuse a generated file that is not valid Python, before anything is written."""
    try:
        compile(text, name, "exec")
    except SyntaxError as error:
        raise GenerationError(f"generated {name} is not valid Python ({error}); nothing was written") from error


def _extension_files() -> list[Path]:
    """The files ``derive.catalog.extensions.extension_files`` runs, listed without importing ``derive``."""
    named = [Path(p) for p in os.environ.get("SYMPROP_EXTENSIONS", "").split(os.pathsep) if p]
    return sorted(_EXTENSIONS.glob("*.py")) + named


def _input_files(spec_dir: Path) -> list[Path]:
    """Every file whose bytes can change the output: the code, the templates, the specs built, the extensions."""
    code = [path for folder in _CODE for path in sorted(folder.rglob("*.py"))]
    templates = sorted(path for path in _TEMPLATES.rglob("*") if path.is_file())
    return code + templates + sorted(spec_dir.glob("*.toml")) + _extension_files()


def _file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, or ``missing`` when it cannot be read (rendering then reports why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _installed(name: str) -> str | None:
    """A distribution's version and RECORD (its files and their hashes), or None when it has no metadata."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    return f"{name} {distribution.version}\n{distribution.read_text('RECORD') or ''}"


def output_key(spec_dir: Path = SPECS) -> str | None:
    """A digest of everything that can change the files ``render_cached`` returns for ``spec_dir``.

    That is the Python version, the installed SymPy, mpmath and Jinja, and
    the path and bytes of every file from ``_input_files``.  NumPy is left
    out: the derivations read only float64's limits from it, which IEEE 754
    fixes.  Files an extension reads or imports from elsewhere are not seen.
    None when a package is used without install metadata, so its code
    cannot be identified and nothing may be cached.
    """
    packages = [_installed(name) for name in _DISTRIBUTIONS]
    if None in packages:
        return None
    manifest = [sys.version, *packages]
    manifest += [f"{path}\0{_file_digest(path)}" for path in _input_files(spec_dir)]
    return hashlib.sha256("\n".join(manifest).encode()).hexdigest()


def _read_entry(entry: Path) -> dict[str, str] | None:
    """The files stored in ``entry``, or None when there is none or it is not text by file name."""
    try:
        with open(entry, encoding="utf-8") as stream:
            files = json.load(stream)
    except (OSError, ValueError):
        return None
    if not isinstance(files, dict) or not all(isinstance(text, str) for text in files.values()):
        return None
    return files


def _write_entry(entry: Path, files: dict[str, str]) -> None:
    """Store ``files`` in ``entry`` atomically and delete the older entries; a read-only checkout skips it."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(files, stream)
        os.replace(temporary, entry)
    except OSError:
        return
    finally:
        Path(temporary).unlink(missing_ok=True)
    for old in entry.parent.glob("*.json"):
        if old != entry:
            with suppress(OSError):
                old.unlink()


def render_cached(spec_dir: Path = SPECS, cache_dir: Path = OUTPUT_CACHE) -> dict[str, str]:
    """``render_all`` of the built-in catalogue and the specs in ``spec_dir``, from the output cache if it can.

    An entry is the JSON of the rendered files, named by ``output_key``: a
    change to any input is a new key, so a hit returns exactly what
    rendering would.  On a miss the files are rendered and stored, unless an
    input changed while rendering; only the newest entry is kept.  With
    ``SYMPROP_CACHE=0`` (or no ``output_key``) the files are rendered
    without reading or writing any cache.

    The key sees the files on disk, not modules changed in memory: a process
    that patches the rendering code (a test) calls ``render_all`` instead.
    """
    key = output_key(spec_dir) if os.environ.get("SYMPROP_CACHE", "1") != "0" else None
    if key is None:
        return render_all(specs=load_specs(spec_dir=spec_dir))
    entry = cache_dir / f"{key}.json"
    files = _read_entry(entry)
    if files is None:
        files = render_all(specs=load_specs(spec_dir=spec_dir))
        if output_key(spec_dir) == key:
            _write_entry(entry, files)
    return files


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
