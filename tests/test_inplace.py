"""``codegen.inplace``: which buffers may share memory, and in-place code equal to the expression it prints."""

import numpy as np
from sympy import Piecewise, S, Symbol, exp

from codegen.buffers import Buffers, Call
from codegen.inplace import InplaceBody
from derive.core.symbols import N


def buffers(*names):
    table = Buffers()
    for name in names:
        table.named(name, (N, 3))
    return table


def call(reads, writes, *, product=False):
    """A line of in-place code that reads ``reads`` (names joined by spaces) and fills ``writes``."""
    return Call(f"f({reads}, out={writes})", frozenset(reads.split()), writes, product=product)


def test_an_elementwise_line_may_write_into_the_buffer_it_reads_last():
    table = buffers("a", "b")
    holder = table.storage([call("x", "a"), call("a", "b"), call("b", "b")])
    assert holder == {"a": "a", "b": "a"}


def test_a_product_never_writes_into_a_buffer_it_reads():
    table = buffers("a", "b")
    holder = table.storage([call("x", "a"), call("a w", "b", product=True)])
    assert holder == {"a": "a", "b": "b"}


def test_buffers_in_use_at_once_never_share():
    table = buffers("a", "b", "c")
    holder = table.storage([call("x", "a"), call("y", "b"), call("a b", "c"), call("c", "c")])
    assert holder["b"] != holder["a"] and holder["c"] in (holder["a"], holder["b"])


def test_a_name_bound_to_another_array_keeps_that_array_in_use():
    table = buffers("a", "b")
    binding = Call("out = a", frozenset({"a"}), binds="out")
    holder = table.storage([call("x", "a"), binding, call("y", "b"), call("out", "c")])
    assert holder["b"] != holder["a"]


def test_a_buffer_is_free_after_its_last_reader_whatever_the_code_of_later_lines_says():
    table = buffers("out", "b")
    # The later line's text names ``out`` (as a keyword); only what it reads and writes counts.
    holder = table.storage([call("x", "out"), call("out", "c"), call("y", "b")])
    assert holder["b"] == holder["out"]


def test_in_place_code_computes_the_expression():
    x = Symbol("x", real=True)
    expr = Piecewise((exp(x) - 1, x < 0), (x, True)) * 2 + 1 / (1 + exp(-x))
    body = InplaceBody({"x": (N, 3)}, Buffers())
    body.assign("result", expr)
    values = np.array([[-2.0, 0.0, 3.0], [0.5, -0.5, 40.0]])
    work = {name: np.empty((2, 3), dtype=dtype) for name, (_, dtype) in body.buffers.shapes.items()}
    exec("\n".join(body.lines), {"np": np, "x": values, **work})
    expected = np.where(values < 0, np.expm1(values), values) * 2 + 1 / (1 + np.exp(-values))
    np.testing.assert_allclose(work["result"], expected, rtol=1e-15)


def test_a_piecewise_statement_that_reads_its_target_computes_every_branch_first():
    w = Symbol("w", real=True)
    body = InplaceBody({"w": (N, 3)}, Buffers())
    body.assign("w", Piecewise((exp(w), w < 0), (2 * w, True)), owned=True)
    values = np.array([[-2.0, 0.0, 3.0], [0.5, -0.5, 40.0]])
    start = values.copy()
    work = {name: np.empty((2, 3), dtype=dtype) for name, (_, dtype) in body.buffers.shapes.items()}
    exec("\n".join(body.lines), {"np": np, "w": values, **work})
    np.testing.assert_array_equal(values, np.where(start < 0, np.exp(start), 2 * start))


def test_a_piecewise_branch_is_computed_just_before_it_is_copied():
    x = Symbol("x", real=True)
    body = InplaceBody({"x": (N, 3)}, Buffers())
    body.assign("result", Piecewise((exp(x), x < -1), (exp(2 * x), x < 1), (x, True)))
    copies = [index for index, line in enumerate(body.lines) if line.startswith("np.copyto(result") and "where" in line]
    assert body.lines[copies[0] - 1].startswith("np.exp(") and body.lines[copies[1] - 1].startswith("np.exp(")
    values = np.array([[-2.0, 0.0, 3.0], [0.5, -0.5, 40.0]])
    work = {name: np.empty((2, 3), dtype=dtype) for name, (_, dtype) in body.buffers.shapes.items()}
    exec("\n".join(body.lines), {"np": np, "x": values, **work})
    expected = np.where(values < -1, np.exp(values), np.where(values < 1, np.exp(2 * values), values))
    np.testing.assert_allclose(work["result"], expected, rtol=1e-15)


def test_a_number_assigned_to_a_declared_array_fills_a_buffer_of_its_shape():
    body = InplaceBody({}, Buffers(), declared={"zero": (3, 2)})
    body.assign("zero", S.Zero)
    assert body.buffers.shapes["zero"] == ((3, 2), "float64")
    work = {"zero": np.full((3, 2), np.nan)}
    exec("\n".join(body.lines), {"np": np, **work})
    np.testing.assert_array_equal(work["zero"], np.zeros((3, 2)))
