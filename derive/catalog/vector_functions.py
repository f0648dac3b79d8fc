"""Vector functions over the features of each sample, such as softmax.

A definition is an expression for output entry ``s[n, i]`` over inputs
``z[n, ...]`` with explicit ``Sum``s.  The Jacobian ``ds[n,i]/dz[n,j]`` comes
out of ``sympy.diff`` with ``KroneckerDelta``s; the vector-Jacobian product
``sum_i g[n,i] J[i,j]`` is derived from it, then rewritten in terms of the
outputs (no recomputation) and proven equal.
"""

from dataclasses import dataclass

from sympy import Expr, Indexed, IndexedBase, Sum, diff, simplify, sympify

from derive.catalog.numeric_forms import numeric
from derive.core.errors import DefinitionError
from derive.core.indexing import drop_range_guards, rename_feature
from derive.core.proof import is_zero
from derive.core.shortest_form import shortest_form
from derive.core.stable_forms import Shifted, shift_by_row_max
from derive.core.symbols import C, i, indexed, j, n
from derive.core.shown_as_math import ShownAsMath

__all__ = ["VectorFunction", "vector_function"]


@dataclass(frozen=True, repr=False)
class VectorFunction(ShownAsMath):
    """A function from a row of inputs to a row of outputs, with its derivatives.

    ``definition`` is ``s[n, i]``; ``jacobian`` is ``ds[n,i]/dz[n,j]``;
    ``jacobian_diagonal`` its ``i = j`` entry in terms of the outputs;
    ``vjp`` is ``(g J)[n, j]`` and ``vjp_output_form`` the same in ``s`` and ``g``.
    """

    name: str
    inputs: IndexedBase
    output: IndexedBase
    upstream: IndexedBase
    definition: Expr
    computed_as: Shifted
    normaliser: Expr
    jacobian: Expr
    jacobian_diagonal: Expr
    vjp: Expr
    vjp_output_form: Expr
    doc: str


def vector_function(
    name: str,
    definition: Expr,
    *,
    inputs: IndexedBase,
    output: IndexedBase,
    preimage: Expr,
    normaliser: Expr,
    doc: str = "",
) -> VectorFunction:
    """Derive a vector function from ``s[n, i] = definition``.

    ``preimage`` is an input row, written in ``output[n, i]``, that the function
    maps to that output row (for softmax, ``log(s)``: softmax ignores a shift).
    ``normaliser`` is a row sum over ``k`` of the outputs that equals 1 (for
    softmax ``Sum(s[n, k])``, for log-softmax ``Sum(exp(s[n, k]))``).  Both
    are proven, then used to write derivatives in terms of the outputs.
    """
    item = f"vector function {name!r}"
    definition = sympify(definition)
    upstream = indexed("g")
    if simplify(_in_inputs(normaliser, output, definition)) != 1:
        raise DefinitionError(item, f"the normaliser {normaliser} is not proven equal to 1")
    in_outputs = _in_outputs(inputs, output, preimage, normaliser)
    if not is_zero(in_outputs(definition) - output[n, i]):
        raise DefinitionError(item, f"preimage {preimage} is not mapped back to {output.label}[n, i]")

    jacobian = diff(definition, inputs[n, j])
    diagonal = drop_range_guards(rename_feature(jacobian, i, j).doit())
    vjp = drop_range_guards(simplify(Sum(upstream[n, i] * jacobian, (i, 0, C - 1)).doit()))
    diagonal_in_outputs = shortest_form(in_outputs(diagonal))
    vjp_in_outputs = shortest_form(in_outputs(vjp))
    for label, raw, candidate in (("diagonal", diagonal, diagonal_in_outputs), ("VJP", vjp, vjp_in_outputs)):
        if candidate.has(inputs) or not is_zero(_in_inputs(candidate, output, definition) - raw):
            raise DefinitionError(item, f"the {label} of the Jacobian has no proven form in the outputs")
    return VectorFunction(
        name=name,
        inputs=inputs,
        output=output,
        upstream=upstream,
        definition=definition,
        computed_as=shift_by_row_max(definition, inputs, item),
        normaliser=normaliser,
        jacobian=jacobian,
        jacobian_diagonal=numeric(diagonal_in_outputs),
        vjp=vjp,
        vjp_output_form=numeric(vjp_in_outputs),
        doc=doc,
    )


def _in_outputs(inputs: IndexedBase, output: IndexedBase, preimage: Expr, normaliser: Expr):
    """A rewriter: inputs -> preimage in the outputs, then the normaliser -> 1."""

    def rewrite(expr: Expr) -> Expr:
        swapped = expr.replace(
            lambda a: isinstance(a, Indexed) and a.base == inputs,
            lambda a: preimage.xreplace({n: a.indices[0], i: a.indices[1]}),
        )
        swapped = simplify(swapped)
        return simplify(swapped.replace(lambda e: isinstance(e, Sum) and e.dummy_eq(normaliser), lambda e: 1))

    return rewrite


def _in_inputs(expr: Expr, output: IndexedBase, definition: Expr) -> Expr:
    """Replace every output entry ``s[r, w]`` by the definition at that entry."""
    return expr.replace(
        lambda a: isinstance(a, Indexed) and a.base == output,
        lambda a: definition.xreplace({n: a.indices[0], i: a.indices[1]}),
    )
