"""``symprop explain my.toml --param w1[0,0] --seed 0 --data batch.npz`` and ``symprop latex my.toml``.

A spec without an ``[example]`` table is walked through on the user's own
arrays: ``x`` and ``y`` from an ``.npz`` file (integer labels or target
rows), the parameters from a file or from ``init_params(seed)`` of the
network's generated module.  The gradient it reports is checked against
central differences of the generated module's cost.
"""

import numpy as np
import pytest

import symprop
from derive.presentation.walkthrough_build import explain
from derive.program.trace import trace
from derive.program.trace_inputs import trace_arrays
from symprop.cli import main
from tests.network_modules import module_of

SPEC = """\
name = "flowers"
inputs = 3
loss = "softmax_neg_log_likelihood"

[[layers]]
units = 4
activation = "tanh"
weight_init = "glorot_uniform"

[[layers]]
units = 3
activation = "linear"
weight_init = "glorot_uniform"
"""

X = np.array([[0.5, -1.0, 0.25], [2.0, 0.25, -0.75], [-0.3, 0.8, 1.1]])
LABELS = np.array([2, 0, 1])


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A user's folder: the spec and a three-row batch with integer labels."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flowers.toml").write_text(SPEC, encoding="utf-8")
    np.savez(tmp_path / "batch.npz", x=X, y=LABELS)
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def module_parameters(seed: int) -> dict:
    return module_of(symprop.load_spec("flowers.toml"))["init_params"](seed)


def test_latex_of_a_spec_file_is_the_networks_derivation(folder, capsys):
    code, out, err = run(capsys, "latex", "flowers.toml")
    assert code == 0 and err == ""
    assert out.startswith("% network flowers\n") and "\\tanh" in out
    assert r"\mathrm{dinp}_{1} &= \mathrm{dh}_{1} \left(1 - \mathrm{h}_{1}^{2}\right)" in out  # tanh' as 1 - h²


def test_latex_of_an_example_file_equals_latex_of_its_name(capsys):
    _, by_name, _ = run(capsys, "latex", "example2")
    _, by_file, _ = run(capsys, "latex", str(symprop.examples()["example2"]))
    assert by_file == by_name


def test_latex_of_a_missing_spec_file_exits_2_naming_it(folder, capsys):
    code, out, err = run(capsys, "latex", "absent.toml")
    assert code == 2 and out == ""
    assert "absent.toml" in err and err.count("\n") == 1


def test_seed_walks_through_the_parameters_init_params_draws(folder, capsys):
    np.savez("drawn.npz", **module_parameters(0))
    _, seeded, _ = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "batch.npz")
    _, given, _ = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--params", "drawn.npz",
                      "--data", "batch.npz")
    assert seeded == given and "∂E/∂w1[0,0]" in seeded


def test_walked_gradient_matches_central_differences_of_the_modules_cost(folder):
    spec = symprop.load_spec("flowers.toml")
    module, params, program = module_of(spec), module_parameters(3), symprop.derive_network(spec)
    walked = explain(program, "w1[0,0]", trace(program, trace_arrays(program, "batch.npz", params)))
    step = 1e-6

    def cost(shift: float) -> float:
        moved = {name: value.copy() for name, value in params.items()}
        moved["w1"][0, 0] += shift
        return module["loss"](LABELS, module["forward"](moved, X)["out"])

    assert float(walked.gradient) == pytest.approx((cost(step) - cost(-step)) / (2 * step), rel=1e-7)


def test_integer_labels_walk_through_as_their_one_hot_rows(folder, capsys):
    np.savez("one_hot.npz", x=X, y=np.eye(3)[LABELS])
    argv = ["explain", "flowers.toml", "--param", "w2[1,2]", "--seed", "1", "--data"]
    assert run(capsys, *argv, "batch.npz")[1] == run(capsys, *argv, "one_hot.npz")[1]


def test_a_label_beyond_the_classes_exits_2_naming_it(folder, capsys):
    np.savez("bad.npz", x=X, y=np.array([2, 0, 3]))
    code, out, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "bad.npz")
    assert code == 2 and out == ""
    assert "y[2] = 3" in err and "0 to 2" in err


def test_no_data_and_no_example_exits_2_saying_what_to_give(folder, capsys):
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0")
    assert code == 2
    assert "no x, y to trace flowers with" in err and "data file" in err


def test_no_parameters_and_no_example_exits_2_saying_what_to_give(folder, capsys):
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--data", "batch.npz")
    assert code == 2
    assert "no w1, b1, w2, b2" in err and "or a seed" in err


def test_params_and_seed_together_are_a_usage_error(folder, capsys):
    np.savez("drawn.npz", **module_parameters(0))
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0",
                       "--params", "drawn.npz", "--data", "batch.npz")
    assert code == 2 and "not allowed with argument" in err


def test_a_single_array_file_is_refused_as_data(folder, capsys):
    np.save("x.npy", X)
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "x.npy")
    assert code == 2 and "expected an .npz archive" in err


def test_a_missing_data_file_exits_2_naming_it(folder, capsys):
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "nope.npz")
    assert code == 2 and "nope.npz: no such file" in err


def test_non_finite_data_exits_2(folder, capsys):
    np.savez("nan.npz", x=np.where(X > 1, np.nan, X), y=LABELS)
    code, _, err = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "nan.npz")
    assert code == 2 and "array x: expected finite numbers" in err


def test_the_api_takes_arrays_and_a_seed_like_the_command(folder, capsys):
    _, printed, _ = run(capsys, "explain", "flowers.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "batch.npz")
    assert symprop.explain("flowers.toml", "w1[0,0]", data={"x": X, "y": LABELS}, seed=0) == printed


def test_the_api_refuses_params_and_seed_together(folder):
    with pytest.raises(ValueError, match="params or seed, not both"):
        symprop.explain("flowers.toml", "w1[0,0]", data="batch.npz", params={}, seed=0)


def test_python_m_derive_explain_reads_data_and_parameter_files(folder, capsys):
    from derive.__main__ import main as derive_main

    np.savez("drawn.npz", **module_parameters(2))
    code = derive_main(["explain", "flowers.toml", "--param", "b1[0,1]", "--data", "batch.npz", "--params", "drawn.npz"])
    out = capsys.readouterr().out
    assert code == 0 and "∂E/∂b1[0,1]" in out


def test_flat_labels_for_a_regression_are_refused_as_the_module_refuses_them(folder, capsys):
    (folder / "fit.toml").write_text(SPEC.replace('"softmax_neg_log_likelihood"', '"mse"'), encoding="utf-8")
    code, out, err = run(capsys, "explain", "fit.toml", "--param", "w1[0,0]", "--seed", "0", "--data", "batch.npz")
    assert code == 2 and out == ""
    assert "array y: expected rows of numbers (2 dimensions), got 1 dimension(s)" in err
