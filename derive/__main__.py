"""Command line: print derivations, walk through a gradient, build the documents.

    python -m derive latex NAME                      one item, ``dense``, ``training_layers`` or a network spec
    python -m derive latex --all                     everything
    python -m derive list                            the names
    python -m derive explain NETWORK --param w2[0,0] [--data D.npz] [--params P.npz] [--format text|md|tex]
    python -m derive docs [--check] [--out PATH]     write (or check) docs/derivations.md (installed: --out)
    python -m derive plots                           draw docs/plots/*.png (needs matplotlib)
    python -m derive proofs [--item NAME] [--markdown] [--check]
                                                     discharge the proof ledger (docs/proofs.md)
"""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from derive.catalog.standard import CATALOG
from derive.presentation.docs import MARKDOWN, is_current, write_markdown
from derive.core.errors import DefinitionError
from derive.presentation.walkthrough import ExplainError
from derive.presentation.walkthrough_build import explain
from derive.presentation.walkthrough_text import FORMATS, render
from derive.presentation.latex import dense_latex, item_latex, program_latex, training_layers_latex
from derive.program.derivations import derivation_names
from derive.program.named_specs import load_program, network_paths
from derive.spec import SpecError
from derive.program.trace import TraceError, trace
from derive.program.trace_inputs import trace_arrays
from derive.spec.model import NetworkSpec

#: Draws a spec's initial parameters from a seed, as its generated module's ``init_params(seed)`` does.
ParameterDraw = Callable[[NetworkSpec, int], dict]

_PARAM_HELP = (
    "one entry of a weight or bias array, written NAME[ROW,COLUMN]: w2[0,0] is row 0, column 0 of w2, "
    "the weight from input 0 of layer 2 into its neuron 0 (layers count from 1, rows and columns from 0); "
    "b1[0,0] is the first bias of layer 1. An unknown entry lists every valid one."
)


def names() -> list[str]:
    """Every name ``latex`` accepts, catalogue first: the names ``symprop.derivation`` fetches."""
    return derivation_names()


def latex_of(name: str) -> str:
    """The LaTeX derivation of ``name`` (a listed name or a spec file); KeyError lists the valid names."""
    if name == "dense":
        return dense_latex()
    if name == "training_layers":
        return training_layers_latex()
    if name in network_paths() or name.endswith(".toml"):
        return program_latex(load_program(name))
    if name not in CATALOG.names():
        raise KeyError(name)
    return item_latex(CATALOG.get(name))


