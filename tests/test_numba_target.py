"""The compiled target (``--target numba``) against the NumPy target, on random specs of every loss.

Each spec is printed both ways from the same derivation; both ``Trainer``s
take the same steps on the same batch, and their costs, scaled gradients
and parameters must agree to a relative 1e-12.  Compiled functions are
cached (``cache=True``) in a temporary folder, and each spec is compiled
once for every test that reads it.
"""

import re
from pathlib import Path

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="the compiled target needs the `fast` extra: pip install -e '.[fast]'")
pytest.importorskip("scipy", reason="Numba's np.dot needs scipy: pip install -e '.[fast]'")

from codegen.__main__ import main  # noqa: E402
from codegen.errors import GenerationError  # noqa: E402
from codegen.rendering import render_numba_network  # noqa: E402
from compiled_modules import load_compiled  # noqa: E402
from derive.catalog.registry import CATALOG  # noqa: E402
from network_modules import module_of, spec_of  # noqa: E402
from test_random_networks import ACTIVATIONS, LOSSES, PROBABILITIES, targets  # noqa: E402

ROWS, STEPS, RTOL = 37, 3, 1e-12
EXAMPLE2 = Path(__file__).resolve().parent.parent / "specs" / "example2.toml"


def compiled_spec(loss: str, reduction: str | None = None):
    """A 3-layer spec for ``loss`` (with ``reduction`` when given); over the losses the activations, bias kinds
    and penalties take turns."""
    k = LOSSES.index(loss)
    kinds, penalties = ["per_neuron", "shared", "none"], ["none", *CATALOG.names("penalty")]
    layers = [{"units": 2 + (k + j) % 3, "activation": ACTIVATIONS[(3 * k + j) % len(ACTIVATIONS)],
               "bias": kinds[(k + j) % 3]} for j in range(3)]
    for j, layer in enumerate(layers):
        if penalties[(k + j) % 3] != "none":
            layer.update(penalty=penalties[(k + j) % 3], penalty_strength=0.05)
    layers[-1]["units"] = 3
    if CATALOG.get(loss).inputs in PROBABILITIES:
        layers[-1]["activation"] = "sigmoid"
    data = {"name": f"compiled_{loss}", "inputs": 4, "layers": layers, "loss": loss}
    if reduction is not None:
        data.update(name=f"compiled_{loss}_{reduction}", loss_reduction=reduction)
    if k % 2:
        data["optimizer"] = {"name": "momentum", "momentum": 0.7}
    if k == 3:
        layers[0]["trainable"] = False
    return spec_of(data)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, monkeypatch_module):
    """``loss`` (and a reduction) -> (the NumPy module's names, the compiled module), each compiled at most once."""
    folder = tmp_path_factory.mktemp("compiled")
    monkeypatch_module.setattr(numba.config, "CACHE_DIR", str(folder / "cache"))
    built = {}

    def build(loss: str, reduction: str | None = None):
        if (loss, reduction) not in built:
            spec = compiled_spec(loss, reduction)
            built[loss, reduction] = (module_of(spec), load_compiled(spec, folder))
        return built[loss, reduction]

    return build


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def trainers(modules, seed=0):
    """Both trainers from the same random parameters, and a batch of ``ROWS`` rows."""
    reference, module = modules
    rng = np.random.default_rng(seed)
    params = reference["init_params"](0)
    params.update({name: rng.normal(scale=0.8, size=shape) for name, shape in reference["PARAMETERS"].items()})
    x = rng.normal(size=(ROWS, reference["INPUTS"]))
    return reference["Trainer"](params), module.Trainer(params), x, rng


@pytest.mark.parametrize(("loss", "reduction"), [
    *((loss, None) for loss in LOSSES),
    ("squared_error", "mean_over_samples"), ("huber", "sum"), ("softmax_neg_log_likelihood", "sum"),
])
def test_costs_gradients_and_parameters_agree_with_the_numpy_target(compiled, loss, reduction):
    numpy_trainer, compiled_trainer, x, rng = trainers(compiled(loss, reduction))
    y = targets(loss, rng, ROWS)
    for _ in range(STEPS):
        expected, cost = numpy_trainer.train_step(x, y, 0.05), compiled_trainer.train_step(x, y, 0.05)
        np.testing.assert_allclose(cost, expected, rtol=RTOL)
        for name, grad in numpy_trainer.scaled_grads.items():
            np.testing.assert_allclose(compiled_trainer.scaled_grads[name], grad, rtol=RTOL, atol=1e-15)
    for name, value in numpy_trainer.params.items():
        np.testing.assert_allclose(compiled_trainer.params[name], value, rtol=RTOL)


def test_results_do_not_depend_on_the_number_of_threads(compiled):
    reference, module = compiled("huber")
    _, one, x, rng = trainers((reference, module))
    two = module.Trainer(one.copy_params(), threads=2)
    y = targets("huber", rng, ROWS)
    for _ in range(STEPS):
        assert two.train_step(x, y, 0.05) == one.train_step(x, y, 0.05)
    for name, value in one.params.items():
        np.testing.assert_array_equal(two.params[name], value)


