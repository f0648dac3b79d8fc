"""The ``symprop`` command: one entry point for the command lines of ``codegen`` and ``derive``.

    symprop generate --out DIR                     every catalogue module and example network into DIR
    symprop network my.toml -o my_net.py           one network spec's NumPy module
    symprop network --example example2 -o ex2.py   an example spec shipped with symprop
    symprop latex NAME | my.toml | --all           a derivation as LaTeX
    symprop explain NETWORK --param 'w2[0,0]'      backpropagation to one parameter, with numbers
    symprop explain my.toml --param 'w1[0,0]' --seed 0 --data batch.npz
                                                   ... at init_params(0) on the arrays in batch.npz
    symprop list                                   the names latex accepts
    symprop docs --out derivations.md              every derivation as Markdown

Each subcommand runs ``codegen.__main__.main`` or ``derive.__main__.main``
(which ``python -m codegen`` and ``python -m derive`` run too) with its
arguments, so both stay one implementation.  The installed script imports
this module from ``site-packages`` and never puts the working folder first on
``sys.path``, so a ``codegen/`` or ``generated/`` folder of the user's own
cannot stand in for symprop's.  Every error is one line on stderr (exit 2
for a usage or input error, 1 for a failure of symprop itself), never a
traceback.
"""

import argparse
import os
import signal
import sys

__all__ = ["COMMANDS", "main"]

#: Subcommand -> (the package whose command line runs it, what it does).
COMMANDS = {
    "generate": ("codegen", "print every catalogue module and example network (--out DIR outside a checkout)"),
    "network": ("codegen", "print one network spec's NumPy module: symprop network my.toml -o my_net.py"),
    "latex": ("derive", "print a derivation as LaTeX: an item, dense, training_layers, a network or my.toml"),
    "explain": ("derive", "walk through the chain rule from the loss to one parameter, with numbers"),
    "list": ("derive", "list the names latex accepts"),
    "docs": ("derive", "write every derivation as Markdown (--out PATH outside a checkout)"),
}


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line naming the command and its ``--help``."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see `{self.prog} --help`)\n")


def usage() -> str:
    """The help of ``symprop`` itself: the subcommands and what each does."""
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return "\n".join([
        "usage: symprop COMMAND [ARGUMENTS]",
        "",
        "Derive neural-network gradients with SymPy and print them as plain NumPy.",
        "",
        "commands:",
        *lines,
        "",
        "`symprop COMMAND --help` describes a command's arguments.",
    ]) + "\n"


def _run(command: str, arguments: list[str]) -> int:
    """Run ``command`` through the command line of the package that implements it."""
    prog = "symprop"
    if COMMANDS[command][0] == "codegen":
        from codegen.__main__ import main as codegen_main

        return codegen_main([command, *arguments], cached=True, prog=prog, parser_class=OneLineParser)
    from derive.__main__ import main as derive_main
    from symprop.initial_parameters import draw_initial_parameters

    return derive_main([command, *arguments], prog=prog, parser_class=OneLineParser, draw=draw_initial_parameters)


def main(argv: list[str] | None = None) -> int:
    """Run ``symprop ARGV``; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        (sys.stdout if argv else sys.stderr).write(usage())
        return 0 if argv else 2
    command, arguments = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"error: symprop: unknown command {command!r}; commands: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    try:
        return _run(command, arguments)
    except SystemExit as stop:  # argparse: --help (0) or a usage error, already printed on one line
        return stop.code if isinstance(stop.code, int) else 2
    except KeyboardInterrupt:
        print("error: symprop: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `symprop list | head`: the reader has gone, so stop quietly as a piped tool does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing is left to flush at exit
        return 128 + signal.SIGPIPE
    except Exception as error:  # anything the commands do not report themselves: one line, no traceback
        message = " ".join(str(error).split()) or "no message"
        print(f"error: symprop {command}: {type(error).__name__}: {message}", file=sys.stderr)
        return 1
