"""``fit`` of the compiled module (``--target numba``) against the NumPy module's, spec by spec.

Both modules are printed from the same derivation and include the same
``fit``; the compiled one steps its compiled ``Trainer``.  Histories
(training and validation cost, accuracy) and the returned parameters must
agree to a relative 1e-12, early stopping included.
"""

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="the compiled target needs the `fast` extra: pip install -e '.[fast]'")
pytest.importorskip("scipy", reason="Numba's np.dot needs scipy: pip install -e '.[fast]'")

from compiled_modules import load_compiled  # noqa: E402
from network_modules import module_of, spec_of  # noqa: E402

RTOL = 1e-12
SPECS = {
    "classifier": {"name": "fit_classifier", "inputs": 3, "loss": "softmax_neg_log_likelihood",
                   "optimizer": {"name": "momentum", "momentum": 0.9, "learning_rate": 0.05,
                                 "schedule": {"kind": "time_based", "rate": 0.01}},
                   "layers": [{"units": 8, "activation": "relu"}, {"units": 6, "activation": "sigmoid"},
                              {"units": 3, "activation": "linear"}]},
    "regression": {"name": "fit_regression", "inputs": 3, "loss": "squared_error",
                   "optimizer": {"name": "sgd", "learning_rate": 0.02},
                   "layers": [{"units": 12, "activation": "tanh"}, {"units": 2, "activation": "linear"}]},
    "frozen": {"name": "fit_frozen", "inputs": 3, "loss": "mse",
               "optimizer": {"name": "momentum", "momentum": 0.5, "learning_rate": 0.05},
               "layers": [{"units": 5, "activation": "tanh", "trainable": False},
                          {"units": 4, "activation": "relu"}, {"units": 2, "activation": "linear"}]},
}


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """``kind`` -> (the NumPy module's names, the compiled module), its functions cached in a temporary folder."""
    folder = tmp_path_factory.mktemp("compiled_fit")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numba.config, "CACHE_DIR", str(folder / "cache"))
        built = {}

        def build(kind):
            if kind not in built:
                spec = spec_of(SPECS[kind])
                built[kind] = module_of(spec), load_compiled(spec, folder)
            return built[kind]

        yield build


def data(kind, rows, seed):
    """Inputs and targets for ``kind``: class labels from a rule for the classifier, noisy sines otherwise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 3))
    if kind == "classifier":
        return x, np.argmax(x + 0.3 * rng.normal(size=x.shape), axis=1)
    return x, np.column_stack([np.sin(x[:, 0] + x[:, 1]), x[:, 2] ** 2]) + 0.1 * rng.normal(size=(rows, 2))


def both_fits(modules, kind, **options):
    """``fit`` of the NumPy and of the compiled module on the same data, from the same parameters."""
    reference, compiled = modules(kind)
    x, y = data(kind, 40, 1)
    x_val, y_val = data(kind, 15, 2)
    options = {"epochs": 12, "batch_size": 8, "shuffle": True, "rng": 3, "x_val": x_val, "y_val": y_val,
               "verbose": 0, **options}
    params = reference["init_params"](0)
    return reference["fit"](params, x, y, **options), compiled.fit(params, x, y, **options)


def assert_same(expected, result):
    """Equal histories and parameters, to a relative ``RTOL``; the same best and stopping epochs."""
    (expected_params, expected_history), (params, history) = expected, result
    assert history.keys() == expected_history.keys()
    for key, values in expected_history.items():
        if isinstance(values, list):
            assert len(history[key]) == len(values)
            np.testing.assert_allclose(history[key], values, rtol=RTOL, err_msg=key)
        else:
            assert history[key] == values, key
    assert params.keys() == expected_params.keys()
    for name, value in expected_params.items():
        np.testing.assert_allclose(params[name], value, rtol=RTOL, atol=1e-15, err_msg=name)


def test_a_classifier_with_momentum_fits_as_the_numpy_module_does(modules):
    expected, result = both_fits(modules, "classifier", metrics="accuracy")
    assert len(result[1]["val_accuracy"]) == 12
    assert_same(expected, result)


def test_a_squared_error_regression_fits_as_the_numpy_module_does(modules):
    assert_same(*both_fits(modules, "regression"))


def test_a_frozen_layer_stays_and_the_rest_fits_as_the_numpy_module_does(modules):
    expected, result = both_fits(modules, "frozen")
    reference, _ = modules("frozen")
    np.testing.assert_array_equal(result[0]["w1"], reference["init_params"](0)["w1"])
    assert_same(expected, result)


def test_fit_with_frozen_given_fits_as_the_numpy_module_does(modules):
    assert_same(*both_fits(modules, "regression", frozen=2))


def test_early_stopping_picks_the_same_epoch_on_both_targets(modules):
    expected, result = both_fits(modules, "regression", epochs=400, batch_size=4, patience=5)
    assert result[1]["stopped_epoch"] is not None
    assert_same(expected, result)


def test_integer_labels_stand_for_target_rows_in_the_compiled_trainer(modules):
    reference, compiled = modules("classifier")
    x, labels = data("classifier", 10, 4)
    params = reference["init_params"](0)
    rows = np.eye(3)[labels]
    assert compiled.Trainer(params).train_step(x, labels) == compiled.Trainer(params).train_step(x, rows)
