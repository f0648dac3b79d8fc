"""Adding a loss takes its cost per entry in an extension file (the worked example of the READMEs).

The generating tests run symprop in a fresh process with ``SYMPROP_EXTENSIONS``
naming the file of ``extensions/README.md``'s example, which registers
``log_cosh``; the registration errors are checked in this process on a
catalogue of their own.
"""

import re

import numpy as np
import pytest
from sympy import Eq, Function, Symbol, cosh, exp, log

from derive.catalog.losses import Inputs
from derive.catalog.registry import CATALOG, Catalog, register_loss
from derive.core.errors import DefinitionError
from derive.core.symbols import prediction, target
from derive.spec import Reduction
from extension_runs import extension_file, ROOT, generated_module, imported, run
from finite_differences import gradient

#: The example of extensions/README.md, the file it stands for.
(LOG_COSH,) = re.findall(r"```python\n(# extensions/log_cosh\.py\n.*?)```",
                         (ROOT / "extensions" / "README.md").read_text(encoding="utf-8"), re.S)
SPEC = """\
name = "cosh_net"
inputs = 2
loss = "log_cosh"
loss_reduction = "sum"

[[layers]]
units = 3
activation = "tanh"

[[layers]]
units = 2
activation = "linear"
"""


def log_cosh_entries(y, p):
    """log(cosh(p - y)) of every entry, written from the definition."""
    return [[np.log(np.cosh(p[n, i] - y[n, i])) for i in range(y.shape[1])] for n in range(y.shape[0])]


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    return extension_file(tmp_path_factory.mktemp("extension"), "log_cosh", LOG_COSH)


@pytest.fixture(scope="module")
def losses(extension, tmp_path_factory):
    return generated_module(extension, tmp_path_factory.mktemp("generated"), "losses.py", "extended_losses")


@pytest.fixture(scope="module")
def network(extension, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network")
    (folder / "cosh_net.toml").write_text(SPEC, encoding="utf-8")
    result = run("-m", "codegen", "network", str(folder / "cosh_net.toml"), "-o", str(folder / "cosh_net.py"),
                 extension=extension)
    assert result.returncode == 0, result.stderr
    return imported(folder / "cosh_net.py", "cosh_net")


def batch(seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(4, 2)), rng.normal(scale=2.0, size=(4, 2))


@pytest.mark.parametrize("seed", range(3))
def test_a_registered_loss_is_generated_with_its_cost_averaged_over_every_entry(losses, seed):
    y, p = batch(seed)
    assert losses.log_cosh(y, p) == pytest.approx(np.sum(log_cosh_entries(y, p)) / y.size, rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_a_registered_loss_has_a_derived_gradient(losses, seed):
    y, p = batch(seed)
    expected = gradient(lambda q: losses.log_cosh(y, q), p)
    np.testing.assert_allclose(losses.log_cosh(y, p, derivative=True), expected, rtol=1e-6, atol=1e-9)


def test_a_spec_names_a_registered_loss_with_another_reduction(network):
    rng = np.random.default_rng(5)
    params = {name: rng.normal(size=shape) for name, shape in network.PARAMETERS.items()}
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    out = network.forward(params, x)["out"]
    assert network.loss(y, out) == pytest.approx(np.sum(log_cosh_entries(y, out)), rel=1e-12)


def test_a_network_of_a_registered_loss_has_the_gradients_of_its_printed_cost(network):
    rng = np.random.default_rng(6)
    params = {name: rng.normal(size=shape) for name, shape in network.PARAMETERS.items()}
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    grads = network.backward(params, x, y, network.forward(params, x))
    for name in params:
        def cost_at(value):
            return network.loss(y, network.forward({**params, name: value}, x)["out"])

        np.testing.assert_allclose(grads[f"d{name}"], gradient(cost_at, params[name]), rtol=1e-6, atol=1e-9)


def test_a_registered_loss_joins_the_parametrised_loss_tests(extension):
    result = run("-m", "pytest", "--collect-only", "-q", "tests/test_losses.py", extension=extension)
    assert "test_gradient_equals_central_finite_differences_of_cost[log_cosh" in result.stdout


def test_a_registered_loss_prints_its_latex(extension):
    result = run("-m", "derive", "latex", "log_cosh", extension=extension)
    assert result.returncode == 0 and "\\cosh" in result.stdout


def test_register_loss_derives_under_every_reduction():
    catalog = Catalog()
    register_loss("half_square", (prediction - target) ** 2 / 2, "mean_over_samples", catalog=catalog)
    assert catalog.loss("half_square").reduction is Reduction.MEAN_OVER_SAMPLES
    assert catalog.loss("half_square", Reduction.SUM).reduction is Reduction.SUM


def test_a_registered_loss_takes_parameters_with_defaults():
    delta = Symbol("delta", positive=True)
    scaled = register_loss("scaled", delta * (prediction - target) ** 2, params={delta: 2.0}, catalog=Catalog())
    assert [(p.name, p.default) for p in scaled.params] == [("delta", 2.0)]


def test_a_registered_loss_is_a_regression_loss():
    assert register_loss("square", (prediction - target) ** 2, catalog=Catalog()).inputs is Inputs.REGRESSION


def test_plain_symbols_named_target_and_prediction_are_the_published_ones():
    catalog = Catalog()
    mine = register_loss("mine", (Symbol("prediction") - Symbol("target")) ** 2, catalog=catalog)
    theirs = register_loss("theirs", (prediction - target) ** 2, catalog=catalog)
    assert mine.cost == theirs.cost


@pytest.mark.parametrize(("cost", "message"), [
    (Symbol("t") * prediction, r"unknown symbol\(s\) t in prediction\*t; accepted: .*target .*prediction"),
    (target**2, r"does not depend on prediction"),
    ("(prediction - target)**2", r"is not a SymPy expression \(type str\)"),
    (2.0, r"is not a SymPy expression \(type float\)"),
    (Eq(prediction, target), r"is not a SymPy expression \(type Equality\)"),
    (Function("f")(prediction), r"SymPy cannot differentiate f\(prediction\)"),
], ids=["stray symbol", "no prediction", "string", "number", "equation", "undefined function"])
def test_a_bad_cost_is_refused_naming_the_loss(cost, message):
    with pytest.raises(DefinitionError, match=rf"loss 'bad': .*{message}"):
        register_loss("bad", cost, catalog=Catalog())


def test_an_unknown_reduction_is_refused_with_the_accepted_ones():
    with pytest.raises(DefinitionError, match=r"unknown reduction 'average'; accepted: sum, mean, mean_over_samples"):
        register_loss("bad", exp(prediction - target), "average", catalog=Catalog())


def test_a_name_already_in_the_catalogue_is_refused_and_the_catalogue_is_unchanged():
    before = CATALOG.names()
    with pytest.raises(DefinitionError, match=r"loss 'mse': the name is already taken by the loss 'mse'"):
        register_loss("mse", log(cosh(prediction - target)))
    assert CATALOG.names() == before


def test_a_name_that_is_not_an_identifier_is_refused():
    with pytest.raises(DefinitionError, match=r"loss 'log cosh': the name is not a Python identifier"):
        register_loss("log cosh", log(cosh(prediction - target)), catalog=Catalog())
