"""The proof ledger: every form that reaches a printer, with how it is discharged.

Assembled by walking the catalogue (extensions included; each loss under
every reduction a spec may choose, each activation's forms as the accuracy
search found them), the numeric rewrites, the search's rules, the layers and optimisers, the layers written as one indexed sum
(``derive.program.ledger_indexed``) and the networks in ``specs/``, on top of
``derive.core.core_ledger``.  ``python -m derive proofs`` prints it and
``tests/test_proofs.py`` discharges each obligation.
"""

from sympy import Expr, Float, Rational, Sum, diff, oo, simplify

from derive.catalog.activations import Activation
from derive.catalog.initializers import Distribution, Initializer, uniform
from derive.catalog.losses import Loss
from derive.catalog.penalties import Penalty
from derive.catalog.registry import Catalog
from derive.catalog.vector_functions import VectorFunction, _in_inputs
from derive.core.core_ledger import core_obligations
from derive.core.indexing import drop_range_guards, entrywise_gradient, rename_feature
from derive.core.obligation import Discharge, Obligation, checked, defined, derived, proven
from derive.core.output_form import find_output_form
from derive.core.proof import is_zero
from derive.core.saturation import GRID, clamps_of, saturated_parts, saturates
from derive.core.shortest_form import shortest_form
from derive.core.stable_forms import (
    Clamp, Largest, Shifted, ShiftRows, _prove_shift, holds_at_infinities, limits_at_infinities,
    with_limits,
)
from derive.core.symbols import C, i, j, m, n, x, y
from derive.catalog.numeric_forms import numeric
from derive.program.ledger_indexed import indexed_layer_obligations
from derive.program.ledger_layers import layer_obligations, network_obligations, numeric_obligations
from derive.spec.model import Reduction
from derive.stability.obligations import found_obligations, rule_obligations

__all__ = ["ledger", "catalogue_obligations"]


def ledger(catalog: Catalog) -> list[Obligation]:
    """Every obligation: core, numeric rewrites, the search's rules, catalogue, layers, indexed layers, networks."""
    return (core_obligations() + numeric_obligations() + rule_obligations() + catalogue_obligations(catalog)
            + layer_obligations() + indexed_layer_obligations() + network_obligations(catalog))


def catalogue_obligations(catalog: Catalog) -> list[Obligation]:
    """The obligations of every catalogue item, in the catalogue's order."""
    walkers = {Activation: _activation, VectorFunction: _vector, Loss: _loss, Penalty: _penalty,
               Initializer: _initializer}
    result = []
    for name in catalog.names():
        item = catalog.get(name)
        walker = walkers.get(type(item))
        if walker is None:
            result.append(Obligation(f"{catalog.kind(name)} {name}", "every form", str(item), Discharge.SYMBOLIC,
                                     f"no obligations for a {type(item).__name__}: add them", lambda: False))
        else:
            result += walker(item)
        if isinstance(item, Loss):
            result += [obligation for other in Reduction if other is not item.reduction
                       for obligation in _loss(catalog.loss(name, other), f" with reduction {other.value}")]
    return result


def _activation(a: Activation) -> list[Obligation]:
    item = f"activation {a.name}"
    result = [
        defined(item, "definition", a.definition, "the catalogue's definition"),
        derived(item, "derivative", a.derivative, lambda: diff(a.definition, x), "sympy.diff of the definition"),
        derived(item, "limits at ±oo", a.limits, lambda: limits_at_infinities(a.definition, x),
                "sympy.limit of the definition, the value code gives at ±inf"),
        derived(item, "derivative limits at ±oo", a.derivative_limits,
                lambda: limits_at_infinities(a.derivative, x), "sympy.limit of the derivative"),
    ]
    forward, backward = a.searches
    result += found_obligations(item, "computed_as", a.computed_as, forward, a.definition, x)
    if a.derivative_computed_as is not None:
        result += found_obligations(item, "derivative_computed_as", a.derivative_computed_as, backward,
                                    a.derivative, x)
    if a.output_form is not None:
        result.append(_output_form(item, a))
    for label, form in (("computed_as", a.computed_as), ("derivative_computed_as", a.derivative_computed_as)):
        result += _clamps(item, label, form)
    result.append(_at_infinities(item, "computed_as at ±inf", a.computed_as, a.limits))
    if a.derivative_computed_as is not None:
        result.append(_at_infinities(item, "derivative_computed_as at ±inf", a.derivative_computed_as,
                                     a.derivative_limits))
    return result


def _at_infinities(item: str, what: str, form: Expr, limits) -> Obligation:
    """``with_limits``, as printed: the limits at ±inf, and the form itself, clipped to the float range, elsewhere."""
    printed = with_limits(form, x, limits)

    def holds() -> bool:
        if printed == form:
            return holds_at_infinities(form, x, (-oo, oo), limits)
        *infinite, (finite, _) = printed.args
        for sign, limit in zip((-1, 1), limits):
            beyond = [value for value, where in infinite if where.xreplace({Largest(x): 1}).subs(x, 2 * sign)]
            if beyond != ([] if limit is None else [limit]):
                return False
        return finite.xreplace({Clamp(x, Largest(x)): x}) == form

    return Obligation(item, what, str(printed), Discharge.DERIVATION,
                      "sympy.limit beyond the largest float; the clip to the float range changes no finite input",
                      holds)


