"""The limits of docs/specs.md: each bound is accepted and one past it is refused, naming the field.

Expected counts are worked out here from the docs' definition (weights
``units × inputs``, the bias, four arrays of ``units`` with batch
normalisation), not read from ``derive.spec``.
"""

import pytest

from derive.spec import SpecError, load_spec, parse_spec
from derive.catalog.standard import CATALOG

VOCABULARY = CATALOG.vocabulary()

MIB = 1 << 20


def spec(**top) -> dict:
    """A one-layer spec with ``top`` fields set or replaced."""
    data = {"inputs": 2, "layers": [{"units": 1, "activation": "linear"}], "loss": "mse"}
    data.update(top)
    return data


def layer(units: int, **fields) -> dict:
    return {"units": units, "activation": "linear", **fields}


def refused(data: dict) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, VOCABULARY, source="net.toml", default_name="net")
    return caught.value


def accepted(data: dict):
    return parse_spec(data, VOCABULARY, source="net.toml", default_name="net")


def test_a_file_of_one_mib_is_read(tmp_path):
    text = 'inputs = 2\nloss = "mse"\n[[layers]]\nunits = 1\nactivation = "linear"\n'
    path = tmp_path / "net.toml"
    path.write_text(text + "#" * (MIB - len(text) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MIB
    assert load_spec(path, VOCABULARY).inputs == 2


def test_a_file_over_one_mib_is_refused_before_it_is_parsed(tmp_path):
    # Not TOML at all: a parser would report the first byte; the size is checked before.
    path = tmp_path / "net.toml"
    path.write_bytes(b"[" * (MIB + 1))
    with pytest.raises(SpecError, match=r"\(file\): larger than 1,048,576 bytes"):
        load_spec(path, VOCABULARY)


def test_256_layers_are_accepted():
    assert len(accepted(spec(layers=[layer(1)] * 256)).layers) == 256


def test_257_layers_are_refused():
    error = refused(spec(layers=[layer(1)] * 257))
    assert error.field == "layers"
    assert "1 to 256" in str(error)


def test_no_layer_is_refused():
    assert refused(spec(layers=[])).field == "layers"


@pytest.mark.parametrize("field", ["inputs", "units"])
def test_a_million_inputs_or_units_are_accepted(field):
    data = spec(inputs=1_000_000) if field == "inputs" else spec(layers=[layer(1_000_000)], inputs=1)
    assert accepted(data)


@pytest.mark.parametrize("value", [1_000_001, 10**12, 10**30, 0, -1])
def test_inputs_outside_1_to_a_million_are_refused(value):
    error = refused(spec(inputs=value))
    assert error.field == "inputs"
    assert "an integer from 1 to 1,000,000" in str(error)


@pytest.mark.parametrize("value", [1_000_001, 10**12, 10**30, 0])
def test_units_outside_1_to_a_million_are_refused(value):
    error = refused(spec(layers=[layer(value)]))
    assert error.field == "layers[0].units"
    assert "an integer from 1 to 1,000,000" in str(error)


def test_a_layer_stating_inputs_over_a_million_is_refused():
    assert refused(spec(layers=[layer(1, inputs=1_000_001)])).field == "layers[0].inputs"


def test_exactly_two_to_the_28_numbers_are_accepted():
    # One layer with batch normalisation: u*a weights and 4u numbers (gamma, beta, running mean and variance).
    units, inputs = 2**14, 2**14 - 4
    assert units * inputs + 4 * units == 2**28
    assert accepted(spec(inputs=inputs, layers=[layer(units, batch_norm=True)]))


def test_one_number_over_two_to_the_28_is_refused_at_the_layer_that_goes_over():
    units, inputs = 2**14, 2**14 - 4
    second = layer(1, bias="shared")  # units*1 weights and one shared bias
    error = refused(spec(inputs=inputs, layers=[layer(units, batch_norm=True), second]))
    assert error.field == "layers[1].units"
    assert f"{2**28 + units + 1:,} numbers" in str(error)


def test_a_bias_per_neuron_counts_one_number_per_unit():
    # 2**14 x 2**14 weights are exactly 2**28; a bias per neuron adds 2**14 more.
    assert accepted(spec(inputs=2**14, layers=[layer(2**14, bias="none")]))
    error = refused(spec(inputs=2**14, layers=[layer(2**14)]))
    assert f"{2**28 + 2**14:,} numbers" in str(error)


def test_a_name_of_64_characters_is_accepted():
    assert accepted(spec(name="n" * 64)).name == "n" * 64


def test_a_name_of_65_characters_is_refused():
    assert refused(spec(name="n" * 65)).field == "name"


def test_a_description_of_1000_characters_is_accepted():
    assert accepted(spec(description="d" * 1000)).description == "d" * 1000


def test_a_description_of_1001_characters_is_refused():
    assert refused(spec(description="d" * 1001)).field == "description"


def test_a_staircase_step_of_a_million_epochs_is_accepted():
    schedule = {"kind": "staircase", "rate": 0.5, "step": 1_000_000}
    assert accepted(spec(optimizer={"schedule": schedule})).optimizer.schedule.step == 1_000_000


def test_a_staircase_step_over_a_million_epochs_is_refused():
    schedule = {"kind": "staircase", "rate": 0.5, "step": 1_000_001}
    assert refused(spec(optimizer={"schedule": schedule})).field == "optimizer.schedule.step"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10**400, -(10**400)])
def test_a_number_field_refuses_nan_inf_and_integers_beyond_floats(value):
    error = refused(spec(loss="huber", loss_params={"delta": value}))
    assert error.field == "loss_params.delta"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**400])
def test_an_example_refuses_nan_inf_and_integers_beyond_floats(value):
    example = {"x": [[0.5, value]], "y": [[1.0]], "w1": [[0.1, 0.2]], "b1": [[0.0]]}
    assert refused(spec(example=example)).field == "example.x"


def test_an_integer_of_more_than_4300_digits_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text("inputs = " + "1" * 4301 + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"\(file\): an integer too long to read"):
        load_spec(path, VOCABULARY)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{ a = ", " }")])
def test_nesting_deeper_than_the_parser_recurses_is_refused(tmp_path, opening, closing):
    path = tmp_path / "net.toml"
    path.write_text("x = " + opening * 1000 + "1" + closing * 1000 + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"\(file\): arrays or tables nested too deeply"):
        load_spec(path, VOCABULARY)
