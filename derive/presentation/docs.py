"""docs/derivations.md: every derivation in one Markdown file that renders on GitHub.

The file lists the whole catalogue (so a new item appears on the next
rebuild), the dense-layer rule, batch normalisation and dropout, and for every network in ``specs/`` its
straight-line program and the walk-throughs of the first weight of its last
and first layers.  The text depends on ``derive/`` and ``specs/`` alone (no
dates, no paths of this machine, a fixed order), so rebuilding it gives the
same bytes and a test can tell when the committed file is stale.  The plots it
links to are drawn by ``derive.presentation.plots``, which needs matplotlib; this module
does not.
"""

from pathlib import Path
from typing import get_args

from derive.catalog.standard import CATALOG
from derive.catalog.registry import Catalog, Kind
from derive.presentation.walkthrough_build import explain
from derive.presentation.walkthrough_text import render
from derive.layers.layer_derivations import dense_layer, training_layers
from derive.presentation.latex import Block, dense_blocks, item_blocks, program_blocks, training_layer_blocks
from derive.presentation.markdown import display_math, document_current, escape, heading, write_document
from derive.program.network import Program
from derive.program.named_specs import load_program, network_paths
from symprop.locations import DOCS as _CHECKOUT_DOCS

__all__ = ["DOCS", "MARKDOWN", "PLOTS", "render_markdown", "write_markdown", "is_current"]

#: ``docs/`` of the source checkout; None when symprop is installed (``derive docs`` then needs ``--out``).
DOCS: Path | None = _CHECKOUT_DOCS
MARKDOWN: Path | None = DOCS / "derivations.md" if DOCS is not None else None
#: The folder of the activation plots; the Markdown links to ``plots/NAME.png``.
PLOTS: Path | None = DOCS / "plots" if DOCS is not None else None

#: Section titles of the catalogue's kinds; a kind missing here is titled by its own name.
_TITLES = {
    "activation": "Activations", "vector": "Vector functions", "loss": "Losses",
    "penalty": "Penalties", "initializer": "Initialisers",
}

_INTRO = """\
Generated from `derive/` and `specs/` by `make docs` (the Markdown alone:
`python -m derive docs`). Do not edit by hand. Every formula below is printed
by SymPy from the same objects that `codegen` prints as the NumPy in
`generated/`, and every number is SymPy's evaluation of those objects."""


def render_markdown(catalog: Catalog = CATALOG) -> str:
    """The whole document, as bytes-stable text."""
    parts = [heading(1, "symprop derivations"), _INTRO, _contents(catalog)]
    for kind in _kinds(catalog):
        parts.append(heading(2, _title(kind)))
        for name in catalog.names(kind):
            parts += [heading(3, f"`{name}`")]
            if kind == "activation":
                parts.append(f"![{name} and its derivative](plots/{name}.png)")
            parts += _blocks(item_blocks(catalog.get(name)))
    parts += [heading(2, "The dense layer")] + _blocks(dense_blocks(dense_layer()))
    parts += [heading(2, "Batch normalisation and dropout")] + _blocks(training_layer_blocks(training_layers()))
    parts.append(heading(2, "Networks"))
    for name in network_paths():
        parts += _network(load_program(name, catalog))
    return "\n\n".join(parts) + "\n"


def write_markdown(path: Path = MARKDOWN) -> bool:
    """Write the document; return whether the file changed."""
    return write_document(path, render_markdown())


def is_current(path: Path = MARKDOWN) -> bool:
    """True when the file on disk equals a fresh rendering."""
    return document_current(path, render_markdown())


def _kinds(catalog: Catalog) -> list[str]:
    """The catalogue's kinds that have items, in the order ``Kind`` lists them."""
    return [kind for kind in get_args(Kind) if catalog.names(kind)]


def _title(kind: str) -> str:
    return _TITLES.get(kind, f"{kind.capitalize()}s")


def _contents(catalog: Catalog) -> str:
    lines = [f"- {_title(kind)}: {', '.join(f'`{name}`' for name in catalog.names(kind))}" for kind in _kinds(catalog)]
    lines.append("- The dense layer")
    lines.append("- Batch normalisation and dropout")
    lines.append(f"- Networks: {', '.join(f'`{name}`' for name in network_paths())}")
    return "\n".join(lines)


def _blocks(blocks: list[Block]) -> list[str]:
    """Each block as its title in prose, then its rows as display math."""
    return [f"{escape(block.title)}\n\n{display_math(block.rows)}" for block in blocks]


def _network(program: Program) -> list[str]:
    """A network's program, then walk-throughs of the first weight of its last and first layers."""
    spec = program.spec
    parts = [heading(3, f"`{spec.name}`"), escape(spec.description[:1].upper() + spec.description[1:] + ".")]
    parts += [heading(4, "The straight-line program")] + _blocks(program_blocks(program))
    if spec.example is None:
        return parts
    for layer in dict.fromkeys((len(spec.layers), 1)):
        weight = next(p for p in program.parameters if p.layer == layer)  # a layer lists its weight first
        parts.append(render(explain(program, f"{weight.name}[0,0]"), "md", level=4).rstrip("\n"))
    return parts
