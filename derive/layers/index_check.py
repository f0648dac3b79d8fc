"""An exact check of derived VJPs at stated sizes: every entry against ``sympy.diff`` of the written-out sum.

At integer sizes the layer's sum is written out term by term; the loss
surrogate ``Σ G·Z`` is then an explicit polynomial in the array entries,
and ``sympy.diff`` by each entry needs no ``KroneckerDelta``.  The derived
VJP, its sizes replaced by the same integers, must give the same polynomial
at every entry: this checks delta elimination and re-indexing at those sizes.
"""

from collections.abc import Mapping
from itertools import product

from sympy import Add, Expr, Symbol, diff, expand, sympify

from derive.layers.index_calculus import IndexForm, IndexedLayer

__all__ = ["matches_written_out"]


def _entries(indices: tuple[Symbol, ...], ranges: Mapping) -> list[dict]:
    """Every assignment of integers to ``indices`` within their (integer) ranges."""
    spans = [range(int(ranges[a][0]), int(ranges[a][1]) + 1) for a in indices]
    return [dict(zip(indices, values)) for values in product(*spans)]


def matches_written_out(layer: IndexedLayer, vjps: Mapping[str, IndexForm], sizes: Mapping[Symbol, int],
                        input_ranges: Mapping[str, Mapping]) -> bool:
    """True when each VJP, at ``sizes``, equals ``diff(Σ G·Z, entry)`` at every entry of its array.

    ``input_ranges`` gives, per array name, the range of each index of its
    VJP's target (in the layer's size symbols).
    """
    sized = lambda e: sympify(e).xreplace(sizes)  # noqa: E731
    ranges = {a: (sized(lo), sized(hi)) for a, (lo, hi) in layer.ranges.items()}
    over = layer.over or layer.output.indices
    output, definition = sized(layer.output), sized(layer.definition)
    surrogate = Add(*(
        layer.upstream[output.xreplace(at).indices] * definition.xreplace(at).doit() for at in _entries(over, ranges)
    ))
    for name, form in vjps.items():
        bounds = {a: (sized(lo), sized(hi)) for a, (lo, hi) in input_ranges[name].items()}
        rhs = sized(form.expr)
        array = next(a for a in layer.inputs if str(a.label) == name)
        for at in _entries(form.target.indices, bounds):
            entry = array[tuple(at[a] for a in form.target.indices)]
            if expand(_value(rhs.xreplace(at)) - diff(surrogate, entry)) != 0:
                return False
    return True


def _value(expr: Expr) -> Expr:
    """A VJP at integer indices: its sums written out, conditions decided."""
    return expand(expr.doit())
