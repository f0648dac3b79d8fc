"""``python -m derive explain NETWORK --param NAME``: any spec, three formats, helpful errors.

The walk-through's arithmetic (products along paths, sums over paths) is a
second computation of each gradient, independent of the Program's matrix
products; both must give the same numbers.
"""

import re
from functools import cache

import pytest

from derive.__main__ import main
from derive.presentation.walkthrough import ExplainError
from derive.presentation.walkthrough_build import explain, parameter_entries
from derive.program.named_specs import load_program as derive_program
from derive.program.trace import trace_example

load_program = cache(derive_program)

# Two samples, per-neuron and absent biases, a relu layer: nothing like Example 1.
SPEC = """\
name = "batch"
inputs = 2
loss = "squared_error"

[[layers]]
units = 3
activation = "relu"

[[layers]]
units = 1
activation = "sigmoid"
bias = "none"

[example]
x = [[0.5, -1.0], [2.0, 0.25]]
y = [[1.0], [0.0]]
w1 = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]
b1 = [[0.05, -0.05, 0.1]]
w2 = [[0.7, -0.8, 0.9]]
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "batch.toml"
    path.write_text(SPEC, encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    code = main(["explain", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_unknown_network_exits_2_and_lists_the_networks(capsys):
    code, out, err = run(capsys, "example9", "--param", "w1[0,0]")
    assert code == 2 and out == ""
    assert "unknown network 'example9'" in err and "example1, example2" in err


def test_unknown_parameter_exits_2_and_lists_every_entry(capsys):
    code, out, err = run(capsys, "example1", "--param", "w3[0,0]")
    assert code == 2 and out == ""
    assert "example1 has no parameter 'w3[0,0]'" in err
    assert "w1[0,0], w1[0,1], w1[1,0], w1[1,1], b1[0,0], w2[0,0]" in err


def test_out_of_range_entry_is_an_unknown_parameter():
    with pytest.raises(ExplainError, match="no parameter 'w2\\[2,0\\]'"):
        explain(load_program("example1"), "w2[2,0]")


def test_spaces_in_the_entry_are_accepted():
    program = load_program("example1")
    assert explain(program, "w2[ 0, 1 ]").parameter == explain(program, "w2[0,1]").parameter


def test_help_documents_the_parameter_naming(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "w2[0,0] is row 0, column 0 of w2" in help_text and "b1[0,0]" in help_text


def test_text_shows_forward_values_loss_chain_and_update(capsys):
    code, out, _ = run(capsys, "example1", "--param", "w2[0,0]")
    assert code == 0
    for heading in ("Forward pass", "Loss (squared_error)", "Chain rule", "Update (one step, learning rate 0.5)"):
        assert f"\n{heading}" in out
    assert "w2[0,0]⁺ = " in out


def test_markdown_has_headings_and_balanced_display_math(capsys):
    code, out, _ = run(capsys, "example1", "--param", "w1[0,0]", "--format", "md")
    assert code == 0 and out.startswith("# Backpropagation walk-through: example1")
    assert out.count("$$") % 2 == 0 and out.count("$$") == 2 * out.count("\\begin{aligned}")
    assert out.count("\\begin{aligned}") == out.count("\\end{aligned}") == 4
    assert "align*" not in out and re.findall(r"^## ", out, re.MULTILINE)


def test_markdown_math_shows_mazur_numbers(capsys):
    _, out, _ = run(capsys, "example1", "--param", "w2[0,0]", "--format", "md")
    assert "&= 0.74136507 \\times 0.186815602 \\times 0.593269992" in out
    assert "\\frac{\\partial E}{\\partial {\\mathrm{w}_{2}}_{0,0}}" in out


def test_tex_is_comments_and_balanced_align_blocks(capsys):
    code, out, _ = run(capsys, "example2", "--param", "b3[0,1]", "--format", "tex")
    assert code == 0
    assert out.count("\\begin{align*}") == out.count("\\end{align*}") == 4
    outside = re.sub(r"\\begin\{align\*\}.*?\\end\{align\*\}", "", out, flags=re.DOTALL)
    assert all(line.startswith("%") for line in outside.splitlines() if line.strip())
    assert out.count("\\left(") == out.count("\\right)")


@pytest.mark.parametrize("network", ["example1", "example2"])
def test_every_layers_walkthrough_equals_the_programs_gradient(network):
    program = load_program(network)
    traced = trace_example(program)
    for parameter in program.parameters:
        walk = explain(program, f"{parameter.name}[0,0]", traced)
        assert walk.gradient == pytest.approx(traced.values[f"d{parameter.name}"][0, 0], rel=1e-25, abs=1e-28)


def test_any_spec_file_with_a_batch_and_per_neuron_biases(batch):
    program = load_program(batch)
    traced = trace_example(program)
    for entry in parameter_entries(program):
        walk = explain(program, entry, traced)
        name, row, column = re.fullmatch(r"(\w+)\[(\d),(\d)\]", entry).groups()
        assert walk.gradient == pytest.approx(traced.values[f"d{name}"][int(row), int(column)], rel=1e-25, abs=1e-28)
        assert walk.update.value == traced.updated[name][int(row), int(column)]


def test_weight_gradient_sums_one_path_per_sample(batch):
    walk = explain(load_program(batch), "w1[1,0]")
    assert [str(path.via) for path in walk.steps[-1].paths] == ["inp1[0, 1]", "inp1[1, 1]"]


def test_walkthrough_says_what_the_parameter_is(batch):
    program = load_program(batch)
    assert "the weight from input 0 of layer 1 (x[:,0]) into its neuron 1" in explain(program, "w1[1,0]").meaning
    assert "the bias of neuron 2 of layer 1" in explain(program, "b1[0,2]").meaning
    assert "shared by neurons 0, 1" in explain(load_program("example1"), "b2[0,0]").meaning


def test_spec_without_example_exits_2(tmp_path, capsys):
    path = tmp_path / "bare.toml"
    path.write_text(SPEC.split("[example]")[0], encoding="utf-8")
    code, _, err = run(capsys, str(path), "--param", "w1[0,0]")
    assert code == 2 and "no [example] table" in err
