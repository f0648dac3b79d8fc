"""In Jupyter every derivation object renders as mathematics (``_repr_latex_``)."""

import pytest

from derive.catalog.standard import CATALOG
from derive.layers.dense import dense_rule
from derive.presentation.walkthrough_build import explain
from derive.program.named_specs import load_program
from derive.spec import BiasKind


@pytest.mark.parametrize("name", CATALOG.names())
def test_catalogue_item_renders_as_display_math(name):
    text = CATALOG.get(name)._repr_latex_()
    assert text.startswith("$$") and text.rstrip().endswith("$$") and "\\begin{aligned}" in text


def test_sigmoid_display_shows_its_output_form():
    assert "y \\left(1 - y\\right)" in CATALOG.get("sigmoid")._repr_latex_()


def test_dense_rule_renders_its_gradients():
    text = dense_rule(BiasKind.PER_NEURON)._repr_latex_()
    assert text.startswith("$") and "\\frac{\\partial L}{\\partial W}" in text


def test_program_renders_one_block_per_stage():
    text = load_program("example1")._repr_latex_()
    assert text.startswith("$") and text.count("\\begin{aligned}") == 4


def test_walkthrough_renders_as_markdown_with_math():
    text = explain(load_program("example1"), "w2[0,0]")._repr_markdown_()
    assert text.startswith("### Backpropagation walk-through") and "$$" in text
