"""Classifier modules: probabilities, classes and accuracy; integer labels standing for target rows."""

import numpy as np
import pytest

from classifiers import (
    argmax_rows, binary, example2, example2_params, inputs, labels, logistic, one_hot, softmax_rows,
)
from generated import example1

X = inputs(12, 3)
LABELS = labels(12, 3)
Y = one_hot(LABELS, 3)


def test_example2_probabilities_are_the_softmax_of_its_logits():
    params = example2_params()
    expected = softmax_rows(example2.predict(params, X))
    np.testing.assert_allclose(example2.predict_proba(params, X), expected, rtol=1e-13)


def test_example2_classes_are_the_argmax_of_its_logits():
    params = example2_params()
    assert example2.predict_classes(params, X).tolist() == argmax_rows(example2.predict(params, X)).tolist()


def test_example2_accuracy_is_the_fraction_of_rows_whose_class_is_right():
    params = example2_params()
    logits = example2.predict(params, X)
    right = sum(1 for row, label in zip(logits, LABELS) if argmax_rows([row])[0] == label)
    assert example2.accuracy(params, X, LABELS) == pytest.approx(right / len(X), abs=0)


def test_example2_accuracy_takes_one_hot_targets_as_well_as_labels():
    params = example2_params()
    assert example2.accuracy(params, X, Y) == example2.accuracy(params, X, LABELS)


def test_example2_has_three_classes():
    assert example2.CLASSES == 3


def test_a_squared_error_module_has_no_classification_functions():
    assert not any(hasattr(example1, name) for name in ("predict_proba", "predict_classes", "accuracy"))


def test_a_squared_error_module_has_no_classes():
    assert example1.CLASSES is None


def test_integer_labels_give_the_cost_of_their_one_hot_rows():
    out = example2.predict(example2_params(), X)
    assert example2.loss(LABELS, out) == example2.loss(Y, out)


def test_integer_labels_give_the_gradients_of_their_one_hot_rows():
    params = example2_params()
    cache = example2.forward(params, X, training=True)
    from_labels, from_rows = example2.backward(params, X, LABELS, cache), example2.backward(params, X, Y, cache)
    assert all(np.array_equal(from_labels[name], from_rows[name]) for name in from_rows)


def test_integer_labels_give_the_train_step_of_their_one_hot_rows():
    params = example2_params()
    (stepped, cost), (expected, expected_cost) = example2.train_step(params, X, LABELS), example2.train_step(params, X, Y)
    assert cost == expected_cost and all(np.array_equal(stepped[name], expected[name]) for name in expected)


def test_integer_labels_give_the_trainer_step_of_their_one_hot_rows():
    params = example2_params()
    with_labels, with_rows = example2.Trainer(params), example2.Trainer(params)
    assert with_labels.train_step(X, LABELS, 0.1) == with_rows.train_step(X, Y, 0.1)
    assert np.array_equal(with_labels.flat, with_rows.flat)


def test_integer_labels_give_the_fit_of_their_one_hot_rows():
    params = example2_params()
    _, from_labels = example2.fit(params, X, LABELS, 3, x_val=X, y_val=LABELS, verbose=0)
    _, from_rows = example2.fit(params, X, Y, 3, x_val=X, y_val=Y, verbose=0)
    assert from_labels == from_rows


def test_integer_labels_give_the_gradient_check_of_their_one_hot_rows():
    params = example2_params()
    assert example2.gradient_check(params, X[:2], LABELS[:2]) == example2.gradient_check(params, X[:2], Y[:2])


@pytest.mark.parametrize("label", [-1, 3])
def test_a_label_out_of_range_is_a_value_error_naming_the_accepted_labels(label):
    given = np.array([0, 1, label])
    message = r"y: expected integer class labels \(a 1-D array of N integers in 0\.\.2\) or targets of shape \(N, 3\)"
    with pytest.raises(ValueError, match=message + f", got label {label} at index 2"):
        example2.train_step(example2_params(), X[:3], given)


def test_float_labels_are_a_value_error_naming_the_accepted_labels():
    with pytest.raises(ValueError, match=r"y: expected integer class labels .* got a 1-D array of dtype float64"):
        example2.loss(np.array([0.0, 1.0]), np.zeros((2, 3)))


def test_a_validation_label_out_of_range_is_a_value_error_naming_y_val():
    with pytest.raises(ValueError, match=r"y_val: expected integer class labels .* got label 7 at index 0"):
        example2.fit(example2_params(), X, LABELS, 1, x_val=X[:1], y_val=np.array([7]), verbose=0)


def test_labels_of_another_length_than_x_are_a_value_error():
    with pytest.raises(ValueError, match=r"y: expected 12 rows like x, got shape \(2, 3\)"):
        example2.accuracy(example2_params(), X, np.array([0, 1]))


def test_a_sigmoid_module_has_two_classes_for_its_one_output():
    assert binary()["CLASSES"] == 2


def test_sigmoid_probabilities_are_the_logistic_of_the_logits():
    module = binary()
    params, x = module["init_params"](0), inputs(10, 2)
    np.testing.assert_allclose(module["predict_proba"](params, x), logistic(module["predict"](params, x)), rtol=1e-13)


def test_sigmoid_classes_are_one_where_the_logit_is_not_negative():
    module = binary()
    params, x = module["init_params"](0), inputs(40, 2)
    expected = [1 if logit >= 0 else 0 for logit in module["predict"](params, x)[:, 0]]
    assert module["predict_classes"](params, x).tolist() == expected


def test_sigmoid_integer_labels_give_the_cost_of_their_column():
    module = binary()
    params, x, given = module["init_params"](0), inputs(10, 2), labels(10, 2)
    out = module["predict"](params, x)
    assert module["loss"](given, out) == module["loss"](given.reshape(-1, 1).astype(float), out)


def test_sigmoid_label_2_is_a_value_error_naming_the_two_classes():
    module = binary()
    with pytest.raises(ValueError, match=r"in 0\.\.1\) or targets of shape \(N, 1\), got label 2 at index 1"):
        module["accuracy"](module["init_params"](0), inputs(2, 2), np.array([0, 2]))


def test_a_probability_loss_takes_its_outputs_as_the_probabilities():
    from network_modules import module_of, spec_of
    module = module_of(spec_of({"name": "bce", "inputs": 2, "loss": "binary_cross_entropy",
                                "layers": [{"units": 3, "activation": "sigmoid"}]}))
    params, x = module["init_params"](0), inputs(5, 2)
    assert np.array_equal(module["predict_proba"](params, x), module["predict"](params, x))
