"""``_labels`` (codegen/runtime/network_checks.py) and the classes of network_classes.py run as written."""

import numpy as np
import pytest

from codegen.runtime.network_checks import _labels
from codegen.runtime.network_classes import _classes
from runtime_network import bind


def test_labels_become_one_hot_rows():
    expected = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert _labels("y", np.array([2, 0, 1]), 3, 3).tolist() == expected


def test_labels_of_a_single_binary_output_become_its_column():
    assert _labels("y", [1, 0, 1], 2, 1).tolist() == [[1.0], [0.0], [1.0]]


def test_target_rows_pass_through_untouched():
    rows = np.eye(3)
    assert _labels("y", rows, 3, 3) is rows


def test_without_classes_even_integer_labels_pass_through():
    given = np.array([0, 1])
    assert _labels("y", given, None, 1) is given


def test_a_label_at_the_number_of_classes_is_refused():
    with pytest.raises(ValueError, match=r"y: expected integer class labels .* 0\.\.2\) .* got label 3 at index 1"):
        _labels("y", np.array([0, 3]), 3, 3)


def test_boolean_labels_are_refused():
    with pytest.raises(ValueError, match="got a 1-D array of dtype bool"):
        _labels("y_val", np.array([True, False]), 2, 1)


def test_the_class_of_a_row_is_its_largest_column(monkeypatch):
    bind(monkeypatch, CLASSES=3, THRESHOLD=None)
    assert _classes(np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])).tolist() == [1, 0]


def test_a_single_binary_output_is_class_1_from_the_threshold_up(monkeypatch):
    bind(monkeypatch, CLASSES=2, THRESHOLD=0.5)
    assert _classes(np.array([[0.49], [0.5], [0.9]])).tolist() == [0, 1, 1]