def _output_form(item: str, a: Activation) -> Obligation:
    """f' in terms of y: g(f(x)) = f'(x), proven directly or, for a Piecewise f, branch by branch."""
    if a.definition.is_Piecewise:
        return Obligation(item, "output form", str(a.output_form), Discharge.SYMBOLIC,
                          "g(f(x)) = f'(x) on each branch of f, branch images disjoint (find_output_form's proof)",
                          lambda: _reproven_output_form(a))
    return proven(item, "output form", a.output_form.subs(y, a.definition), a.derivative,
                  f"g(y) = {a.output_form} at y = f(x) equals the derivative")


def _reproven_output_form(a: Activation) -> bool:
    found = find_output_form(a.definition, a.derivative, x, y)
    return found is not None and numeric(found) == a.output_form


def _clamps(item: str, label: str, form: Expr | None) -> list[Obligation]:
    """One obligation per clamp of ``form``: the parts it clamps saturate beyond the bound."""
    if form is None:
        return []
    return [
        checked(item, f"{label} clamp ±{float(c.args[1]):g}", c,
                lambda parts=saturated_parts(form, c), c=c: all(saturates(p, c) for p in parts),
                "one float64 value beyond the bound, as at it", GRID)
        for c in clamps_of(form)
    ]


def _shifted(item: str, what: str, form: Shifted, reference: Expr, logits) -> Obligation:
    """A form over shifted logits: the shift cancels (SymPy) and the shift is the floored difference."""
    if not form.lets:
        return proven(item, what, _exact(form.expr), reference, "equals the derived form")

    def holds() -> bool:
        for let in form.lets:
            if let.value != ShiftRows(logits[n, i]):
                return False
            _prove_shift(reference, form.expr, let.name, logits, item)
        return True

    shown = f"{form.expr}, {'; '.join(f'{let.name} = {let.value}' for let in form.lets)}"
    return Obligation(item, what, shown, Discharge.SYMBOLIC,
                      "shifted logits substituted back give the derived form; the shift is ShiftRows, proven with its form",
                      holds)


def _exact(expr: Expr) -> Expr:
    """Floats as the exact binary numbers they are, for proofs."""
    return expr.xreplace({f: Rational(f) for f in expr.atoms(Float)})


def _vector(v: VectorFunction) -> list[Obligation]:
    item = f"vector function {v.name}"
    diagonal = lambda: drop_range_guards(rename_feature(v.jacobian, i, j).doit())  # noqa: E731
    return [
        defined(item, "definition", v.definition, "the catalogue's definition"),
        derived(item, "jacobian", v.jacobian, lambda: diff(v.definition, v.inputs[n, j]), "sympy.diff"),
        derived(item, "VJP", v.vjp, lambda: drop_range_guards(simplify(Sum(v.upstream[n, i] * v.jacobian,
                (i, 0, C - 1)).doit())), "sum_i g[n, i] times the Jacobian, evaluated by SymPy"),
        _shifted(item, "computed_as", v.computed_as, v.definition, v.inputs),
        Obligation(item, "jacobian diagonal in the outputs", str(v.jacobian_diagonal), Discharge.SYMBOLIC,
                   "the outputs replaced by the definition give the derived diagonal",
                   lambda: is_zero(_in_inputs(v.jacobian_diagonal, v.output, v.definition) - diagonal())),
        Obligation(item, "VJP in the outputs", str(v.vjp_output_form), Discharge.SYMBOLIC,
                   "the outputs replaced by the definition give the derived VJP",
                   lambda: is_zero(_in_inputs(v.vjp_output_form, v.output, v.definition) - v.vjp)),
    ]


def _loss(loss: Loss, variant: str = "") -> list[Obligation]:
    """A loss's cost, gradient and computed forms; ``variant`` names a reduction other than the loss's own."""
    item = f"loss {loss.name}{variant}"
    p = loss.predictions
    rederived = lambda: shortest_form(  # noqa: E731
        entrywise_gradient(loss.cost, p) or drop_range_guards(diff(loss.cost, p[m, j]).doit()))
    return [
        defined(item, "cost", loss.cost,
                "the catalogue's cost per entry with this reduction" if variant else "the catalogue's definition"),
        derived(item, "gradient", loss.gradient, rederived, "sympy.diff of the cost, entry by entry"),
        _shifted(item, "cost_computed_as", loss.cost_computed_as, loss.cost, p),
        _shifted(item, "gradient_computed_as", loss.gradient_computed_as, loss.gradient, p),
    ]


def _penalty(penalty: Penalty) -> list[Obligation]:
    item = f"penalty {penalty.name}"
    return [
        defined(item, "cost", penalty.cost, "the catalogue's definition"),
        derived(item, "gradient", penalty.gradient,
                lambda: numeric(entrywise_gradient(penalty.cost, penalty.weights)), "sympy.diff, entry by entry"),
    ]


def _initializer(init: Initializer) -> list[Obligation]:
    item = f"initializer {init.name}"
    if init.distribution is Distribution.CONSTANT:
        return [defined(item, "value", init.scale, "the catalogue's definition")]
    if init.distribution is Distribution.NORMAL:
        return [proven(item, "standard deviation", init.scale ** 2, init.variance, "its square is the variance")]
    params = {p.symbol: p.default for p in init.params}
    return [derived(item, "uniform limit", init.scale,
                    lambda: uniform(init.name, init.variance, params=params, doc="").scale,
                    "solved by SymPy from Var(Uniform(-a, a)) = variance")]

