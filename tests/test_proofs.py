"""The proof ledger: every obligation discharged with the derive cache off, docs/proofs.md current,
and a deliberately wrong form failing its obligation."""

import dataclasses
import re
from types import SimpleNamespace

import pytest
from sympy import Eq, Piecewise, Symbol, exp, log, parse_expr, simplify

from codegen.printer import to_numpy
from derive.catalog.registry import CATALOG, Catalog
from derive.core import core_ledger
from derive.core.core_ledger import GUARDS, HALVES, core_obligations, custom_functions
from derive.core.functions import Logistic, NormalCDF, ScaledDifference, XDivY, XLogY
from derive.core.obligation import Discharge, derived, proven
from derive.core.operation_forms import FORMS
from derive.core.saturation import saturates
from derive.core.stable_forms import Clamp
from derive.core.symbols import x, y
from derive.presentation.proofs_page import proofs_current
from derive.program.ledger import catalogue_obligations, ledger

LEDGER = ledger(CATALOG)


@pytest.fixture(autouse=True)
def _cache_off(monkeypatch):
    """Discharges re-derive and re-prove; nothing they compute may come from the disk cache."""
    monkeypatch.setenv("SYMPROP_CACHE", "0")


@pytest.mark.parametrize("obligation", LEDGER, ids=[o.name for o in LEDGER])
def test_obligation_is_discharged(obligation):
    outcome = obligation.discharge()
    assert outcome.held, f"{obligation.name}: {obligation.form} ({obligation.how}) {outcome.detail}"


def test_names_are_unique():
    names = [o.name for o in LEDGER]
    assert len(names) == len(set(names))


def test_docs_proofs_md_is_current():
    assert proofs_current(), "run `python -m derive proofs --markdown`"


def test_every_catalogue_item_has_obligations():
    items = {o.item for o in LEDGER}
    for name in CATALOG.names():
        assert any(item.endswith(f" {name}") for item in items), name


def test_every_forms_entry_and_custom_function_has_an_obligation():
    items = {o.item for o in LEDGER}
    for function in FORMS:
        assert f"operation form of {function.__name__}" in items
    for function in custom_functions():
        if "fdiff" in vars(function):
            assert f"function {function.__name__}" in items


def test_a_new_forms_entry_gets_an_obligation_and_a_wrong_one_fails(monkeypatch):
    monkeypatch.setitem(FORMS, Logistic, lambda a: 1 / (1 + exp(-a)))
    (right,) = [o for o in core_obligations() if o.item == "operation form of Logistic"]
    assert right.kind is Discharge.SYMBOLIC and right.discharge().held
    monkeypatch.setitem(FORMS, Logistic, lambda a: 1 / (1 + exp(a)))
    (wrong,) = [o for o in core_obligations() if o.item == "operation form of Logistic"]
    assert not wrong.discharge().held


def test_a_wrong_approximation_fails_its_numerical_check(monkeypatch):
    monkeypatch.setitem(FORMS, NormalCDF, lambda t: (1 + (exp(t) - exp(-t)) / (exp(t) + exp(-t))) / 2)
    (wrong,) = [o for o in core_obligations() if o.item == "operation form of NormalCDF"]
    assert wrong.kind is Discharge.NUMERICAL and not wrong.discharge().held


def test_a_wrong_computed_form_fails():
    sigmoid = CATALOG.get("sigmoid")
    assert proven("test", "right", sigmoid.computed_as, sigmoid.definition, "").discharge().held
    assert not proven("test", "wrong", sigmoid.computed_as, 1 / (1 + exp(x)), "").discharge().held


def test_a_wrong_derivation_fails():
    assert not derived("test", "derivative", x**2, lambda: (x**3).diff(x), "").discharge().held


def _with(name: str, **changes) -> Catalog:
    catalog = Catalog()
    item = dataclasses.replace(CATALOG.get(name), **changes)
    catalog.add(CATALOG.kind(name), name, lambda: item)
    return catalog


@pytest.mark.parametrize(("name", "field", "wrong"), [
    ("sigmoid", "output_form", y * (1 + y)),
    ("leaky_relu", "output_form", y),
    ("tanh", "derivative", 1 + x**2),
    ("elu", "derivative_computed_as", exp(x)),
])
def test_a_catalogue_item_with_a_wrong_form_fails_its_obligation(name, field, wrong):
    failed = [o for o in catalogue_obligations(_with(name, **{field: wrong})) if not o.discharge().held]
    assert failed, f"{name}.{field} = {wrong} passed every obligation"


def test_a_bound_too_small_fails_its_saturation_check():
    clamp = Clamp(x, 1.0)
    assert not saturates(exp(-clamp**2), clamp)
    assert saturates(exp(-Clamp(x, 40.0)**2), Clamp(x, 40.0))


def test_the_printed_scaled_difference_is_the_ledger_form():
    a, b, k = Symbol("a", real=True), Symbol("b", real=True), Symbol("k", positive=True)
    printed = parse_expr(to_numpy(ScaledDifference(a, b, k)), local_dict={"a": a, "b": b, "k": k})
    assert simplify(printed - HALVES) == 0


@pytest.mark.parametrize("function", [XLogY, XDivY])
def test_the_printed_guard_is_the_ledger_form(function):
    a, b = Symbol("a", real=True), Symbol("b", real=True)
    printed = re.sub(r"(\w+) == (\w+)", r"Eq(\1, \2)", to_numpy(function(a, b)))
    numpy = SimpleNamespace(log=log, where=lambda c, yes, no: Piecewise((yes, c), (no, True)))
    parsed = parse_expr(printed, local_dict={"a": a, "b": b, "np": numpy, "Eq": Eq})
    assert parsed == GUARDS[function]


def test_a_custom_function_without_a_definition_fails_loudly(monkeypatch):
    from sympy import Function

    class Opaque(Function):
        def fdiff(self, argindex=1):
            return self

    monkeypatch.setattr(core_ledger, "custom_functions", lambda: [Opaque])
    (obligation,) = [o for o in core_ledger.core_obligations() if o.item == "function Opaque"]
    assert not obligation.discharge().held


def test_the_command_lists_an_item_and_refuses_an_unknown_one_in_one_line(capsys):
    from derive.__main__ import main

    assert main(["proofs", "--item", "activation linear"]) == 0
    out = capsys.readouterr().out
    assert "activation linear: derivative  [derivation]" in out and "0 failed" in out
    assert main(["proofs", "--item", "no such item"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert main(["proofs", "--check"]) == 0
