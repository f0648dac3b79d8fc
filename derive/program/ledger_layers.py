"""The ledger's obligations beyond the catalogue: ``numeric``'s rewrites, the layer rules, optimisers, networks.

The dense, batch-norm and dropout rules are SymPy's derivations, re-run;
the optimiser updates and schedules are definitions; a network's program is
the chain rule over those parts, re-derived from its spec.
"""

from sympy import Abs, Expr, Function, Max, Min, Piecewise, Symbol, diff, exp, log

from derive.catalog.numeric_forms import numeric
from derive.catalog.registry import Catalog
from derive.core.functions import Logistic, XDivY
from derive.core.obligation import Discharge, Obligation, defined, definition_of, derived
from derive.core.proof import prove_equal
from derive.layers import batch_norm, dense, dropout
from derive.layers.optimizers import learning_rate_at, update_steps
from derive.program.build import derive_network
from derive.program import fold
from derive.program.fold import folded_backward, folded_update
from derive.program.network import Program
from derive.program.named_specs import network_paths
from derive.spec import BiasKind, load_spec
from derive.spec.training import OptimizerName, OptimizerSpec, ScheduleKind, ScheduleSpec

__all__ = ["numeric_obligations", "layer_obligations", "network_obligations", "clip_lemmas_hold"]

_A, _B, _C = Symbol("a", real=True), Symbol("b", real=True), Symbol("c", real=True)
_U, _BOUND = Symbol("u", real=True), Symbol("d", positive=True)

#: Inputs of each rewrite of ``numeric``: the rewrite of each must change it and be proven equal to it.
NUMERIC_RULES: dict[str, Expr] = {
    "logaddexp": log(1 + exp(_A)),
    "expm1": exp(_A) - 1,
    "expm1, negated": 1 - exp(_A),
    "log1p": log(1 + _A),
    "log of a logistic": log(Logistic(_A)),
    "log of one minus a logistic": log(1 - Logistic(_A)),
    "scale inside a quotient": _C * XDivY(_A, _B),
}


def _rule(name: str, before: Expr) -> Obligation:
    after = numeric(before)
    return Obligation("numeric rewrite", name, f"{before} -> {after}", Discharge.SYMBOLIC,
                      "SymPy proves the rewrite equal to its input",
                      lambda: after != before and prove_equal(definition_of(after), definition_of(before)))


def clip_lemmas_hold() -> bool:
    """``Min(u, d) = u`` for ``u <= d`` and ``Max(u, -d) = u`` for ``u >= -d``: so a clip is ``u`` where ``|u| <= d``.

    ``u = d - t`` and ``u = -d + t`` with ``t >= 0``: SymPy's ``Min`` and ``Max`` decide.
    """
    t = Symbol("t", nonnegative=True)
    return Min(_BOUND - t, _BOUND) == _BOUND - t and Max(-_BOUND + t, -_BOUND) == -_BOUND + t


def numeric_obligations() -> list[Obligation]:
    """One obligation per rewrite of ``derive.catalog.numeric_forms.numeric``."""
    result = [_rule(name, before) for name, before in NUMERIC_RULES.items()]
    sigmoid = 1 / (1 + exp(_A))
    result.append(Obligation("numeric rewrite", "overflow-free sigmoid", str(numeric(sigmoid)), Discharge.SYMBOLIC,
                             "a Logistic whose definition equals 1/(1 + exp(a)); its computed form is proven "
                             "as the operation form of Logistic",
                             lambda: isinstance(numeric(sigmoid), Logistic)
                             and prove_equal(definition_of(numeric(sigmoid)), sigmoid)))
    clipped = numeric(Piecewise(((_A - _B) ** 2, 2 * Abs(_A - _B) <= _BOUND), (_BOUND, True)))
    result.append(Obligation("numeric rewrite", "clip in a guarded branch", str(clipped), Discharge.SYMBOLIC,
                             "in the branch where |u| <= d/2, clip(u, -d/2, d/2) = u (Min and Max decided by SymPy)",
                             lambda: clipped.has(Max(Min(_A - _B, _BOUND / 2), -_BOUND / 2)) and clip_lemmas_hold()))
    return result


