"""``python -m derive explain example1`` reproduces Matt Mazur's published numbers.

"A Step by Step Backpropagation Example" (the seed notebook's reference) walks
Example 1 by hand.  His weights w1..w8 are the notebook's ``w1`` and ``w2``
row by row (row i holds the incoming weights of neuron i): w5 = ``w2[0,0]``,
w6 = ``w2[0,1]``, w7 = ``w2[1,0]``, w8 = ``w2[1,1]``, w1 = ``w1[0,0]``, ...
His o1, o2 are ``out[0,0]``, ``out[0,1]``; h1 is ``h1[0,0]``; net is ``inp``.

Each of his 25 values below is typed in from the post.  It is located in the
walk-through's structure, printed the way the command prints it, found in the
printed text, and compared with the post.  He multiplied rounded intermediates
by hand, so a value may differ in its last printed digit: each is asserted to
within one unit of that digit.
"""

from decimal import Decimal
from functools import cache

import pytest

from derive.presentation.walkthrough_build import explain
from derive.presentation.walkthrough_text import number, render
from derive.program.named_specs import load_program


@cache
def walkthrough(parameter):
    return explain(load_program("example1"), parameter)


@cache
def printed(parameter):
    return render(walkthrough(parameter))


def forward(entry):
    return lambda w: next(v.value for v in w.forward if str(v.name).replace(" ", "") == entry)


def loss_term(output):
    return lambda w: w.loss_terms[output].value


def final_factor(index):
    return lambda w: w.steps[-1].paths[0].factors[index].value


# (Mazur's name, the parameter whose walk-through shows it, where it is, his published value)
PUBLISHED = [
    ("out_h1", "w2[0,0]", forward("h1[0,0]"), "0.593269992"),
    ("out_h2", "w2[0,0]", forward("h1[0,1]"), "0.596884378"),
    ("net_o1", "w2[0,0]", forward("inp2[0,0]"), "1.105905967"),
    ("out_o1", "w2[0,0]", forward("out[0,0]"), "0.75136507"),
    ("out_o2", "w2[0,0]", forward("out[0,1]"), "0.772928465"),
    ("E_o1", "w2[0,0]", loss_term(0), "0.274811083"),
    ("E_o2", "w2[0,0]", loss_term(1), "0.023560026"),
    ("E_total", "w2[0,0]", lambda w: w.loss.value, "0.298371109"),
    ("dE/dout_o1", "w2[0,0]", final_factor(0), "0.74136507"),
    ("dout_o1/dnet_o1", "w2[0,0]", final_factor(1), "0.186815602"),
    ("dE/dw5", "w2[0,0]", lambda w: w.gradient, "0.082167041"),
    ("w5+", "w2[0,0]", lambda w: w.update.value, "0.35891648"),
    ("w6+", "w2[0,1]", lambda w: w.update.value, "0.408666186"),
    ("w7+", "w2[1,0]", lambda w: w.update.value, "0.511301270"),
    ("w8+", "w2[1,1]", lambda w: w.update.value, "0.561370121"),
    ("dE_o1/dnet_o1", "w1[0,0]", lambda w: w.step("inp2[0,0]").value, "0.138498562"),
    ("dE_o1/dout_h1", "w1[0,0]", lambda w: w.step("h1[0,0]").paths[0].value, "0.055399425"),
    ("dE_o2/dout_h1", "w1[0,0]", lambda w: w.step("h1[0,0]").paths[1].value, "-0.019049119"),
    ("dE/dout_h1", "w1[0,0]", lambda w: w.step("h1[0,0]").value, "0.036350306"),
    ("dout_h1/dnet_h1", "w1[0,0]", final_factor(1), "0.241300709"),
    ("dE/dw1", "w1[0,0]", lambda w: w.gradient, "0.000438568"),
    ("w1+", "w1[0,0]", lambda w: w.update.value, "0.149780716"),
    ("w2+", "w1[0,1]", lambda w: w.update.value, "0.19956143"),
    ("w3+", "w1[1,0]", lambda w: w.update.value, "0.24975114"),
    ("w4+", "w1[1,1]", lambda w: w.update.value, "0.29950229"),
]


def test_all_25_published_values_are_checked():
    assert len(PUBLISHED) == 25 and len({name for name, *_ in PUBLISHED}) == 25


@pytest.mark.parametrize(("name", "parameter", "locate", "published"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_walkthrough_prints_mazurs_value(name, parameter, locate, published):
    shown = number(locate(walkthrough(parameter)))
    assert shown in printed(parameter)
    last_digit = Decimal(1).scaleb(Decimal(published).as_tuple().exponent)
    assert abs(Decimal(shown) - Decimal(published)) <= last_digit, f"{name}: printed {shown}, published {published}"


def test_output_weight_chain_reads_like_mazurs_w5_line():
    text = printed("w2[0,0]")
    assert "∂E/∂w2[0,0] = ∂E/∂out[0,0] · ∂out[0,0]/∂inp2[0,0] · ∂inp2[0,0]/∂w2[0,0]" in text
    assert "= 0.74136507 × 0.186815602 × 0.593269992" in text
    assert "= 0.082167041" in text


def test_hidden_weight_chain_reads_like_mazurs_w1_line():
    text = printed("w1[0,0]")
    assert "∂E/∂w1[0,0] = ∂E/∂h1[0,0] · ∂h1[0,0]/∂inp1[0,0] · ∂inp1[0,0]/∂w1[0,0]" in text
    assert "= 0.036350306 × 0.241300709 × 0.05" in text


def test_hidden_output_gradient_shows_one_path_per_output_neuron():
    step = walkthrough("w1[0,0]").step("h1[0,0]")
    assert [str(path.via) for path in step.paths] == ["inp2[0, 0]", "inp2[0, 1]"]
