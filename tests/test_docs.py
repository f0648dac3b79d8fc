"""docs/derivations.md is a current, deterministic rendering of every derivation.

The Markdown is rendered without matplotlib; the plots it links to are drawn
by ``python -m derive plots`` (part of ``make docs``), which these tests never
run.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from derive.catalog.standard import CATALOG
from derive.presentation.docs import MARKDOWN, render_markdown
from derive.program.named_specs import network_paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rendered():
    return render_markdown()


def test_committed_markdown_is_current(rendered):
    on_disk = MARKDOWN.read_text(encoding="utf-8") if MARKDOWN.is_file() else ""
    assert on_disk == rendered, "docs/derivations.md is stale: run `make docs` (or `python -m derive docs`)"


def test_rendering_twice_gives_identical_text(rendered):
    assert render_markdown() == rendered


def test_every_catalogue_item_has_a_section(rendered):
    headings = re.findall(r"^### `(\w+)`$", rendered, re.MULTILINE)
    assert headings == CATALOG.names() + list(network_paths())


def test_every_activation_links_its_plot(rendered):
    for name in CATALOG.names("activation"):
        assert f"![{name} and its derivative](plots/{name}.png)" in rendered


def test_dense_layer_rule_and_both_examples_chain_rules_are_shown(rendered):
    assert "## The dense layer" in rendered and "dense layer, bias shared" in rendered
    for walkthrough in ("example1, ∂E/∂w2\\[0,0\\]", "example1, ∂E/∂w1\\[0,0\\]", "example2, ∂E/∂w3\\[0,0\\]"):
        assert f"#### Backpropagation walk-through: {walkthrough}" in rendered


def test_math_is_in_github_display_blocks_only(rendered):
    assert "align*" not in rendered
    assert rendered.count("$$") == 2 * rendered.count("\\begin{aligned}") == 2 * rendered.count("\\end{aligned}")
    assert re.findall(r"^\$\$$", rendered, re.MULTILINE) and "\n$$\n\n" in rendered


def test_sigmoid_section_shows_output_form_and_its_proof(rendered):
    section = rendered.split("### `sigmoid`")[1].split("### ")[0]
    assert "y \\left(1 - y\\right)" in section and "proof: f'(x) minus the output form" in section


def test_markdown_command_runs_without_matplotlib():
    blocked = "import sys; sys.modules['matplotlib'] = None; import derive.presentation.docs, derive.__main__"
    subprocess.run([sys.executable, "-c", blocked], check=True, cwd=ROOT)