def test_the_specs_use_every_catalogue_activation():
    used = {layer.activation for loss in LOSSES for layer in compiled_spec(loss).layers}
    assert used == set(ACTIVATIONS)


def test_a_nan_cost_is_a_floating_point_error_before_any_update(compiled):
    _, compiled_trainer, x, rng = trainers(compiled("squared_error"))
    before = compiled_trainer.copy_params()
    y = np.full((ROWS, 3), np.nan)
    with pytest.raises(FloatingPointError, match="cost"):
        compiled_trainer.train_step(x, y, 0.05)
    for name, value in before.items():
        np.testing.assert_array_equal(compiled_trainer.params[name], value)


def test_a_bias_gradient_is_summed_in_the_loop_that_computes_its_layer_gradient():
    text = render_numba_network(compiled_spec("squared_error"), CATALOG)
    assert re.search(r"(dinp2)\[n, i\] = dinp2_\n +_pdb2\[c, 0\] \+= dinp2_\n", text)


def test_a_bias_add_and_its_activation_run_in_one_loop():
    text = render_numba_network(compiled_spec("squared_error"), CATALOG)
    assert re.search(r"for i in range\(3\):\n +inp2_ = b2\[0, 0\] \+ inp2\[n, i\]\n(?: +.*\n)*? +h2_ = ", text)


@pytest.mark.parametrize("field, value, named", [("batch_norm", True, "batch_norm"), ("dropout", 0.2, "dropout")])
def test_an_unsupported_layer_is_refused_naming_it(field, value, named):
    spec = spec_of({"inputs": 2, "layers": [{"units": 2, "activation": "relu", "bias": "none", field: value},
                                            {"units": 1, "activation": "linear"}], "loss": "mse"})
    with pytest.raises(GenerationError, match=rf"layers\[0\]\.{named}.*supported: every catalogue activation"):
        render_numba_network(spec, CATALOG)


@pytest.mark.parametrize("field, value, reason", [("batch_norm", "true", "statistics are not compiled"),
                                                   ("dropout", "0.2", "masks are not compiled")])
def test_the_command_refuses_an_unsupported_layer_in_one_line_naming_it_and_why(tmp_path, capsys, field, value,
                                                                                  reason):
    spec = tmp_path / "refused.toml"
    spec.write_text(f'inputs = 2\nloss = "mse"\n[[layers]]\nunits = 3\nactivation = "relu"\n{field} = {value}\n'
                    '[[layers]]\nunits = 1\nactivation = "linear"\n', encoding="utf-8")
    assert main(["network", str(spec), "-o", str(tmp_path / "refused.py"), "--target", "numba"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"layers[0].{field} (" in error and reason in error
    assert not (tmp_path / "refused.py").exists()


def test_the_command_writes_a_compiled_module(tmp_path):
    output = tmp_path / "tiny_numba.py"
    assert main(["network", str(EXAMPLE2), "-o", str(output), "--target", "numba"]) == 0
    assert "@njit(cache=True, parallel=True)" in output.read_text(encoding="utf-8")


def test_without_numba_the_command_says_which_extra_in_one_line(tmp_path, monkeypatch, capsys):
    import importlib.util as util

    real = util.find_spec
    monkeypatch.setattr(util, "find_spec", lambda name, *a: None if name == "numba" else real(name, *a))
    assert main(["network", str(EXAMPLE2), "-o", str(tmp_path / "n.py"), "--target", "numba"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "numba" in error and "[fast]" in error
    assert not Path(tmp_path / "n.py").exists()


@pytest.mark.parametrize("optimizer", [{"name": "sgd", "learning_rate": 0.1},
                                       {"name": "momentum", "learning_rate": 0.1, "momentum": 0.9}])
def test_the_comments_of_the_spec_constants_name_only_functions_the_compiled_module_defines(optimizer):
    spec = spec_of({"name": "net", "inputs": 2, "layers": [{"units": 2, "activation": "tanh"}], "loss": "mse",
                    "optimizer": optimizer})
    source = render_numba_network(spec, CATALOG)
    lines = source.splitlines()
    comments = [lines[k - 1] for k, line in enumerate(lines) if line.startswith(("LEARNING_RATE =", "MOMENTUM ="))]
    named = {name for comment in comments for name in re.findall(r"``([\w.]+)``", comment)}
    trainer = re.search(r"^class Trainer\b.*?(?=^\S)", source, re.M | re.S).group(0)
    defined = set(re.findall(r"^def (\w+)\(", source, re.M))
    defined |= {f"Trainer.{method}" for method in re.findall(r"^    def (\w+)\(", trainer, re.M)}
    assert len(comments) == len(optimizer) - 1 and named and named <= defined
