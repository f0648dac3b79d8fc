"""``python -m derive latex NAME`` prints each derivation; unknown names fail helpfully."""

import pytest

from derive.__main__ import main, names


def test_names_cover_the_catalogue_dense_and_both_examples():
    assert {"sigmoid", "relu", "linear", "softmax", "squared_error", "neg_log_likelihood",
            "softmax_neg_log_likelihood", "dense", "example1", "example2"} <= set(names())


@pytest.mark.parametrize("name", names())
def test_every_name_prints_an_align_block(name, capsys):
    assert main(["latex", name]) == 0
    out = capsys.readouterr().out
    assert "\\begin{align*}" in out and out.count("\\begin{align*}") == out.count("\\end{align*}")


def test_sigmoid_shows_definition_raw_derivative_and_proven_output_form(capsys):
    main(["latex", "sigmoid"])
    out = capsys.readouterr().out
    assert "\\frac{1}{1 + e^{- x}}" in out
    assert "\\frac{e^{- x}}{\\left(1 + e^{- x}\\right)^{2}}" in out
    assert "y \\left(1 - y\\right)" in out and "output form, proven equal" in out


def test_fused_loss_shows_its_gradient_for_any_targets(capsys):
    main(["latex", "softmax_neg_log_likelihood"])
    out = capsys.readouterr().out
    assert "by sympy.diff" in out and "assumed" not in out


def test_network_shows_every_weight_and_bias_gradient(capsys):
    main(["latex", "example2"])
    out = capsys.readouterr().out
    for name in ("dw", "db"):
        for layer in (1, 2, 3):
            assert f"\\mathrm{{{name}}}_{{{layer}}} &=" in out


def test_training_layers_show_batch_norm_derived_through_its_statistics_and_dropout(capsys):
    main(["latex", "training_layers"])
    out = capsys.readouterr().out
    assert "\\frac{\\partial L}{\\partial z_{n,i}} &=" in out and "\\sum_{m=0}^{N - 1} {G}_{m,i}" in out
    assert "\\frac{1}{1 - p} & \\text{for}\\: p \\leq u" in out


def test_unknown_name_exits_non_zero_and_lists_valid_names(capsys):
    assert main(["latex", "swish"]) != 0
    err = capsys.readouterr().err
    assert "unknown name 'swish'" in err and "sigmoid" in err and "example1" in err
