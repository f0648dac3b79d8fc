"""The classifier comparison splits every dataset the same way for symprop and scikit-learn."""

import numpy as np

from bench.classifiers import PROBLEMS, data, module, split


def test_the_split_is_60_20_20_of_disjoint_rows_covering_the_data():
    x, labels = data("iris")
    rows = np.arange(len(x), dtype=np.float64)[:, None]
    sets = split(np.hstack([rows, x]), labels, seed=3)
    taken = [set(np.round(sets[part][0][:, 0], 9)) for part in ("train", "val", "test")]  # the rows, standardised
    assert [len(part) for part in taken] == [90, 30, 30]
    assert len(set.union(*taken)) == 150


def test_features_are_standardised_by_the_training_rows_alone():
    x, labels = data("iris")
    sets = split(x, labels, seed=0)
    train = sets["train"][0]
    assert np.allclose(train.mean(axis=0), 0, atol=1e-12) and np.allclose(train.std(axis=0), 1)
    assert not np.allclose(sets["test"][0].mean(axis=0), 0, atol=1e-12)


def test_the_same_seed_gives_the_same_split():
    x, labels = data("iris")
    first, second = split(x, labels, seed=7), split(x, labels, seed=7)
    assert all(np.array_equal(first[part][1], second[part][1]) for part in first)


def test_each_problems_spec_generates_a_classifier_of_its_datas_width():
    x, _ = data("iris")
    net = module(PROBLEMS["iris"][0])
    assert net["INPUTS"] == x.shape[1] and net["CLASSES"] == 3
