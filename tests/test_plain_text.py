"""Printed, every derivation reads as its mathematics: ``str`` a few lines, ``repr`` one short line."""

from dataclasses import replace
from pathlib import Path

import pytest
from sympy import sstr

from derive.catalog.standard import CATALOG
from derive.layers.dense import dense_rule
from derive.layers.layer_derivations import dense_layer, training_layers
from derive.presentation.walkthrough_build import explain
from derive.presentation.walkthrough_text import render
from derive.program.named_specs import load_program, network_paths
from derive.spec import BiasKind

#: What each kind of catalogue item is defined by.
DEFINED_BY = {"activation": "definition", "vector": "definition", "loss": "cost", "penalty": "cost",
              "initializer": "scale"}


class Recorder:
    """The part of IPython's pretty printer ``_repr_pretty_`` writes to."""

    def __init__(self) -> None:
        self.written = ""

    def text(self, text: str) -> None:
        self.written += text


def pretty(derivation: object) -> str:
    recorder = Recorder()
    derivation._repr_pretty_(recorder, False)
    return recorder.written


def every_derivation() -> list[object]:
    return [CATALOG.get(name) for name in CATALOG.names()] + [
        dense_layer(), training_layers(), dense_rule(BiasKind.SHARED), *map(load_program, network_paths()),
    ]


@pytest.mark.parametrize("name", CATALOG.names())
def test_a_catalogue_items_text_names_it_and_shows_its_definition_as_sympy_prints_it(name):
    item = CATALOG.get(name)
    text = str(item)
    assert item.name in text.splitlines()[0]
    assert sstr(getattr(item, DEFINED_BY[CATALOG.kind(name)])) in text


@pytest.mark.parametrize("name", CATALOG.names("activation"))
def test_an_activations_text_shows_its_derivative_and_its_output_form_where_it_has_one(name):
    activation = CATALOG.get(name)
    text = str(activation)
    assert sstr(activation.derivative) in text
    if activation.output_form is not None:
        assert f"= {sstr(activation.output_form)}    # output form" in text


def test_a_losss_text_shows_its_derived_gradient():
    loss = CATALOG.get("mse")
    assert f"dL/dy_pred[m, j] = {sstr(loss.gradient)}" in str(loss)


def test_a_vector_functions_text_shows_its_product_with_the_jacobian_in_the_outputs():
    softmax = CATALOG.get("softmax")
    assert sstr(softmax.vjp_output_form) in str(softmax)


def test_the_dense_layers_text_shows_every_bias_kinds_forward_product_and_gradients():
    text = str(dense_layer())
    for kind in BiasKind:
        rule = dense_rule(kind)
        assert f"dense layer, bias {kind.value}" in text and f"Z     = {sstr(rule.forward)}" in text
    assert "dL/dW = G.T*X" in text and "dL/dX = G*W" in text


def test_the_training_layers_text_shows_batch_norms_gradient_and_dropouts_mask():
    layers = training_layers()
    text = str(layers)
    assert sstr(layers.batch_norm.grad_input) in text and sstr(layers.dropout.mask) in text


def test_a_programs_text_lists_each_stage_and_every_assignment_as_shown():
    program = load_program("example1")
    text = str(program)
    assert text.startswith(f"network example1: {program.spec.description}")
    assert all(f"\n{stage}:\n" in text for stage in ("forward", "loss", "backward", "update"))
    assert all(f"{a.target} = {sstr(a.shown)}" in " ".join(text.split()) for a in program.assignments)


def test_an_activations_repr_is_its_kind_name_and_definition():
    assert repr(CATALOG.get("sigmoid")) == "<Activation sigmoid: f(x) = 1/(1 + exp(-x))>"


@pytest.mark.parametrize("derivation", every_derivation(), ids=repr)
def test_a_repr_is_one_line_under_200_characters(derivation):
    text = repr(derivation)
    assert "\n" not in text and len(text) < 200 and text.startswith(f"<{type(derivation).__name__} ")


@pytest.mark.parametrize("derivation", every_derivation(), ids=repr)
def test_ipython_shows_what_str_prints(derivation):
    assert pretty(derivation) == str(derivation)


def test_equality_still_compares_every_field():
    sigmoid = CATALOG.get("sigmoid")
    assert replace(sigmoid) == sigmoid and replace(sigmoid, doc="another") != sigmoid


def test_a_walkthroughs_str_is_its_terminal_table():
    walk = explain(load_program("example1"), "w2[0,0]")
    assert str(walk) == render(walk, "text") and pretty(walk) == str(walk)


def test_a_walkthroughs_repr_names_the_network_and_the_gradient():
    walk = explain(load_program("example1"), "w2[0,0]")
    assert repr(walk) == "<Walkthrough example1: dE/dw2[0,0] = 0.082167041>"


def test_the_readme_shows_sigmoid_as_it_prints():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{CATALOG.get('sigmoid')}\n```" in readme
