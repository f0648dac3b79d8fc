"""Adding an activation takes one expression in an extension file (the README's worked example).

Each test runs symprop in a fresh process with ``SYMPROP_EXTENSIONS`` naming
a file that registers ``softsign``, and generates into a temporary folder.
"""

import numpy as np
import pytest

from extension_runs import extension_file, generated_module, run
from finite_differences import derivative

SOFTSIGN = """\
from sympy import Abs
from derive.catalog.registry import register_activation
from derive.core.symbols import x

register_activation("softsign", x / (1 + Abs(x)), doc="Softsign x/(1 + |x|).")
"""


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    return extension_file(tmp_path_factory.mktemp("extension"), "softsign", SOFTSIGN)


@pytest.fixture(scope="module")
def generated(extension, tmp_path_factory):
    return generated_module(extension, tmp_path_factory.mktemp("generated"), "activations.py", "extended_activations")


@pytest.mark.parametrize("point", [-3.0, -0.2, 0.7, 5.0])
def test_registered_activation_is_generated_with_its_definition(generated, point):
    assert generated.softsign(np.array([point]))[0] == pytest.approx(point / (1 + abs(point)), rel=1e-15)


@pytest.mark.parametrize("point", [-3.0, -0.2, 0.7, 5.0])
def test_registered_activation_has_a_derived_derivative(generated, point):
    expected = derivative(lambda v: generated.softsign(np.array([v]))[0], point)
    assert generated.softsign(np.array([point]), derivative=True)[0] == pytest.approx(expected, rel=1e-7)


def test_registered_activation_prints_its_latex(extension):
    result = run("-m", "derive", "latex", "softsign", extension=extension)
    assert result.returncode == 0 and "\\frac{x}{\\left|{x}\\right| + 1}" in result.stdout


def test_registered_activation_joins_the_parametrised_tests(extension):
    result = run("-m", "pytest", "--collect-only", "-q", "tests/test_activation_derivatives.py", extension=extension)
    assert "[softsign]" in result.stdout
