"""One set of names: every name ``python -m derive list`` prints is a derivation the public API fetches."""

import subprocess
import sys
from pathlib import Path

import pytest

import symprop
from derive.catalog.activations import Activation
from derive.catalog.standard import CATALOG
from derive.layers.layer_derivations import DenseLayer, TrainingLayers
from derive.program.network import Program

ROOT = Path(__file__).resolve().parent.parent


def listed() -> list[str]:
    done = subprocess.run([sys.executable, "-m", "derive", "list"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


LISTED = listed()


def test_derivation_names_are_the_names_list_prints_in_its_order():
    assert symprop.derivation_names() == LISTED


@pytest.mark.parametrize("name", LISTED)
def test_every_listed_name_is_a_derivation_of_that_name(name):
    derivation = symprop.derivation(name)
    assert (derivation.spec.name if isinstance(derivation, Program) else derivation.name) == name


def test_each_kind_of_name_fetches_its_kind_of_derivation():
    kinds = [type(symprop.derivation(name)) for name in ("sigmoid", "dense", "training_layers", "example1")]
    assert kinds == [Activation, DenseLayer, TrainingLayers, Program]


def test_a_catalogue_name_gives_the_catalogues_own_item():
    assert symprop.derivation("softmax") is CATALOG.get("softmax")


def test_a_network_name_gives_its_derived_program():
    assert symprop.derivation("example2") == symprop.derive_network(symprop.example("example2"))


def test_an_unknown_name_suggests_the_closest_and_lists_every_name():
    with pytest.raises(KeyError) as caught:
        symprop.derivation("sigmoi")
    message = caught.value.args[0]
    assert "unknown derivation 'sigmoi' (did you mean 'sigmoid'?)" in message
    assert message.endswith("known: " + ", ".join(LISTED))


def test_an_unknown_name_far_from_every_name_suggests_nothing():
    with pytest.raises(KeyError, match=r"^\"unknown derivation 'qqqqqqqq'; known: linear, "):
        symprop.derivation("qqqqqqqq")


def test_every_catalogue_name_is_a_catalogue_item():
    assert all(CATALOG.get(name).name == name for name in CATALOG.names())


def test_the_catalogue_says_dense_is_a_derivation_fetched_by_symprop_derivation():
    with pytest.raises(KeyError, match=r"unknown catalogue item 'dense'.*symprop\.derivation\(name\)"):
        CATALOG.get("dense")


def test_a_misspelt_catalogue_name_suggests_the_item():
    with pytest.raises(KeyError, match=r"unknown catalogue item 'tanhh' \(did you mean 'tanh'\?\)"):
        CATALOG.get("tanhh")
