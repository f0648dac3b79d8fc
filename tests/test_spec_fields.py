"""The spec fields of docs/specs.md: their defaults, a spec using every one, and parameters reaching the code."""

import re
import tomllib
from pathlib import Path

import pytest

from codegen.generate import render_network
from derive.catalog.standard import CATALOG
from derive.program.named_specs import load_program
from derive.spec.model import BiasKind, OptimizerName, Reduction, ScheduleKind, ScheduleSpec, Vocabulary
from derive.spec.network_spec import _TOP, SPEC_DIR, SpecError, load_spec, parse_spec
from derive.spec.window_spec import FIELDS
from derive.spec.training import _OPTIMIZER_FIELDS, _SCHEDULE_FIELDS

VOCABULARY = CATALOG.vocabulary()

SMALLEST = {"inputs": 2, "layers": [{"units": 1, "activation": "linear"}], "loss": "mse"}

FULL = """
name = "full"
description = "every field of a spec"
inputs = 4
loss = "huber"
loss_params = { delta = 2.0 }
loss_reduction = "mean_over_samples"

[[layers]]
inputs = 4
units = 3
activation = "leaky_relu"
activation_params = { alpha = 0.2 }
bias = "shared"
weight_init = "he_normal"
bias_init = "ones"
dropout = 0.25
batch_norm = false
penalty = "l2"
penalty_strength = 1e-4
trainable = true

[[layers]]
inputs = 3
units = 2
activation = "linear"
bias = "none"
weight_init = "glorot_normal"
batch_norm = true
penalty = "l1"
penalty_strength = 0
trainable = false

[optimizer]
name = "momentum"
learning_rate = 0.05
momentum = 0.8

[optimizer.schedule]
kind = "staircase"
rate = 0.5
step = 10

[example]
x = [[0.1, 0.2, 0.3, 0.4]]
y = [[1.0, 0.0]]
w1 = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]
b1 = [[0.5]]
w2 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
"""


def parse(data: dict):
    return parse_spec(data, VOCABULARY, source="test.toml", default_name="test")


def test_defaults_of_every_optional_field():
    spec = parse(SMALLEST)
    (layer,) = spec.layers
    assert (spec.name, spec.description, spec.loss_params, spec.example) == ("test", "", {}, None)
    assert layer.activation_params == {}
    assert layer.bias is BiasKind.PER_NEURON
    assert (layer.weight_init, layer.bias_init) == ("glorot_uniform", "zeros")
    assert (layer.dropout, layer.batch_norm, layer.trainable) == (0.0, False, True)
    assert (layer.penalty, layer.penalty_strength) == (None, None)
    assert spec.optimizer.name is OptimizerName.SGD
    assert spec.optimizer.momentum is None
    assert spec.learning_rate == spec.optimizer.learning_rate == 0.01
    assert spec.optimizer.schedule == ScheduleSpec(ScheduleKind.NONE)


def test_momentum_defaults_to_0_9():
    spec = parse({**SMALLEST, "optimizer": {"name": "momentum"}})
    assert spec.optimizer.momentum == 0.9


def test_a_layer_without_bias_has_no_bias_initialiser():
    spec = parse({**SMALLEST, "layers": [{"units": 1, "activation": "linear", "bias": "none"}]})
    assert spec.layers[0].bias_init is None


def test_full_spec_reads_every_field(tmp_path: Path):
    path = tmp_path / "full.toml"
    path.write_text(FULL, encoding="utf-8")
    spec = load_spec(path, VOCABULARY)
    first, second = spec.layers
    assert (spec.name, spec.inputs, spec.loss, spec.loss_params) == ("full", 4, "huber", {"delta": 2.0})
    assert spec.loss_reduction is Reduction.MEAN_OVER_SAMPLES
    assert (first.units, first.activation, first.activation_params) == (3, "leaky_relu", {"alpha": 0.2})
    assert (first.bias, first.weight_init, first.bias_init) == (BiasKind.SHARED, "he_normal", "ones")
    assert (first.dropout, first.batch_norm, first.trainable) == (0.25, False, True)
    assert (first.penalty, first.penalty_strength) == ("l2", 1e-4)
    assert (second.bias, second.bias_init, second.weight_init) == (BiasKind.NONE, None, "glorot_normal")
    assert (second.dropout, second.batch_norm) == (0.0, True)
    assert (second.penalty, second.penalty_strength, second.trainable) == ("l1", 0.0, False)
    assert (spec.optimizer.name, spec.optimizer.learning_rate, spec.optimizer.momentum) == (
        OptimizerName.MOMENTUM, 0.05, 0.8,
    )
    assert spec.optimizer.schedule == ScheduleSpec(ScheduleKind.STAIRCASE, rate=0.5, step=10)
    assert set(spec.example) == {"x", "y", "w1", "b1", "w2"}


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"kind": "none"}, ScheduleSpec(ScheduleKind.NONE)),
        ({"kind": "time_based", "rate": 0.01}, ScheduleSpec(ScheduleKind.TIME_BASED, rate=0.01)),
        ({"kind": "exponential", "rate": 0.95}, ScheduleSpec(ScheduleKind.EXPONENTIAL, rate=0.95)),
        ({"kind": "staircase", "rate": 0.5, "step": 3}, ScheduleSpec(ScheduleKind.STAIRCASE, rate=0.5, step=3)),
    ],
)
def test_each_schedule_reads_its_parameters(schedule, expected):
    assert parse({**SMALLEST, "optimizer": {"schedule": schedule}}).optimizer.schedule == expected


