"""``Trainer(params, threads=...)``: the step's row-wise work shared by threads gives the one-thread result, bit for bit.

Each comparison trains two trainers from the same parameters on the same
data, one with ``threads=1`` (the straight-line step) and one with threads
and ``split_size = 0`` (every block split, however small the batch), and
asserts ``np.array_equal`` on every cost, parameter and velocity.
"""

import gc
import os
import threading
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import generated.example2 as example2
from network_modules import module_of, spec_of
from test_random_networks import LOSSES, random_params, random_spec, targets


def trained(trainer_class, params, x, y, threads, split_size=0, steps=3, **options):
    """Each step's cost, then every parameter and velocity, of a trainer that splits blocks of ``split_size``."""
    trainer = trainer_class(params, threads=threads, **options)
    trainer.split_size = split_size
    costs = [trainer.train_step(x, y, 0.1) for _ in range(steps)]
    arrays = {**trainer.copy_params(), **{name: v.copy() for name, v in getattr(trainer, "state", {}).items()}}
    trainer.close()
    return costs, arrays


def assert_same_bits(one, other):
    (costs, arrays), (other_costs, other_arrays) = one, other
    assert costs == other_costs
    assert arrays.keys() == other_arrays.keys()
    for name in arrays:
        assert np.array_equal(arrays[name], other_arrays[name]), name


def softmax_network(optimizer="sgd", **first_layer):
    layers = [{"units": 5, "activation": "tanh", **first_layer}, {"units": 3, "activation": "linear"}]
    return module_of(spec_of({"name": "net", "inputs": 4, "layers": layers, "loss": "softmax_neg_log_likelihood",
                              "optimizer": {"name": optimizer, **({"momentum": 0.9} if optimizer == "momentum" else {})}}))


def softmax_data(rows=41, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(rows, 4)), np.eye(3)[rng.integers(0, 3, size=rows)]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("loss", LOSSES)
def test_two_threads_give_the_one_thread_result_bit_for_bit_for_every_loss(loss, seed):
    module = module_of(random_spec(loss, seed))
    rng = np.random.default_rng(seed)
    params = random_params(module, rng)
    x, y = rng.normal(size=(37, 2)), targets(loss, rng, 37)
    assert_same_bits(trained(module["Trainer"], params, x, y, 1), trained(module["Trainer"], params, x, y, 2))


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_three_threads_on_uneven_row_blocks_give_the_one_thread_result(activation):
    module = module_of(spec_of({"name": "net", "inputs": 4, "loss": "softmax_neg_log_likelihood",
                                "layers": [{"units": 6, "activation": activation}, {"units": 3, "activation": "linear"}]}))
    params, (x, y) = module["init_params"](1), softmax_data(rows=40)
    assert_same_bits(trained(module["Trainer"], params, x, y, 1), trained(module["Trainer"], params, x, y, 3))


def test_example_2_above_its_split_size_starts_a_thread_and_gives_the_one_thread_result():
    params = example2.init_params(0)
    rows = -(-example2.Trainer(params, threads=2).split_size // 24) + 1  # Example 2's widest block writes 24 columns
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(rows, 3)), np.eye(3)[rng.integers(0, 3, size=rows)]
    trainer = example2.Trainer(params, threads=2)
    before = threading.active_count()
    trainer.train_step(x, y)
    assert threading.active_count() == before + 1
    trainer.close()
    default = trained(example2.Trainer, params, x, y, 2, split_size=trainer.split_size)
    assert_same_bits(trained(example2.Trainer, params, x, y, 1), default)


def test_momentum_velocities_are_the_one_thread_ones_bit_for_bit():
    module = softmax_network("momentum")
    params, (x, y) = module["init_params"](0), softmax_data()
    assert_same_bits(trained(module["Trainer"], params, x, y, 1), trained(module["Trainer"], params, x, y, 2))


def test_batch_normalisation_splits_around_its_batch_statistics_and_keeps_the_bits():
    module = softmax_network(batch_norm=True, bias="none")
    params, (x, y) = module["init_params"](0), softmax_data()
    assert_same_bits(trained(module["Trainer"], params, x, y, 1), trained(module["Trainer"], params, x, y, 2))


def test_dropout_masks_drawn_unsplit_keep_the_bits():
    module = softmax_network(dropout=0.25)
    params, (x, y) = module["init_params"](0), softmax_data()
    assert_same_bits(trained(module["Trainer"], params, x, y, 1, rng=7), trained(module["Trainer"], params, x, y, 2, rng=7))


@pytest.mark.parametrize("threads", [0, -1, 1.5, "2", True])
def test_threads_other_than_none_or_an_integer_of_at_least_1_are_a_one_line_value_error(threads):
    with pytest.raises(ValueError, match=r"^threads: expected None \(one per core\) or an integer >= 1, got ") as error:
        example2.Trainer(example2.init_params(0), threads=threads)
    assert "\n" not in str(error.value)


def test_threads_none_is_one_per_core_the_process_may_use():
    assert example2.Trainer(example2.init_params(0)).threads == len(os.sched_getaffinity(0))


def test_one_thread_starts_no_thread_even_when_every_block_would_split():
    params, (x, y) = example2.init_params(0), softmax_data(rows=50, seed=1)
    trainer, before = example2.Trainer(params, threads=1), threading.active_count()
    trainer.split_size = 0
    trainer.train_step(x[:, :3], y)
    assert threading.active_count() == before


def test_close_ends_the_threads_and_a_later_step_starts_them_again():
    params, (x, y) = example2.init_params(0), softmax_data(rows=50, seed=1)
    before = threading.active_count()
    trainer = example2.Trainer(params, threads=2)
    trainer.split_size = 0
    trainer.train_step(x[:, :3], y)
    trainer.close()
    assert threading.active_count() == before
    trainer.train_step(x[:, :3], y)
    assert threading.active_count() == before + 1
    trainer.close()


def test_a_deleted_trainer_leaves_no_thread_behind():
    params, (x, y) = example2.init_params(0), softmax_data(rows=50, seed=1)
    before = threading.active_count()
    trainer = example2.Trainer(params, threads=2)
    trainer.split_size = 0
    trainer.train_step(x[:, :3], y)
    del trainer
    gc.collect()
    assert threading.active_count() == before


def test_the_default_split_size_is_the_one_the_readme_states():
    split_size = example2.Trainer(example2.init_params(0), threads=2).split_size
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert split_size == 2 ** (split_size.bit_length() - 1)
    assert f"default 2**{split_size.bit_length() - 1})" in readme


def test_a_split_step_allocates_less_than_a_batch_and_a_numpy_buffer_per_thread():
    module = module_of(spec_of({"name": "alloc", "inputs": 8, "loss": "mse", "layers": [
        {"units": 16, "activation": "gelu"}, {"units": 3, "activation": "linear"}]}))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4096, 8)), rng.normal(size=(4096, 3))
    trainer = module["Trainer"](module["init_params"](0), threads=2)
    trainer.split_size = 0
    trainer.train_step(x, y, 0.01)
    tracemalloc.start()
    try:
        trainer.train_step(x, y, 0.01)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        trainer.close()
    assert peak < y.nbytes + 2 * np.getbufsize() * 8, peak
