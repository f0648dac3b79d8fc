"""Private helpers of generated modules (``_sigmoid``, ``_shift_rows``): called by name, defined once, correct."""

import ast
from pathlib import Path

import mpmath
import numpy as np
import pytest

from codegen.printer import HELPERS
from generated import activations, example2, losses

GENERATED = Path(__file__).resolve().parent.parent / "generated"
MODULES = sorted(GENERATED.glob("*.py"))


def _calls_and_definitions(path: Path, name: str) -> tuple[int, int]:
    """How often module ``path`` calls the function ``name``, and how often it defines it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = sum(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name for n in ast.walk(tree))
    definitions = sum(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)
    return calls, definitions


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_module_defines_each_helper_it_calls_exactly_once(path):
    for name in HELPERS.values():
        calls, definitions = _calls_and_definitions(path, name)
        assert definitions == (1 if calls else 0), (path.name, name, calls, definitions)


def test_a_network_forward_pass_applies_the_sigmoid_by_name():
    assert "h2 = _sigmoid(inp2)" in Path(example2.__file__).read_text(encoding="utf-8")


def test_a_network_loss_shifts_the_logits_by_name():
    assert "out_shifted = _shift_rows(out)" in Path(example2.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize("value", [-745.0, -40.0, -1.5, -1e-300, 0.0, 2.0**-30, 0.75, 36.0, 800.0])
def test_the_sigmoid_helper_agrees_with_mpmath(value):
    with mpmath.workdps(50):
        expected = float(1 / (1 + mpmath.exp(-mpmath.mpf(value))))
    assert activations._sigmoid(np.array([value]))[0] == pytest.approx(expected, rel=4e-16, abs=0)


def test_the_sigmoid_helper_of_extreme_inputs_is_finite_without_warnings():
    # Underflow of exp(-|x|) to 0 is the correct result; overflow and invalid operations raise.
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        assert list(activations._sigmoid(np.array([-1e308, 1e308]))) == [0.0, 1.0]


def test_the_row_shift_helper_subtracts_each_rows_maximum():
    z = np.array([[1.0, 3.0, -2.0], [0.5, 0.25, 0.125]])
    expected = [[1.0 - 3.0, 0.0, -2.0 - 3.0], [0.0, 0.25 - 0.5, 0.125 - 0.5]]
    assert losses._shift_rows(z).tolist() == expected


def test_the_row_shift_helper_floors_a_row_wider_than_the_float_range():
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        shifted = losses._shift_rows(np.array([[1e308, 0.0, -1e308]]))
    assert np.all(np.isfinite(shifted)) and shifted[0, 0] == 0.0


def test_the_sigmoid_helper_docstring_states_its_definition():
    assert "σ(x) = 1/(1 + exp(−x))" in activations._sigmoid.__doc__


def test_an_activation_docstring_states_its_derivative_from_the_output():
    assert "f'(x) = [y > 0], from the output y" in activations.relu.__doc__


def test_the_sigmoid_docstring_states_its_derivative_in_the_output():
    assert "f'(x) = y·(1 − y)" in activations.sigmoid.__doc__
