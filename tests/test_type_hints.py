"""Every public function of a generated module has type hints on all its parameters and its result.

Checked on every module of ``generated/``, on a network module rendered from
each spec of ``specs/`` and on one rendered with ``--target numba`` (when
numba is installed): their functions, and the methods of their classes, whose
names do not start with ``_``.
"""

import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

from codegen.rendering import load_specs, render_network, render_numba_network

ROOT = Path(__file__).resolve().parent.parent
GENERATED = sorted(path.stem for path in (ROOT / "generated").glob("*.py") if path.stem != "__init__")
SPECS = {spec.name: spec for spec in load_specs()}


def public_functions(module) -> dict[str, object]:
    """The module's own public functions and its public classes' public methods (and ``__init__``), by name."""
    found = {}
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            found[name] = value
        elif inspect.isclass(value):
            found.update({f"{name}.{method}": function for method, function in vars(value).items()
                          if inspect.isfunction(function) and (not method.startswith("_") or method == "__init__")})
    return found


def unannotated(function) -> list[str]:
    """The parameters (``self`` aside) without a type hint, and ``return`` when the result has none."""
    signature = inspect.signature(function)
    missing = [name for name, parameter in signature.parameters.items()
               if name != "self" and parameter.annotation is inspect.Parameter.empty]
    return missing + (["return"] if signature.return_annotation is inspect.Signature.empty else [])


def imported(path: Path, monkeypatch):
    """The module at ``path``, imported under its file's name (in ``sys.modules`` for the test's length)."""
    loader = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(loader)
    monkeypatch.setitem(sys.modules, path.stem, module)
    loader.loader.exec_module(module)
    return module


def missing_hints(module) -> dict[str, list[str]]:
    functions = public_functions(module)
    assert functions, f"{module.__name__} has no public function"
    return {name: unannotated(function) for name, function in functions.items() if unannotated(function)}


@pytest.mark.parametrize("name", GENERATED)
def test_every_public_function_of_a_generated_module_has_type_hints(name):
    assert missing_hints(importlib.import_module(f"generated.{name}")) == {}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_public_function_of_a_network_module_rendered_from_a_spec_has_type_hints(name, tmp_path, monkeypatch):
    path = tmp_path / f"rendered_{name}.py"
    path.write_text(render_network(SPECS[name]), encoding="utf-8")
    assert missing_hints(imported(path, monkeypatch)) == {}


def test_every_public_function_of_a_compiled_network_module_has_type_hints(tmp_path, monkeypatch):
    numba = pytest.importorskip("numba", reason="the compiled target needs the `fast` extra")
    pytest.importorskip("scipy", reason="Numba's np.dot needs scipy")
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "compiled_example2.py"
    path.write_text(render_numba_network(SPECS["example2"]), encoding="utf-8")
    assert missing_hints(imported(path, monkeypatch)) == {}


def test_a_function_without_hints_is_reported():
    def bare(x, y=1):
        return x

    assert unannotated(bare) == ["x", "y", "return"]
