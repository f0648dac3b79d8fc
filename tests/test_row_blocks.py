"""``codegen.row_blocks``: which in-place calls a ``Trainer``'s threads may split over rows, and how they are printed.

The calls are made here by hand with their records (``buffers.Call``), as
``codegen.inplace`` records them; the printed module is checked for the
calls that must never be split.
"""

import re

from sympy import Symbol

from codegen.buffers import Call
from codegen.generate import render_network
from codegen.row_blocks import row_blocks
from derive.catalog.registry import CATALOG
from network_modules import spec_of

N = Symbol("N")
SHAPES = {"x": (N, 4), "w": (3, 4), "b": (1, 3), "z": (N, 3), "h": (N, 3), "m": (N, 1), "g": (1, 3), "out": (N, 3)}


def rowwise(text: str, writes: str, *reads: str) -> Call:
    return Call(text, frozenset(reads), writes, rowwise=True)


DOT = Call("np.dot(x, w.T, out=z)", frozenset({"x", "w"}), "z", product=True)
ADD = rowwise("np.add(z, b, out=z)", "z", "z", "b")
EXP = rowwise("np.exp(z, out=h)", "h", "z")
ROW_SUM = rowwise("h.sum(axis=1, keepdims=True, out=m)", "m", "h")
COLUMN_SUM = Call("h.sum(axis=0, keepdims=True, out=g)", frozenset({"h"}), "g")


def test_a_run_of_row_wise_calls_is_one_block_of_its_batch_row_arrays_then_the_rest_it_reads():
    blocks = row_blocks([DOT, ADD, EXP, ROW_SUM], SHAPES, N)
    assert blocks.lines == ["np.dot(x, w.T, out=z)", "self._rows(self._rows0, 7, (z, h, m), b)"]
    assert blocks.functions == [[
        "def _rows0(z, h, m, b):",
        "    np.add(z, b, out=z)",
        "    np.exp(z, out=h)",
        "    h.sum(axis=1, keepdims=True, out=m)",
    ]]


def test_a_block_of_one_batch_row_array_passes_it_in_a_tuple():
    assert row_blocks([EXP], {**SHAPES, "z": (N, 3)}, N).lines == ["self._rows(self._rows0, 3, (h, z))"]
    assert row_blocks([rowwise("np.exp(h, out=h)", "h", "h")], SHAPES, N).lines == [
        "self._rows(self._rows0, 3, (h,))"]


def test_a_scalar_a_block_reads_is_passed_after_its_arrays():
    scale = rowwise("np.multiply(h, _t0*learning_rate, out=h)", "h", "h", "_t0", "learning_rate")
    blocks = row_blocks([scale], SHAPES, N)
    assert (blocks.lines, blocks.functions[0][0]) == (
        ["self._rows(self._rows0, 3, (h,), _t0, learning_rate)"], "def _rows0(h, _t0, learning_rate):")


def test_a_size_a_block_reads_is_passed_though_its_call_records_arrays_alone():
    per_entry = rowwise("np.divide(h, C*N, out=h)", "h", "h")
    assert row_blocks([per_entry], SHAPES, N).lines == ["self._rows(self._rows0, 3, (h,), C, N)"]


def test_a_sum_down_the_rows_ends_a_block_and_runs_unsplit():
    blocks = row_blocks([ADD, COLUMN_SUM, EXP], SHAPES, N)
    assert blocks.lines == ["self._rows(self._rows0, 3, (z,), b)", "h.sum(axis=0, keepdims=True, out=g)",
                            "self._rows(self._rows1, 3, (h, z))"]
    assert [function[0] for function in blocks.functions] == ["def _rows0(z, b):", "def _rows1(h, z):"]


def test_a_row_wise_call_writing_an_array_of_no_batch_rows_runs_unsplit():
    halve = rowwise("np.multiply(g, 0.5, out=g)", "g", "g")
    assert row_blocks([halve], SHAPES, N).lines == ["np.multiply(g, 0.5, out=g)"]


def test_a_binding_and_a_scalar_of_no_array_inside_a_run_move_before_its_block():
    bind = Call("out = h", frozenset({"h"}), binds="out")
    scalar = Call("_t0 = 1/N", frozenset({"N"}))
    use = rowwise("np.negative(out, out=out)", "out", "out")
    lines = row_blocks([EXP, bind, scalar, use], SHAPES, N).lines
    assert lines == ["out = h", "_t0 = 1/N", "self._rows(self._rows0, 6, (h, z, out))"]


def test_a_scalar_read_from_an_array_ends_a_block():
    cost = Call("cost = h.sum()", frozenset({"h"}))
    lines = row_blocks([EXP, cost, EXP], SHAPES, N).lines
    assert lines.index("cost = h.sum()") == 1


def test_a_comment_closing_a_run_stays_with_the_call_after_it():
    comment = Call("# z = x @ w.T", comment=True)
    lines = row_blocks([EXP, comment, DOT], SHAPES, N).lines
    assert lines[-2:] == ["# z = x @ w.T", "np.dot(x, w.T, out=z)"]


def test_widest_is_the_columns_the_widest_block_writes_a_row():
    assert row_blocks([ADD, EXP, ROW_SUM, DOT, ADD], SHAPES, N).widest == 7


def test_calls_with_nothing_to_split_give_no_block():
    assert row_blocks([DOT, COLUMN_SUM], SHAPES, N).widest == 0


def blocks_of(source: str) -> list[str]:
    """The calls in the ``_rowsK`` block functions of a printed module, comments left out."""
    bodies = re.findall(r"def _rows\d+\(.*\):\n((?:        .*\n)+)", source)
    return ["".join(line for line in body.splitlines(True) if not line.strip().startswith("#")) for body in bodies]


def test_no_block_of_a_printed_dropout_network_holds_a_product_a_sum_down_the_rows_or_a_draw():
    layers = [{"units": 4, "activation": "tanh", "dropout": 0.5, "batch_norm": True, "bias": "none"},
              {"units": 2, "activation": "linear"}]
    source = render_network(spec_of({"name": "net", "inputs": 3, "layers": layers,
                                     "loss": "softmax_neg_log_likelihood"}), CATALOG)
    bodies = blocks_of(source)
    assert bodies and "rng.random(" in source
    for body in bodies:
        assert "np.dot(" not in body and "axis=0" not in body and "rng.random(" not in body and ".sum()" not in body


def test_comments_closing_a_run_keep_their_order():
    first, second = Call("# first", comment=True), Call("# second", comment=True)
    assert row_blocks([EXP, first, second, DOT], SHAPES, N).lines[-3:-1] == ["# first", "# second"]


def test_the_printed_trainer_defines_its_blocks_once_as_static_methods_and_its_step_defines_none():
    layers = [{"units": 4, "activation": "tanh"}, {"units": 2, "activation": "linear"}]
    source = render_network(spec_of({"name": "net", "inputs": 3, "layers": layers, "loss": "mse"}), CATALOG)
    namespace = {}
    exec(compile(source, "net", "exec"), namespace)
    trainer = namespace["Trainer"]
    blocks = [name for name in vars(trainer) if re.fullmatch(r"_rows\d+", name)]
    assert blocks and all(isinstance(vars(trainer)[name], staticmethod) for name in blocks)
    step = re.split(r"\n(?:    )?def ", source.split("\n    def train_step(", 1)[1], maxsplit=1)[0]
    assert "self._rows(self._rows0" in step and "def " not in step
