"""Command line: ``python -m codegen generate`` rebuilds ``generated/``.

    python -m codegen generate [--check] [--out DIR]
    python -m codegen network SPEC.toml [-o PATH] [--target numpy|numba]

Run as a command, ``generate`` reads the output cache
(``codegen.generate.render_cached``), whose hits need neither SymPy nor
``derive``; this module therefore imports them only in the functions that
use them.
"""

import argparse
import errno
import os
import secrets
import sys
from pathlib import Path

from .generate import OUTPUT, GenerationError, recover, render_all, render_cached, render_network, write_all


def _failures() -> tuple[type[Exception], ...]:
    """The errors of a bad definition, spec or printing, reported in one line instead of a traceback.

    Imported only once something failed: their modules load SymPy.
    """
    from derive.core.errors import DefinitionError
    from derive.spec import SpecError

    from .lowering import LoweringError
    from .printer import PrintError

    return (DefinitionError, SpecError, GenerationError, LoweringError, PrintError)


def _display(path: Path) -> str:
    """``path`` relative to the working folder when it lies inside it, on one line (see ``_printable``)."""
    try:
        return _printable(str(path.resolve().relative_to(Path.cwd())))
    except ValueError:
        return _printable(str(path))


def _printable(name: str) -> str:
    """``name`` as it is when every character is printable, else its ``ascii`` form (quoted, escaped)."""
    return name if name.isprintable() else ascii(name)


def _write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a new file beside it, renamed over it once complete.

    A failure at any point leaves ``target`` as it was and removes the new file.
    """
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _generate(arguments: argparse.Namespace, cached: bool) -> int:
    files = render_cached() if cached else render_all()
    output = arguments.out
    if arguments.check:
        recover(output)
        stale = [name for name, text in sorted(files.items())
                 if not (output / name).is_file() or (output / name).read_text(encoding="utf-8") != text]
        stale += sorted(p.name for p in output.glob("*.py") if p.name not in files)
        for name in stale:
            print(f"stale: {_display(output / name)} (run `make generate`)", file=sys.stderr)
        return 1 if stale else 0
    changed = write_all(files, output)
    summary = f" ({', '.join(changed)})" if changed else ""
    print(f"{_display(output)}: {len(files)} modules, {len(changed)} changed{summary}")
    return 0


def _check_output(target: Path) -> None:
    """Raise the ``OSError`` writing ``target`` would meet, as far as it is known before the derivation (seconds)."""
    if "\0" in str(target):
        raise OSError(errno.EINVAL, "a path cannot hold a NUL character", str(target))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder is there", str(target))


def _network(arguments: argparse.Namespace) -> int:
    from derive.catalog.standard import CATALOG
    from derive.spec import load_spec

    spec = load_spec(arguments.spec, CATALOG.vocabulary())
    target = arguments.output or Path(f"{spec.name}.py")
    _check_output(target)
    if arguments.target == "numba":
        from .numba_module import require_numba
        from .rendering import render_numba_network

        require_numba()
        text = render_numba_network(spec, CATALOG)
    else:
        text = render_network(spec, CATALOG)
    _write_atomically(target, text)
    print(f"wrote {_printable(str(target))}")
    return 0


def main(argv: list[str] | None = None, *, cached: bool = False) -> int:
    """Run one command; return the exit status.

    With ``cached`` (as the command line runs it), ``generate`` reads and
    fills the output cache.  Called from Python it renders afresh, since the
    caller may have changed the rendering code in memory (as tests do) and
    the cache key sees only the files on disk.
    """
    parser = argparse.ArgumentParser(prog="python -m codegen", description="Print symprop's derivations as NumPy.")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="rebuild every module in generated/")
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    generate.add_argument("--out", type=Path, default=OUTPUT, help="output folder (default: generated/)")
    network = commands.add_parser("network", help="generate the module of one network spec")
    network.add_argument("spec", type=Path, help="a network spec (TOML)")
    network.add_argument("-o", "--output", type=Path, help="where to write the module (default: NAME.py)")
    network.add_argument("--target", choices=("numpy", "numba"), default="numpy",
                         help="numpy (default): the reference module; numba: a compiled Trainer (the `fast` extra)")
    arguments = parser.parse_args(argv)
    try:
        return _generate(arguments, cached) if arguments.command == "generate" else _network(arguments)
    except OSError as error:
        print(f"error: cannot write {_printable(str(error.filename or 'the output'))}: {error.strerror or error}; "
              "nothing was changed", file=sys.stderr)
        return 2
    except Exception as error:
        if not isinstance(error, _failures()):
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(cached=True))
