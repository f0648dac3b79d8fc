"""Command line: print derivations, walk through a gradient, build the documents.

    python -m derive latex NAME                      one item, ``dense``, ``training_layers`` or a network spec
    python -m derive latex --all                     everything
    python -m derive list                            the names
    python -m derive explain NETWORK --param w2[0,0] [--format text|md|tex]
    python -m derive docs [--check] [--out PATH]     write (or check) docs/derivations.md (installed: --out)
    python -m derive plots                           draw docs/plots/*.png (needs matplotlib)
    python -m derive proofs [--item NAME] [--markdown] [--check]
                                                     discharge the proof ledger (docs/proofs.md)
"""

import argparse
import sys
from pathlib import Path

from derive.catalog.standard import CATALOG
from derive.presentation.docs import MARKDOWN, is_current, write_markdown
from derive.core.errors import DefinitionError
from derive.presentation.walkthrough import ExplainError
from derive.presentation.walkthrough_build import explain
from derive.presentation.walkthrough_text import FORMATS, render
from derive.presentation.latex import dense_latex, item_latex, program_latex, training_layers_latex
from derive.program.named_specs import load_program, network_paths
from derive.spec import SpecError
from derive.program.trace import TraceError

_PARAM_HELP = (
    "one entry of a weight or bias array, written NAME[ROW,COLUMN]: w2[0,0] is row 0, column 0 of w2, "
    "the weight from input 0 of layer 2 into its neuron 0 (layers count from 1, rows and columns from 0); "
    "b1[0,0] is the first bias of layer 1. An unknown entry lists every valid one."
)


def names() -> list[str]:
    """Every name ``latex`` accepts, catalogue first."""
    return CATALOG.names() + ["dense", "training_layers"] + list(network_paths())


def latex_of(name: str) -> str:
    """The LaTeX derivation of ``name``; KeyError lists the valid names."""
    if name == "dense":
        return dense_latex()
    if name == "training_layers":
        return training_layers_latex()
    if name in network_paths():
        return program_latex(load_program(name))
    if name not in CATALOG.names():
        raise KeyError(name)
    return item_latex(CATALOG.get(name))


def _parser(prog: str = "python -m derive", parser_class: type = argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser = parser_class(
        prog=prog, description="Print symprop's derivations, walk through a gradient, build the documents."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    latex = commands.add_parser("latex", help="print a derivation as LaTeX")
    target = latex.add_mutually_exclusive_group(required=True)
    target.add_argument("name", nargs="?", help="an activation, a loss, 'dense', 'training_layers' or a network spec name")
    target.add_argument("--all", action="store_true", help="print every derivation")
    commands.add_parser("list", help="list the names latex accepts")
    walk = commands.add_parser(
        "explain", help="walk through the chain rule from the loss to one parameter, with numbers",
        description="Print the forward values, the loss, every chain-rule step from the loss to one "
        "parameter (symbols, forms, numbers) and the parameter after one step, at the spec's [example].",
    )
    walk.add_argument("network", help="a network spec name (see 'list') or a path to a spec .toml")
    walk.add_argument("--param", required=True, metavar="NAME[ROW,COLUMN]", help=_PARAM_HELP)
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
        print(f"error: unknown name {error.args[0]!r}; valid names: {', '.join(names())}", file=sys.stderr)
        return 2
    return 0


def _explain(arguments: argparse.Namespace) -> int:
    try:
        program = load_program(arguments.network)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    print(render(explain(program, arguments.param), arguments.format), end="")
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


_COMMANDS = {"latex": _latex, "explain": _explain, "docs": _docs, "plots": _plots, "proofs": _proofs}


def main(argv: list[str] | None = None, *, prog: str = "python -m derive",
         parser_class: type = argparse.ArgumentParser) -> int:
    """Run one command; return the exit status.  ``symprop.cli`` runs it as ``symprop latex`` and so on."""
    arguments = _parser(prog, parser_class).parse_args(argv)
    if arguments.command == "list":
        print("\n".join(names()))
        return 0
    try:
        return _COMMANDS[arguments.command](arguments)
    except (DefinitionError, SpecError, ExplainError, TraceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