def layer_obligations() -> list[Obligation]:
    """The dense rule per bias kind, batch normalisation, dropout, the optimisers and the schedules."""
    result = []
    for bias in BiasKind:
        rule, rederive = dense._derived(bias), dense._derived.__wrapped__
        item = f"dense layer, {bias.value} bias"
        result.append(defined(item, "forward", rule.forward, "X Wᵀ + 1 b"))
        for field in ("grad_W", "grad_X", "grad_b"):
            if getattr(rule, field) is not None:
                result.append(derived(item, field, getattr(rule, field),
                                      lambda f=field, b=bias: getattr(rederive(b), f), "sympy.diff of tr(Gᵀ Z)"))
    norm, rederive_norm = batch_norm._derived(), batch_norm._derived.__wrapped__
    for field in ("mean", "variance", "training", "inference", "running_mean", "running_variance"):
        result.append(defined("batch normalisation", field, getattr(norm, field), "the layer's definition"))
    for field in ("grad_input", "grad_gamma", "grad_beta"):
        result.append(derived("batch normalisation", field, getattr(norm, field),
                              lambda f=field: getattr(rederive_norm(), f), "sympy.diff through mean and variance"))
    drop = dropout.dropout(Symbol("p", real=True), "h", draws="u", mask="mask", upstream="G")
    result.append(defined("dropout", "mask", drop.mask, "inverted dropout's definition"))
    result.append(derived("dropout", "grad_input", drop.grad_input,
                          lambda: diff(drop.output, Symbol("h", real=True)) * Symbol("G", real=True), "sympy.diff"))
    for name in OptimizerName:
        spec = OptimizerSpec(name, 0.01, 0.9 if name is OptimizerName.MOMENTUM else None, ScheduleSpec())
        steps, _ = update_steps(spec, "w", (1, 1))
        for step in steps:
            result.append(defined(f"optimizer {name.value}", step.target, step.expr, "the update rule"))
    for kind in ScheduleKind:
        schedule = ScheduleSpec(kind, None if kind is ScheduleKind.NONE else 0.5,
                                10 if kind is ScheduleKind.STAIRCASE else None)
        result.append(defined("learning-rate schedule", kind.value, learning_rate_at(schedule), "the schedule"))
    return result


def _refolds(program: Program) -> bool:
    """The fold re-run (it raises where linearity fails) gives the program's folded step; no memo is reused."""
    fold._is_linear.cache_clear()
    update, velocities = folded_update(program)
    return (tuple(folded_backward(program)), tuple(update), tuple(velocities)) == (
        program.folded.backward, program.folded.update, program.folded.velocities)


def network_obligations(catalog: Catalog) -> list[Obligation]:
    """The chain rule in general, and each network of ``specs/`` re-derived from its spec."""
    f, g = Function("f"), Function("g")
    w = Symbol("w", real=True)
    chained = g(f(w * _A))
    rule = diff(g(_U), _U).subs(_U, f(w * _A)) * diff(f(_U), _U).subs(_U, w * _A) * _A
    result = [Obligation("network", "chain rule", f"d/dw {chained} = {rule}", Discharge.DERIVATION,
                         "sympy.diff of a composition: what each backward step multiplies",
                         lambda: (diff(chained, w) - rule).doit() == 0)]
    for name, path in network_paths().items():
        program = derive_network(load_spec(path, catalog.vocabulary()), catalog)
        result.append(Obligation(
            f"network {name}", "program", f"{len(program.assignments)} assignments from {path.name}",
            Discharge.DERIVATION,
            "the chain rule over the derived layers and catalogue items, re-derived from the spec",
            lambda p=path, old=program: derive_network(load_spec(p, catalog.vocabulary()), catalog).assignments
            == old.assignments))
        result.append(Obligation(
            f"network {name}", "folded training step", f"{len(program.folded.backward)} backward, "
            f"{len(program.folded.update)} update assignments with learning_rate folded in", Discharge.SYMBOLIC,
            "each backward assignment scales with the gradients it reads (checked by SymPy); the update loses "
            "learning_rate once dtheta holds the scaled gradient", lambda p=program: _refolds(p)))
    return result