def _parser(prog: str = "python -m derive", parser_class: type = argparse.ArgumentParser,
            seeded: bool = False) -> argparse.ArgumentParser:
    parser = parser_class(
        prog=prog, description="Print symprop's derivations, walk through a gradient, build the documents."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    latex = commands.add_parser("latex", help="print a derivation as LaTeX")
    target = latex.add_mutually_exclusive_group(required=True)
    target.add_argument("name", nargs="?", help="an activation, a loss, 'dense', 'training_layers', a network spec "
                        "name or a path to a spec .toml")
    target.add_argument("--all", action="store_true", help="print every derivation")
    commands.add_parser("list", help="list the names latex accepts")
    walk = commands.add_parser(
        "explain", help="walk through the chain rule from the loss to one parameter, with numbers",
        description="Print the forward values, the loss, every chain-rule step from the loss to one "
        "parameter (symbols, forms, numbers) and the parameter after one step.  The numbers are the spec's "
        "[example], or the arrays given here: every row of the data is traced at 30 digits, so give a few.",
    )
    walk.add_argument("network", help="a network spec name (see 'list') or a path to a spec .toml")
    walk.add_argument("--param", required=True, metavar="NAME[ROW,COLUMN]", help=_PARAM_HELP)
    walk.add_argument("--data", type=Path, metavar="FILE.npz",
                      help="x and y to trace (np.savez(FILE, x=..., y=...)); y: rows of targets or integer "
                      "class labels; parameters stored in it are used too")
    start = walk.add_mutually_exclusive_group()
    start.add_argument("--params", type=Path, metavar="FILE.npz", help="the parameters to trace, by name (w1, b1, ...)")
    if seeded:
        start.add_argument("--seed", type=int, metavar="N",
                           help="trace the parameters the network module's init_params(N) draws")
    walk.add_argument("--format", choices=FORMATS, default="text",
                      help="text for the terminal (default), md for Markdown with LaTeX, tex for LaTeX")
    docs = commands.add_parser("docs", help="write docs/derivations.md from the derivations")
    docs.add_argument("--check", action="store_true", help="only check that docs/derivations.md is current")
    docs.add_argument("--out", type=Path, default=MARKDOWN, help="where to write it (required when installed)")
    commands.add_parser("plots", help="draw docs/plots/NAME.png for every activation (needs matplotlib)")
    proofs = commands.add_parser(
        "proofs", help="discharge every proof obligation and print how each printed form is proven",
        description="List every form a printer writes, discharge its obligation (derivation, SymPy proof, "
        "50-digit numerical check, or definition) and print the time taken; exit 1 if one fails.",
    )
    proofs.add_argument("--item", metavar="NAME", help="only the obligations of items whose name contains NAME")
    proofs.add_argument("--markdown", action="store_true", help="write docs/proofs.md instead of discharging")
    proofs.add_argument("--check", action="store_true", help="only check that docs/proofs.md is current")
    return parser


def _latex(arguments: argparse.Namespace) -> int:
    wanted = names() if arguments.all else [arguments.name]
    try:
        print("\n\n".join(latex_of(name) for name in wanted))
    except KeyError as error:
        (problem,) = error.args
        if problem in wanted:
            problem = f"unknown name {problem!r}; valid names: {', '.join(names())} (or a path to a spec .toml)"
        print(f"error: {problem}", file=sys.stderr)
        return 2
    return 0


def _explain(arguments: argparse.Namespace, draw: ParameterDraw | None = None) -> int:
    try:
        program = load_program(arguments.network)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    params = arguments.params
    if getattr(arguments, "seed", None) is not None:
        params = draw(program.spec, arguments.seed)
    walked = explain(program, arguments.param, trace(program, trace_arrays(program, arguments.data, params)))
    print(render(walked, arguments.format), end="")
    return 0


def _docs(arguments: argparse.Namespace) -> int:
    if arguments.out is None:  # installed: symprop has no docs/ of its own and never writes inside itself
        print("error: docs needs --out PATH outside a source checkout", file=sys.stderr)
        return 2
    shown = f"docs/{MARKDOWN.name}" if arguments.out == MARKDOWN else str(arguments.out)
    if arguments.check:
        if is_current(arguments.out):
            return 0
        print(f"stale: {shown} (run `make docs` or `python -m derive docs`)", file=sys.stderr)
        return 1
    print(f"{shown}: {'written' if write_markdown(arguments.out) else 'unchanged'}")
    return 0


def _plots(arguments: argparse.Namespace) -> int:
    try:  # matplotlib is an optional extra: import it only when plots are asked for
        from derive.presentation.plots import PLOTS, write_plots
    except ImportError as error:
        print(f"error: {error}; install the docs extra: pip install -e '.[docs]' (or run `make docs`)",
              file=sys.stderr)
        return 2
    if PLOTS is None:
        print("error: plots are drawn only in a source checkout (docs/plots/)", file=sys.stderr)
        return 2
    print(f"docs/plots: {len(write_plots())} activation plots written")
    return 0


def _proofs(arguments: argparse.Namespace) -> int:
    from derive.presentation.proofs_page import PROOFS, listing, proofs_current, summary, write_proofs
    from derive.program.ledger import ledger

    if arguments.check:
        if proofs_current():
            return 0
        print(f"stale: docs/{PROOFS.name} (run `python -m derive proofs --markdown`)", file=sys.stderr)
        return 1
    if arguments.markdown:
        print(f"docs/{PROOFS.name}: {'written' if write_proofs() else 'unchanged'}")
        return 0
    obligations = [o for o in ledger(CATALOG) if arguments.item is None or arguments.item in o.item]
    if not obligations:
        print(f"error: no obligation of an item matching {arguments.item!r}; see `python -m derive proofs`",
              file=sys.stderr)
        return 2
    failed, total = 0, 0.0
    for obligation in obligations:
        outcome = obligation.discharge()
        failed, total = failed + (not outcome.held), total + outcome.seconds
        print(listing(obligation, outcome), flush=True)
    print(f"{summary(obligations)}; {failed} failed; {total:.1f}s")
    return 1 if failed else 0


_COMMANDS = {"latex": _latex, "docs": _docs, "plots": _plots, "proofs": _proofs}


def main(argv: list[str] | None = None, *, prog: str = "python -m derive",
         parser_class: type = argparse.ArgumentParser, draw: ParameterDraw | None = None) -> int:
    """Run one command; return the exit status.  ``symprop.cli`` runs it as ``symprop latex`` and so on.

    ``draw`` draws initial parameters for ``explain --seed``; it needs the network's generated module,
    so only the ``symprop`` command, which prints one, offers the option.
    """
    arguments = _parser(prog, parser_class, seeded=draw is not None).parse_args(argv)
    if arguments.command == "list":
        print("\n".join(names()))
        return 0
    try:
        if arguments.command == "explain":
            return _explain(arguments, draw)
        return _COMMANDS[arguments.command](arguments)
    except (DefinitionError, SpecError, ExplainError, TraceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
