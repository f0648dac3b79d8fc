"""Bad definitions get one clear error naming the item and what is accepted; nothing is written.

Direct calls check the message; the command line, run with a bad extension
file against a copy of generated/, checks the exit code and that the copy
is untouched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sympy import Function, Symbol, exp

from derive.catalog.activations import elementwise
from derive.catalog.registry import Catalog, register_activation
from derive.core.errors import DefinitionError
from derive.core.symbols import x

ROOT = Path(__file__).resolve().parent.parent


def test_a_stray_symbol_is_named_with_the_accepted_ones():
    with pytest.raises(DefinitionError, match=r"activation 'bad': unknown symbol\(s\) beta .*accepted: the input"):
        elementwise("bad", Symbol("beta") * x)


def test_an_undifferentiable_expression_is_rejected():
    with pytest.raises(DefinitionError, match=r"activation 'bad': SymPy cannot differentiate"):
        elementwise("bad", Function("f")(x))


def test_a_parameter_without_a_default_is_rejected():
    alpha = Symbol("alpha", positive=True)
    with pytest.raises(DefinitionError, match=r"parameter 'alpha' has no default"):
        elementwise("bad", alpha * x, params={alpha: None})


def test_a_name_already_in_the_catalogue_is_rejected():
    catalog = Catalog()
    register_activation("mine", exp(x), catalog=catalog)
    with pytest.raises(DefinitionError, match=r"activation 'mine': the name is already taken"):
        register_activation("mine", x, catalog=catalog)


def test_a_name_that_is_not_an_identifier_is_rejected():
    with pytest.raises(DefinitionError, match=r"not a Python identifier"):
        elementwise("soft sign", x)


def test_a_computed_form_that_is_not_equal_is_rejected():
    with pytest.raises(DefinitionError, match=r"computed_as .* is not proven equal"):
        elementwise("bad", exp(x), computed_as=exp(x) + 1)


BAD_EXTENSIONS = {
    "stray symbol": ("from sympy import Symbol\nfrom derive.core.symbols import x\n"
                     "register_activation('bad', Symbol('beta') * x)\n", "unknown symbol(s) beta"),
    "unprintable": ("from sympy import besselj\nfrom derive.core.symbols import x\n"
                    "register_activation('bessel', besselj(0, x))\n", "activation 'bessel': cannot be printed as NumPy"),
    "never finite": ("from sympy import cosh, sinh, tanh\nfrom derive.core.symbols import x\n"
                     "register_activation('ratio', cosh(x)/sinh(x) - 1/tanh(x) + sinh(x)/cosh(x))\n",
                     "activation 'ratio': no form of f found that is finite and warning-free everywhere"),
    "name clash": ("from derive.core.symbols import x\nregister_activation('sigmoid', x)\n", "already taken"),
    "loss without prediction": ("from derive.catalog.registry import register_loss\n"
                                "from derive.core.symbols import target\nregister_loss('bad', target**2)\n",
                                "loss 'bad': the cost per entry target**2 does not depend on prediction"),
    "unprintable loss": ("from sympy import besselj\nfrom derive.catalog.registry import register_loss\n"
                         "from derive.core.symbols import prediction, target\n"
                         "register_loss('bessel', besselj(0, prediction - target))\n",
                         "loss 'bessel' cannot be printed as NumPy"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXTENSIONS))
def test_generate_with_a_bad_extension_fails_cleanly_and_writes_nothing(case, tmp_path):
    source, message = BAD_EXTENSIONS[case]
    extension = tmp_path / "bad.py"
    extension.write_text("from derive.catalog.registry import register_activation\n" + source, encoding="utf-8")
    out = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--out", str(out)], cwd=ROOT, capture_output=True,
        text=True, timeout=300, env={**os.environ, "SYMPROP_EXTENSIONS": str(extension)},
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
