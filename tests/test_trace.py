"""The trace (SymPy evaluating a Program) and the generated NumPy module give the same numbers.

The trace evaluates each assignment's definition at 30 significant digits;
the generated module evaluates its printed, numerically safeguarded forms in
float64.  Both start from the spec's [example]; they agree to float64
rounding, which is the "renderings cannot disagree" check between derive/ and
generated/.  Agreement between two renderings of one program does not show the
program is right, so the traced gradients are also checked against central
differences of the traced cost, an independent reference.
"""

import importlib
from fractions import Fraction

import numpy as np
import pytest

from derive.catalog.standard import CATALOG
from derive.program.build import derive_network
from derive.program.named_specs import load_program
from derive.spec import parse_spec
from derive.program.trace import TraceError, trace, trace_example

VOCABULARY = CATALOG.vocabulary()

CLOSE = {"rtol": 1e-12, "atol": 1e-15}
NETWORKS = ["example1", "example2"]


def as_array(matrix):
    return np.array(matrix.tolist(), dtype=float)


@pytest.fixture(scope="module", params=NETWORKS)
def case(request):
    program = load_program(request.param)
    example = {name: np.array(rows, dtype=float) for name, rows in program.spec.example.items()}
    params = {p.name: example[p.name] for p in program.parameters}
    return program, trace_example(program), importlib.import_module(f"generated.{request.param}"), params, example


def test_trace_forward_pass_matches_generated_module(case):
    program, traced, module, params, example = case
    cache = module.forward(params, example["x"])
    for name, value in cache.items():
        np.testing.assert_allclose(as_array(traced.values[name]), value, **CLOSE, err_msg=name)


def test_trace_cost_matches_generated_module(case):
    program, traced, module, params, example = case
    cost = module.loss(example["y"], module.forward(params, example["x"])["out"])
    assert float(traced.values["cost"][0, 0]) == pytest.approx(cost, rel=1e-12)


def test_trace_gradients_match_generated_module(case):
    program, traced, module, params, example = case
    grads = module.backward(params, example["x"], example["y"], module.forward(params, example["x"]))
    for name, value in grads.items():
        np.testing.assert_allclose(as_array(traced.values[name]), value, **CLOSE, err_msg=name)


def test_trace_update_matches_generated_module(case):
    program, traced, module, params, example = case
    grads = module.backward(params, example["x"], example["y"], module.forward(params, example["x"]))
    for name, value in module.update(params, grads).items():
        np.testing.assert_allclose(as_array(traced.updated[name]), value, **CLOSE, err_msg=name)


def test_trace_reads_decimal_inputs_exactly():
    traced = trace_example(load_program("example1"))
    assert str(traced.values["x"][0, 0]).startswith("0.0500000000000000000000000000")


def test_trace_without_example_names_the_missing_table():
    spec = parse_spec(
        {"inputs": 1, "layers": [{"units": 1, "activation": "linear"}], "loss": "squared_error"}, VOCABULARY,
        source="tiny.toml", default_name="tiny",
    )
    with pytest.raises(TraceError, match=r"tiny.toml: the spec has no \[example\]"):
        trace_example(derive_network(spec, CATALOG))


def test_trace_with_missing_array_lists_what_it_needs():
    program = load_program("example1")
    arrays = {k: v for k, v in program.spec.example.items() if k != "b2"}
    with pytest.raises(TraceError, match="missing array.*b2.*needs x, y, w1, b1, w2, b2"):
        trace(program, arrays)


def test_trace_accepts_numpy_arrays():
    program = load_program("example1")
    arrays = {name: np.array(rows) for name, rows in program.spec.example.items()}
    assert trace(program, arrays).values["cost"] == trace_example(program).values["cost"]