def test_integers_are_accepted_where_numbers_are():
    spec = parse({**SMALLEST, "optimizer": {"learning_rate": 1}})
    assert spec.learning_rate == 1.0 and isinstance(spec.learning_rate, float)


def test_the_notebook_specs_keep_their_learning_rates():
    assert load_program("example1").spec.learning_rate == 0.5
    assert load_program("example2").spec.learning_rate == 0.01


def test_narrowed_names_are_the_only_ones_accepted():
    with pytest.raises(SpecError, match=r"layers\[0\]\.activation: unknown value 'linear' \(accepted: relu\)"):
        narrowed = Vocabulary({**VOCABULARY.names, "activation": ["relu"]}, VOCABULARY.parameters)
        parse_spec(SMALLEST, narrowed, source="test.toml", default_name="test")


def module_text(spec) -> str:
    return render_network(spec, CATALOG)


def test_activation_params_change_the_generated_code():
    layer = {"units": 2, "activation": "leaky_relu"}
    default = parse({**SMALLEST, "layers": [layer]})
    steeper = parse({**SMALLEST, "layers": [{**layer, "activation_params": {"alpha": 0.25}}]})
    assert "0.1*inp1" in module_text(default)
    text = module_text(steeper)
    assert "0.25*inp1" in text and "0.1*inp1" not in text


def test_loss_params_change_the_generated_code():
    default = parse({**SMALLEST, "loss": "huber"})
    wider = parse({**SMALLEST, "loss": "huber", "loss_params": {"delta": 3.5}})
    assert "3.5" not in module_text(default)
    assert "3.5" in module_text(wider)


DOC = Path(__file__).resolve().parent.parent / "docs" / "specs.md"


def toml_blocks(text: str) -> list[str]:
    return [block.split("```", 1)[0] for block in text.split("```toml\n")[1:]]


def test_every_spec_in_the_docs_is_valid():
    blocks = toml_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    for block in blocks:
        parse(tomllib.loads(block))


def test_the_docs_name_every_field():
    text = DOC.read_text(encoding="utf-8")
    fields = {*_TOP, *(f for kind in FIELDS.values() for f in kind), *_OPTIMIZER_FIELDS, *(f for kind in _SCHEDULE_FIELDS.values() for f in kind)}
    # A field is written `units`, `[optimizer]`, `[[layers]]` or `[optimizer.schedule]`.
    missing = sorted(f for f in fields if not re.search(rf"`\[*(\w+\.)?{f}\]*`", text))
    assert not missing, f"docs/specs.md does not document {missing}"


@pytest.mark.parametrize("name", ["example1", "example2"])
def test_the_docs_show_the_notebook_specs_as_they_are(name):
    (block,) = [b for b in toml_blocks(DOC.read_text(encoding="utf-8")) if f'name = "{name}"' in b]
    on_disk = load_spec(SPEC_DIR / f"{name}.toml", VOCABULARY)
    assert parse_spec(tomllib.loads(block), VOCABULARY, source=on_disk.source, default_name=name) == on_disk


def test_a_batch_normalised_layer_has_no_bias_by_default():
    spec = parse({**SMALLEST, "layers": [{"units": 1, "activation": "linear", "batch_norm": True}]})
    assert (spec.layers[0].bias, spec.layers[0].bias_init) == (BiasKind.NONE, None)
