"""Adding an activation takes one expression in an extension file (the README's worked example, mish).

Each generating test runs symprop in a fresh process with
``SYMPROP_EXTENSIONS`` naming the file of the README's example, as a user
writes it, and generates into a temporary folder.  The README's account of
what the accuracy search does for mish is checked against mpmath and
against SymPy's own form.
"""

import re
import warnings

import mpmath
import numpy as np
import pytest
from sympy import diff, exp, lambdify, log, sqrt, tanh

from derive.catalog.registry import Catalog, register_activation
from derive.core.errors import DefinitionError
from derive.core.functions import Hypot, Reciprocal
from derive.core.symbols import x
from extension_runs import ROOT, extension_file, generated_module, run
from finite_differences import derivative

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The README's example: the extension file and the paragraph on what the search does with it.
(MISH,) = re.findall(r"```python\n(# extensions/mish\.py\n.*?)```", README, re.S)
(SEARCH_PARAGRAPH,) = [p for p in README.split("\n\n") if p.startswith("The code does not evaluate the expression")]
MISH_DEFINITION = x * tanh(log(1 + exp(x)))


def mish_exact(point: float, derivative: bool = False) -> mpmath.mpf:
    """mish or its derivative at ``point``, from the definition at 1000 digits.

    At x = -1000 the term tanh(log(1 + exp(x))) of mish' is exp(-1000): 1 + exp(-1000)
    keeps it only beyond 435 digits.
    """
    expr = diff(MISH_DEFINITION, x) if derivative else MISH_DEFINITION
    with mpmath.workdps(1000):
        return lambdify(x, expr, "mpmath")(mpmath.mpf(point))


def within_ulps(computed: float, exact: mpmath.mpf, ulps: float) -> bool:
    """``|computed - exact|`` within ``ulps`` float64 spacings of ``exact`` (2**-1074 below the normal range)."""
    spacing = np.spacing(max(abs(float(exact)), np.finfo(np.float64).smallest_normal))
    return abs(mpmath.mpf(float(computed)) - exact) <= ulps * spacing


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    return extension_file(tmp_path_factory.mktemp("extension"), "mish", MISH)


@pytest.fixture(scope="module")
def generated(extension, tmp_path_factory):
    return generated_module(extension, tmp_path_factory.mktemp("generated"), "activations.py", "extended_activations")


def test_the_readme_registers_mish_with_its_definition():
    assert 'register_activation("mish", x * tanh(log(1 + exp(x)))' in MISH


@pytest.mark.parametrize("point", [-3.0, -0.2, 0.7, 5.0])
def test_registered_activation_is_generated_with_its_definition(generated, point):
    assert within_ulps(generated.mish(np.array([point]))[0], mish_exact(point), 4)


@pytest.mark.parametrize("point", [-3.0, -0.2, 0.7, 5.0])
def test_registered_activation_has_a_derived_derivative(generated, point):
    expected = derivative(lambda v: generated.mish(np.array([v]))[0], point)
    assert generated.mish(np.array([point]), derivative=True)[0] == pytest.approx(expected, rel=1e-7)


def test_sympys_own_derivative_is_the_one_the_readme_prints():
    assert f"`{diff(MISH_DEFINITION, x)}`" in SEARCH_PARAGRAPH


def test_sympys_own_derivative_overflows_at_1000():
    as_sympy_writes_it = lambdify(x, diff(MISH_DEFINITION, x), "numpy")
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        as_sympy_writes_it(np.float64(1000.0))
    with np.errstate(all="ignore"):
        assert np.isnan(as_sympy_writes_it(np.float64(1000.0)))
    assert "overflows at x = 1000 and returns NaN" in SEARCH_PARAGRAPH


@pytest.mark.parametrize(("point", "shown"), [(1000.0, "1.0 at x = 1000"), (-1000.0, "0.0 at x = −1000")])
def test_the_generated_derivative_is_accurate_at_1000_without_a_warning(generated, point, shown):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            value = generated.mish(np.array([point]), derivative=True)[0]
    assert within_ulps(value, mish_exact(point, derivative=True), 4)
    assert shown in SEARCH_PARAGRAPH.replace("\n", " ") and float(shown.split()[0]) == value


def test_the_generated_derivative_misses_4_ulp_at_minus_1_as_the_readme_says(generated):
    """A gap the README states: when the search closes it, this fails until the README is corrected."""
    value = generated.mish(np.array([-1.0]), derivative=True)[0]
    assert within_ulps(value, mish_exact(-1.0, derivative=True), 8)
    assert not within_ulps(value, mish_exact(-1.0, derivative=True), 4)
    assert "at x = −1 it is 7.5 ulp off" in SEARCH_PARAGRAPH.replace("\n", " ")


def test_the_true_derivative_at_minus_1000_is_below_the_smallest_float():
    exact = mish_exact(-1000.0, derivative=True)
    assert mpmath.nstr(exact, 2) == "-5.1e-432" and "−5.1e−432" in SEARCH_PARAGRAPH
    assert abs(exact) < mpmath.ldexp(1, -1075)  # half the smallest subnormal: it rounds to 0


def test_registered_activation_prints_its_latex(extension):
    result = run("-m", "derive", "latex", "mish", extension=extension)
    assert result.returncode == 0 and "\\tanh" in result.stdout


def test_registered_activation_joins_the_parametrised_tests(extension):
    result = run("-m", "pytest", "--collect-only", "-q", "tests/test_activation_derivatives.py", extension=extension)
    assert "[mish]" in result.stdout


def test_a_hand_form_of_the_derivative_is_kept_when_more_accurate_than_the_search():
    # ISRU's f' as SymPy writes it cancels for large |x|; 1/hypot(x, 1)**3 does not.
    isru = register_activation("isru", x / sqrt(1 + x**2), derivative_computed_as=Reciprocal(Hypot(x, 1)) ** 3,
                               catalog=Catalog())
    assert isru.searches[1].how == "hand" and isru.shortfalls == []


def test_a_hand_form_of_the_derivative_not_proven_equal_is_refused():
    with pytest.raises(DefinitionError, match=r"activation 'isru': derivative_computed_as .* is not proven equal"):
        register_activation("isru", x / sqrt(1 + x**2), derivative_computed_as=Reciprocal(Hypot(x, 1)) ** 2,
                            catalog=Catalog())