MOMENTUM_SPEC = {
    "name": "heavy", "inputs": 2, "loss": "mse",
    "layers": [
        {"units": 2, "activation": "tanh", "penalty": "l1", "penalty_strength": 0.1},
        {"units": 1, "activation": "linear", "penalty": "l2", "penalty_strength": 0.2},
    ],
    "optimizer": {"name": "momentum", "momentum": 0.8, "learning_rate": 0.5},
    "example": {
        "x": [[0.5, -1.0]], "y": [[0.25]], "w1": [[0.1, -0.2], [0.3, 0.4]], "b1": [[0.05, -0.05]],
        "w2": [[0.7, -0.8]], "b2": [[0.1]],
    },
}


def test_trace_of_momentum_and_penalties_matches_generated_module():
    from network_modules import module_of

    spec = parse_spec(MOMENTUM_SPEC, VOCABULARY, source="heavy", default_name="heavy")
    traced = trace_example(derive_network(spec, CATALOG))
    module = module_of(spec)
    example = {name: np.array(rows, dtype=float) for name, rows in spec.example.items()}
    params = {name: example[name] for name in module["PARAMETERS"]}
    grads = module["backward"](params, example["x"], example["y"], module["forward"](params, example["x"]))
    assert float(traced.values["penalty"][0, 0]) == pytest.approx(module["penalty"](params), rel=1e-12)
    new, velocities = module["update"](params, grads, state=module["init_state"](params))
    for name, value in {**new, **velocities}.items():
        np.testing.assert_allclose(as_array(traced.updated[name]), value, **CLOSE, err_msg=name)


@pytest.mark.parametrize("field, value", [("dropout", 0.5), ("batch_norm", True)])
def test_trace_refuses_dropout_and_batch_norm_by_field(field, value):
    layers = [{**MOMENTUM_SPEC["layers"][0], field: value, "bias": "none"}, MOMENTUM_SPEC["layers"][1]]
    example = {k: v for k, v in MOMENTUM_SPEC["example"].items() if k != "b1"}
    spec = parse_spec({**MOMENTUM_SPEC, "layers": layers, "example": example}, VOCABULARY, source="s.toml", default_name="s")
    with pytest.raises(TraceError, match=rf"layers\[0\]\.{field}"):
        trace_example(derive_network(spec, CATALOG))


#: The step of the central differences.  A traced cost keeps about 20 correct digits, so the
#: rounding error of a difference quotient is about 1e-20/STEP and its truncation error about
#: STEP**2: at 2**-16 both stay under 1e-9 relative, far below any error in a derivation.
STEP = 2.0**-16


def _traced_objective(program, arrays) -> Fraction:
    """The traced cost plus weight penalties, as an exact fraction of its 30-digit value."""
    values = trace(program, arrays).values
    total = values["cost"][0, 0] + (values["penalty"][0, 0] if "penalty" in values else 0)
    return Fraction(str(total))


def _central_difference(program, arrays, name, row, column) -> float:
    """(objective(p + h) - objective(p - h)) / (2h) for one entry, h the difference of the floats actually traced."""
    sides = []
    for sign in (1, -1):
        moved = {key: np.array(value, dtype=float) for key, value in arrays.items()}
        moved[name][row, column] += sign * STEP
        sides.append((_traced_objective(program, moved), Fraction(moved[name][row, column])))
    (high, at_high), (low, at_low) = sides
    return float((high - low) / (at_high - at_low))


@pytest.mark.parametrize("network", [*NETWORKS, "momentum and penalties"])
def test_traced_gradients_are_central_differences_of_the_traced_cost(network):
    """An independent reference: the derivation's gradients against its own cost, differentiated numerically."""
    if network in NETWORKS:
        program = load_program(network)
    else:
        program = derive_network(parse_spec(MOMENTUM_SPEC, VOCABULARY, source="heavy", default_name="heavy"), CATALOG)
    arrays = dict(program.spec.example)
    gradients = trace(program, arrays).values
    for parameter in program.parameters:
        rows, columns = parameter.shape
        for row, column in sorted({(0, 0), (rows - 1, columns - 1)}):
            expected = _central_difference(program, arrays, parameter.name, row, column)
            traced = float(gradients[f"d{parameter.name}"][row, column])
            assert traced == pytest.approx(expected, rel=1e-9, abs=1e-20), f"d{parameter.name}[{row},{column}]"
