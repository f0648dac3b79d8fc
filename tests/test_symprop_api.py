"""``import symprop``: the public API over ``derive`` and ``codegen``, which loads nothing until used."""

import subprocess
import sys
from pathlib import Path

import pytest

import symprop

ROOT = Path(__file__).resolve().parent.parent


def test_importing_symprop_loads_neither_sympy_nor_jinja_nor_derive_nor_codegen():
    code = "import symprop, sys; print(sorted({m.split('.')[0] for m in sys.modules}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "'symprop'" in result.stdout  # not vacuous
    loaded = set(result.stdout.strip("[]\n").split(", "))
    assert not {"'sympy'", "'jinja2'", "'derive'", "'codegen'", "'numpy'"} & loaded


def test_the_examples_are_the_specs_folders():
    specs = ROOT / "specs"
    assert symprop.examples() == {"example1": specs / "example1.toml", "example2": specs / "example2.toml"}


def test_an_unknown_example_names_the_known_ones():
    with pytest.raises(KeyError, match="examples: example1, example2"):
        symprop.example("example9")


def test_the_catalogue_holds_the_built_in_items():
    assert {"sigmoid", "relu", "softmax_neg_log_likelihood"} <= set(symprop.catalog().names())


def test_a_spec_file_is_read_and_checked(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text('inputs = 2\nloss = "mse"\n\n[[layers]]\nunits = 1\nactivation = "sigmoid"\n', encoding="utf-8")
    spec = symprop.load_spec(path)
    assert (spec.name, spec.inputs, spec.layers[0].activation) == ("tiny", 2, "sigmoid")


def test_a_rendered_example_is_the_generated_module_below_its_header():
    source = symprop.render_network(symprop.example("example1"))
    committed = (ROOT / "generated" / "example1.py").read_text(encoding="utf-8")
    assert source.splitlines()[2:] == committed.splitlines()[2:]


def test_a_derived_network_holds_every_parameter():
    program = symprop.derive_network(symprop.example("example1"))
    assert [p.name for p in program.parameters] == ["w1", "b1", "w2", "b2"]


def test_explain_walks_an_example_to_mazurs_gradient():
    assert "= 0.082167041" in symprop.explain("example1", "w2[0,0]")
