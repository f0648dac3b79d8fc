"""``codegen/runtime/trainer_threads.py`` runs as written: a block on the whole arrays, or on row blocks in threads."""

import numpy as np
import pytest

from codegen.runtime.trainer_threads import Trainer


def runner(threads: int, split_size: int) -> Trainer:
    trainer = Trainer()
    trainer._start_threads(threads)
    trainer.split_size = split_size
    return trainer


def seen_rows(trainer: Trainer, rows: int, width: int) -> list[list[int]]:
    """The row numbers of each piece the block was called with, in row order."""
    pieces = []
    trainer._rows(lambda numbers, copy: pieces.append(numbers[:, 0].tolist()), width,
                  (np.arange(rows).reshape(rows, 1), np.zeros((rows, 1))))
    trainer.close()
    return sorted(pieces)


def test_a_block_below_split_size_runs_once_on_the_whole_arrays():
    assert seen_rows(runner(2, 100), 10, 9) == [list(range(10))]


def test_a_block_at_split_size_runs_on_contiguous_row_blocks_one_per_thread():
    assert seen_rows(runner(3, 100), 10, 10) == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]


def test_each_row_block_writes_its_own_rows_of_the_output():
    trainer, values, out = runner(2, 0), np.arange(12.0).reshape(6, 2), np.empty((6, 2))
    trainer._rows(lambda v, o: np.multiply(v, 2, out=o), 2, (values, out))
    trainer.close()
    assert out.tolist() == (2 * values).tolist()


def test_every_row_block_gets_the_shared_arguments_whole():
    trainer, values, out = runner(3, 0), np.arange(12.0).reshape(6, 2), np.empty((6, 2))
    bias = np.array([[10.0, 20.0]])
    trainer._rows(lambda v, o, b, scale: np.multiply(v + b, scale, out=o), 2, (values, out), bias, 3.0)
    trainer.close()
    assert out.tolist() == [[3 * (v + b) for v, b in zip(row, [10.0, 20.0])] for row in values.tolist()]


def test_an_error_in_a_worker_block_is_raised_once_every_block_has_run():
    trainer, done = runner(2, 0), []

    def block(numbers):
        done.append(int(numbers[0, 0]))
        if numbers[0, 0] > 0:
            raise FloatingPointError("in a worker")

    with pytest.raises(FloatingPointError, match="in a worker"):
        trainer._rows(block, 1, (np.arange(4).reshape(4, 1),))
    trainer.close()
    assert sorted(done) == [0, 2]


def test_a_worker_block_runs_under_the_callers_errstate():
    trainer = runner(2, 0)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        trainer._rows(lambda v: np.exp(v, out=v), 1, (np.array([[0.0], [0.0], [1000.0], [1000.0]]),))
    trainer.close()
