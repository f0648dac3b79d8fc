"""Command line: ``python -m codegen generate`` rebuilds ``generated/``.

    python -m codegen generate [--check] [--out DIR]
    python -m codegen network (SPEC.toml | --example NAME) [-o PATH] [--target numpy|numba]

``generate`` writes ``generated/`` of a source checkout by default; an
installed symprop has no such folder and never writes inside itself, so
there ``--out DIR`` is required.  The ``symprop`` command (``symprop.cli``)
runs this same ``main`` as ``symprop generate`` and ``symprop network``.

Run as a command, ``generate`` reads the output cache
(``codegen.generate.render_cached``), whose hits need neither SymPy nor
``derive``; this module therefore imports them only in the functions that
use them.
"""

import argparse
import errno
import os
import secrets
import shlex
import sys
from pathlib import Path

from .generate import (
    CHECKOUT, OUTPUT, ROOT, SPECS, GenerationError, recover, render_all, render_cached, render_network, write_all,
)


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
    output = arguments.out
    if output is None:
        print(f"error: {arguments.prog} generate needs an output folder outside a source checkout: "
              f"{arguments.prog} generate --out DIR", file=sys.stderr)
        return 2
    # Installed, the headers name this command: `make generate` rebuilds only a checkout's generated/.
    rebuild = {} if CHECKOUT is not None else {
        "rebuild": rebuild_command(arguments.prog, ["generate", "--out", str(output)])}
    files = render_cached(**rebuild) if cached else render_all(**rebuild)
    if arguments.check:
        recover(output)
        stale = [name for name, text in sorted(files.items())
                 if not (output / name).is_file() or (output / name).read_text(encoding="utf-8") != text]
        stale += sorted(p.name for p in output.glob("*.py") if p.name not in files)
        command = "make generate" if CHECKOUT is not None and output == OUTPUT else f"{arguments.prog} generate"
        for name in stale:
            print(f"stale: {_display(output / name)} (run `{command}`)", file=sys.stderr)
        return 1 if stale else 0
    changed = write_all(files, output)
    summary = f" ({', '.join(changed)})" if changed else ""
    print(f"{_display(output)}: {len(files)} modules, {len(changed)} changed{summary}")
    if "activations.py" in changed:
        _say_shortfalls()
    return 0


def _say_shortfalls() -> None:
    """Name each activation whose printed forms miss the accuracy target, where and by how much."""
    from derive.catalog.standard import CATALOG

    for activation in CATALOG.activations():
        for shortfall in activation.shortfalls:
            print(f"note: activation {activation.name!r}: {shortfall}", file=sys.stderr)


def _check_output(target: Path) -> None:
    """Raise the ``OSError`` writing ``target`` would meet, as far as it is known before the derivation (seconds)."""
    if "\0" in str(target):
        raise OSError(errno.EINVAL, "a path cannot hold a NUL character", str(target))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder is there", str(target))


def _example(name: str) -> tuple[Path, str]:
    """The file of the example spec ``name`` and how headers name it; GenerationError lists the examples."""
    known = {path.stem: path for path in sorted(SPECS.glob("*.toml"))}
    if name not in known:
        raise GenerationError(f"unknown example {_printable(name)!r}; examples: {', '.join(known)}")
    path = known[name]
    return path, os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)


def rebuild_command(prog: str, arguments: list[str]) -> str:
    """The command line that writes the module again, on one printable line (it goes in a comment)."""
    line = " ".join([prog, *(shlex.quote(argument) for argument in arguments)])
    return _printable(line)


def _network(arguments: argparse.Namespace) -> int:
    from derive.catalog.standard import CATALOG
    from derive.spec import load_spec

    if arguments.example is not None:
        path, display = _example(arguments.example)
        spec = load_spec(path, CATALOG.vocabulary(), display=display)
        typed = ["network", "--example", arguments.example]
    else:
        spec = load_spec(arguments.spec, CATALOG.vocabulary())
        typed = ["network", str(arguments.spec)]
    target = arguments.output or Path(f"{spec.name}.py")
    if arguments.output is not None:
        typed += ["-o", str(arguments.output)]
    _check_output(target)
    if arguments.target == "numba":
        from .numba_module import require_numba
        from .rendering import render_numba_network

        require_numba()
        typed += ["--target", "numba"]
        text = render_numba_network(spec, CATALOG, rebuild=rebuild_command(arguments.prog, typed))
    else:
        text = render_network(spec, CATALOG, rebuild=rebuild_command(arguments.prog, typed))
    _write_atomically(target, text)
    print(f"wrote {_printable(str(target))}")
    return 0


def main(argv: list[str] | None = None, *, cached: bool = False, prog: str = "python -m codegen",
         parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser) -> int:
    """Run one command; return the exit status.

    With ``cached`` (as the command line runs it), ``generate`` reads and
    fills the output cache.  Called from Python it renders afresh, since the
    caller may have changed the rendering code in memory (as tests do) and
    the cache key sees only the files on disk.  ``prog`` names the command
    in its help, its messages and the headers it writes; ``parser_class``
    parses the arguments (``symprop.cli`` gives one whose errors are one line).
    """
    parser = parser_class(prog=prog, description="Print symprop's derivations as NumPy.")
    commands = parser.add_subparsers(dest="command", required=True)
    default = "generated/ of the source checkout" if OUTPUT is not None else "none: required when installed"
    generate = commands.add_parser("generate", help="rebuild every module in generated/ (or --out DIR)")
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    generate.add_argument("--out", type=Path, default=OUTPUT, help=f"output folder (default: {default})")
    network = commands.add_parser("network", help="generate the module of one network spec")
    source = network.add_mutually_exclusive_group(required=True)
    source.add_argument("spec", type=Path, nargs="?", help="a network spec (TOML)")
    source.add_argument("--example", metavar="NAME", help="one of symprop's example specs (example1, example2)")
    network.add_argument("-o", "--output", type=Path, help="where to write the module (default: NAME.py)")
    network.add_argument("--target", choices=("numpy", "numba"), default="numpy",
                         help="numpy (default): the reference module; numba: a compiled Trainer (the `fast` extra)")
    arguments = parser.parse_args(argv)
    arguments.prog = prog
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
