"""``codegen.operations``: the one lowering both NumPy printers read."""

import ast
from math import erf, sqrt
from pathlib import Path

import numpy as np
from sympy import MatrixSymbol, Symbol, exp, log

from codegen.buffers import Buffers
from codegen.emit import Body
from codegen.inplace import InplaceBody
from codegen.lowering import size_bindings
from codegen.operations import Operation, Shapes, lower_statements
from derive.core.functions import NormalCDF
from derive.core.symbols import C, N

ROOT = Path(__file__).resolve().parent.parent
X, Y = Symbol("x", real=True), Symbol("y", real=True)


def _erf_cdf(values):
    """The normal CDF from ``math.erf``: the functional printer's ``_normal_cdf`` helper, independently."""
    return np.vectorize(lambda v: (1 + erf(v / sqrt(2))) / 2)(values)


def names():
    return (Symbol(f"_t{n}") for n in range(10**6))


def test_a_subexpression_two_statements_share_is_one_temporary_placed_before_the_first_reader():
    operations = lower_statements([("a", exp(X) + 1, False), ("b", exp(X) * Y, False)], names())
    assert [o.target for o in operations] == ["_t0", "a", "b"]
    assert operations[0].expr == exp(X) and operations[0].origin == "a"
    assert operations[2].reads == {"_t0", "y"}


def test_written_out_replaces_a_function_by_its_operations():
    (kept,) = lower_statements([("a", NormalCDF(X), False)], names())
    assert kept.expr == NormalCDF(X)
    written = lower_statements([("a", NormalCDF(X), False)], names(), written_out=True)
    assert not any(o.expr.has(NormalCDF) for o in written)
    assert written[-1].target == "a"


def test_a_name_for_an_existing_array_is_an_alias_and_a_parameter_update_is_not():
    w = Symbol("w", real=True)
    alias, update = lower_statements([("out", X, False), ("w", w, True)], names())
    assert alias.is_alias and not update.is_alias


def test_a_matrix_statement_is_one_operation_as_derived():
    w = MatrixSymbol("w", 3, 2)
    (operation,) = lower_statements([("z", MatrixSymbol("x", N, 3) * w, False)], names())
    assert operation == Operation("z", MatrixSymbol("x", N, 3) * w, False, "z")


def test_shapes_broadcast_a_row_against_a_matrix():
    shapes = Shapes({"x": (N, 3), "b": (1, 3), "s": (N, 1)})
    b, s = Symbol("b", real=True), Symbol("s", real=True)
    assert shapes.of(X + b) == (N, 3)
    assert shapes.of(b * s) == (N, 3)
    assert shapes.of(Symbol("lr") * 2) == ()


def test_a_size_is_bound_only_where_a_printed_expression_reads_it():
    assert size_bindings([X / N], "x", "y") == [("N", "x.shape[0]")]
    assert size_bindings([X / C, X], "p", "p") == [("C", "p.shape[1]")]
    assert size_bindings([X + 1], "x", "y") == []


def test_both_printers_compute_the_same_values_from_one_lowering():
    statements = [("a", log(1 + exp(X)) * exp(X), False), ("b", exp(X) / (1 + exp(X)) + NormalCDF(X), False)]
    values = np.array([[-3.0, -0.5, 0.0], [0.25, 2.0, 7.5]])
    body = Body()
    for target, expr, _ in statements:
        body.assign(target, expr)
    functional = {"x": values}
    exec("\n".join(f"{s.target} = {s.code}" for s in body.statements), {"np": np, "_normal_cdf": _erf_cdf}, functional)
    inplace = InplaceBody({"x": (N, 3)}, Buffers())
    inplace.assign_all(statements)
    work = {name: np.empty((2, 3), dtype=dtype) for name, (_, dtype) in inplace.buffers.shapes.items()}
    exec("\n".join(inplace.lines), {"np": np, "x": values, **work})
    np.testing.assert_allclose(functional["a"], np.log1p(np.exp(values)) * np.exp(values), rtol=1e-14)
    np.testing.assert_allclose(work["a"], functional["a"], rtol=1e-14)
    np.testing.assert_allclose(work["b"], 1 / (1 + np.exp(-values)) + _erf_cdf(values), rtol=1e-14)


def test_in_place_code_states_each_array_statement_in_a_comment_before_its_calls():
    inplace = InplaceBody({"x": (N, 3)}, Buffers())
    inplace.assign_all([("a", exp(X) * 2, False), ("b", exp(X) + 1, False)])
    comments = [line for line in inplace.lines if line.startswith("#")]
    assert comments == ["# a = 2*np.exp(x)", "# b = np.exp(x) + 1"]
    assert inplace.lines.index("# a = 2*np.exp(x)") == 0


def test_only_the_lowering_shares_subexpressions():
    """No printer runs its own ``cse``: temporaries come from ``operations`` (and the forms it writes out)."""
    calling = set()
    for path in (ROOT / "codegen").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "cse" for n in ast.walk(tree)):
            calling.add(path.name)
    assert calling == {"operations.py", "inplace_forms.py"}
