"""End to end: a network generated from a spec learns Fisher's iris species from integer labels.

``symprop.load_iris()`` gives the 150 flowers.  A fixed shuffle keeps 105
for training and 45 for the test; the features are standardised by the
training rows' mean and deviation.  ``fit`` trains with
``metrics=("accuracy",)``; the held-out accuracy is counted here, flower by flower.
"""

import numpy as np
import pytest

import symprop

from network_modules import module_of, spec_of

#: 4 measurements -> 16 tanh units -> 3 logits, softmax cross-entropy, momentum.
SPEC = {"name": "iris", "inputs": 4, "loss": "softmax_neg_log_likelihood",
        "optimizer": {"name": "momentum", "learning_rate": 0.05, "momentum": 0.9},
        "layers": [{"units": 16, "activation": "tanh", "weight_init": "glorot_uniform"},
                   {"units": 3, "activation": "linear", "weight_init": "glorot_uniform"}]}
#: The held-out accuracy the trained network must reach: 42 of the 45 test flowers.
REQUIRED = 42 / 45


@pytest.fixture(scope="module")
def trained():
    """The module, its trained parameters, history and the test split."""
    features, species = symprop.load_iris()
    order = np.random.default_rng(0).permutation(len(features))
    train, test = order[:105], order[105:]
    mean, deviation = features[train].mean(axis=0), features[train].std(axis=0)
    x = (features - mean) / deviation
    module = module_of(spec_of(SPEC))
    params, history = module["fit"](module["init_params"](0), x[train], species[train], 100, batch_size=16,
                                    shuffle=True, rng=1, metrics=("accuracy",), verbose=0)
    return module, params, history, x[test], species[test]


def test_the_data_holds_150_flowers_of_3_species_50_each():
    features, species = symprop.load_iris()
    assert features.shape == (150, 4) and species.dtype == np.int64
    assert [int((species == s).sum()) for s in (0, 1, 2)] == [50, 50, 50]


def test_the_first_flower_is_fishers_first_setosa():
    features, species = symprop.load_iris()
    assert features[0].tolist() == [5.1, 3.5, 1.4, 0.2] and species[0] == 0


def test_fit_records_the_training_accuracy_of_every_epoch(trained):
    _, _, history, _, _ = trained
    assert len(history["accuracy"]) == 100 and history["accuracy"][-1] > history["accuracy"][0]


def test_the_trained_network_classifies_the_held_out_flowers(trained):
    module, params, _, x_test, y_test = trained
    probabilities = module["predict_proba"](params, x_test)
    right = 0
    for row, label in zip(probabilities, y_test):
        right += int(max(range(3), key=lambda column: row[column]) == label)
    assert right / len(y_test) >= REQUIRED


def test_accuracy_agrees_with_the_count_of_the_held_out_flowers(trained):
    module, params, _, x_test, y_test = trained
    classes = module["predict_classes"](params, x_test)
    assert module["accuracy"](params, x_test, y_test) == sum(int(c == y) for c, y in zip(classes, y_test)) / 45
