"""An activation whose best form misses the accuracy target is printed, and named: by the command and in its docstring."""

import pytest

from tests.extension_runs import extension_file, imported, run

#: x*sigmoid(1.702x) rounds 1.702x before the sigmoid, which magnifies that rounding up to 14 times near x = -8.5.
QUICK_GELU = ("from sympy import Rational, exp\nfrom derive.catalog.registry import register_activation\n"
              "from derive.core.symbols import x\n"
              "register_activation('quick_gelu', x/(1 + exp(-Rational(1702, 1000)*x)), doc='Quick GELU.')\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    extension = extension_file(folder, "quick_gelu", QUICK_GELU)
    result = run("-m", "codegen", "generate", "--out", str(folder / "generated"), extension=extension)
    return result, folder / "generated"


def test_generate_succeeds_and_names_the_activation_that_misses_the_target(generated):
    result, _ = generated
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: activation 'quick_gelu'")]
    assert notes and all("ulp off at x = " in line and "x in [" in line for line in notes)


def test_the_docstring_of_the_printed_function_says_where_it_is_inaccurate(generated):
    _, out = generated
    module = imported(out / "activations.py", "notes_activations")
    assert "Accuracy: no form of f" in module.quick_gelu.__doc__
    assert "Accuracy:" not in module.sigmoid.__doc__
