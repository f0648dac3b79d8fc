"""Command line: print derivations.

    python -m derive latex NAME     one item, ``dense`` or a network spec
    python -m derive latex --all    everything
    python -m derive list           the names
"""

import argparse
import sys

from .builtins import CATALOG
from .errors import DefinitionError
from .latex import activation_latex, dense_latex, loss_latex, program_latex, vector_latex
from .network import derive_network
from .spec import SPEC_DIR, SpecError, load_spec


def _networks() -> dict:
    return {path.stem: path for path in sorted(SPEC_DIR.glob("*.toml"))}


def names() -> list[str]:
    """Every name ``latex`` accepts, catalogue first."""
    return CATALOG.names() + ["dense"] + list(_networks())


def latex_of(name: str) -> str:
    """The LaTeX derivation of ``name``; KeyError lists the valid names."""
    if name == "dense":
        return dense_latex()
    networks = _networks()
    if name in networks:
        spec = load_spec(networks[name], activations=CATALOG.names("activation"), losses=CATALOG.names("loss"))
        return program_latex(derive_network(spec, CATALOG))
    if name not in CATALOG.names():
        raise KeyError(name)
    render = {"activation": activation_latex, "vector": vector_latex, "loss": loss_latex}[CATALOG.kind(name)]
    return render(CATALOG.get(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m derive", description="Print symprop's derivations.")
    commands = parser.add_subparsers(dest="command", required=True)
    latex = commands.add_parser("latex", help="print a derivation as LaTeX")
    target = latex.add_mutually_exclusive_group(required=True)
    target.add_argument("name", nargs="?", help="an activation, a loss, 'dense' or a network spec name")
    target.add_argument("--all", action="store_true", help="print every derivation")
    commands.add_parser("list", help="list the names latex accepts")
    arguments = parser.parse_args(argv)
    if arguments.command == "list":
        print("\n".join(names()))
        return 0
    wanted = names() if arguments.all else [arguments.name]
    try:
        print("\n\n".join(latex_of(name) for name in wanted))
    except KeyError as error:
        print(f"error: unknown name {error.args[0]!r}; valid names: {', '.join(names())}", file=sys.stderr)
        return 2
    except (DefinitionError, SpecError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
