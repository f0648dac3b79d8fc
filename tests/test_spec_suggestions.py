"""An unknown value in a spec is told the valid value it was probably meant as, as an unknown field is.

The same name but for case is suggested first, then the closest name by
``difflib``; a value close to nothing gets no suggestion.
"""

import pytest

from derive.catalog.standard import CATALOG
from derive.spec import SpecError, parse_spec

VOCABULARY = CATALOG.vocabulary()


def spec(activation="relu", loss="mse", **top):
    data = {"inputs": 2, "loss": loss, "layers": [{"units": 1, "activation": activation}], **top}
    return parse_spec(data, VOCABULARY, source="net.toml", default_name="net")


def test_a_misspelled_activation_suggests_the_activation_meant():
    with pytest.raises(SpecError, match=r"layers\[0\]\.activation: unknown value 'rleu'; did you mean 'relu'\?"):
        spec(activation="rleu")


def test_an_activation_in_the_wrong_case_suggests_the_same_name_in_lower_case():
    with pytest.raises(SpecError, match=r"unknown value 'ReLU'; did you mean 'relu'\?"):
        spec(activation="ReLU")


def test_a_letter_missing_from_an_activation_suggests_the_full_name():
    with pytest.raises(SpecError, match=r"unknown value 'sigmod'; did you mean 'sigmoid'\?"):
        spec(activation="sigmod")


def test_a_misspelled_loss_suggests_the_loss_meant():
    with pytest.raises(SpecError, match=r"loss: unknown value 'squared_eror'; did you mean 'squared_error'\?"):
        spec(loss="squared_eror")


def test_a_misspelled_optimizer_suggests_the_optimizer_meant():
    with pytest.raises(SpecError, match=r"optimizer\.name: unknown value 'SGD'; did you mean 'sgd'\?"):
        spec(optimizer={"name": "SGD"})


def test_a_value_close_to_no_name_gets_no_suggestion():
    with pytest.raises(SpecError) as caught:
        spec(activation="xyz")
    assert "unknown value 'xyz' (accepted: linear, sigmoid, relu" in str(caught.value)
    assert "did you mean" not in str(caught.value)
