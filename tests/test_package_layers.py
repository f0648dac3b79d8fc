"""``derive``'s sub-packages depend on each other in one direction, and importing the maths prints nothing."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each sub-package and the ones it may import at module level.
ALLOWED = {
    "spec": set(),
    "core": set(),
    "stability": {"core"},
    "catalog": {"spec", "core", "stability"},
    "layers": {"spec", "core"},
    "program": {"spec", "core", "stability", "catalog", "layers"},
    "presentation": {"spec", "core", "stability", "catalog", "layers", "program"},
}


def module_level_imports(path: Path) -> set[str]:
    """The ``derive`` sub-packages a file imports at module level (a method may import its printer when called)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("derive."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("derive.")}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_sub_package_imports_only_those_below_it(package):
    for path in sorted((ROOT / "derive" / package).glob("*.py")):
        assert module_level_imports(path) - ALLOWED[package] - {package} == set(), path.name


def test_every_module_of_derive_is_in_a_sub_package():
    assert sorted(p.name for p in (ROOT / "derive").glob("*.py")) == ["__init__.py", "__main__.py"]
    assert sorted(p.name for p in (ROOT / "derive").iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(ALLOWED)


def loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``statement``."""
    code = f"{statement}; import sys; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_importing_derive_loads_no_presentation_and_no_jinja():
    loaded = loaded_after("import derive")
    assert not any(m.startswith(("derive.presentation", "jinja2")) for m in loaded)


def test_importing_the_catalogue_loads_no_presentation():
    loaded = loaded_after("from derive.catalog.standard import CATALOG; CATALOG.get('sigmoid')")
    assert "derive.catalog.standard" in loaded  # not vacuous
    assert not any(m.startswith(("derive.presentation", "jinja2")) for m in loaded)


def test_deriving_the_layers_loads_no_spec_reader():
    loaded = loaded_after("import derive.layers.dense, derive.layers.optimizers, derive.program.build")
    assert "derive.spec.model" in loaded  # not vacuous
    assert not any(m.startswith(("derive.spec.network_spec", "derive.spec.toml_file", "derive.spec.reader")) for m in loaded)


def test_spec_reading_loads_neither_sympy_nor_the_catalogue():
    loaded = loaded_after("from derive.spec import load_spec")
    assert "derive.spec.network_spec" in loaded  # not vacuous
    assert not any(m.startswith(("sympy", "derive.catalog", "derive.core")) for m in loaded)



#: The modules of ``codegen`` that drive a build: they ask ``derive`` for the catalogue and the programs.
DRIVERS = {"__main__.py", "rendering.py", "module_cache.py"}
#: What only a driver may import: the catalogue and the construction of a program.
BUILDING = {"derive.catalog.registry", "derive.catalog.standard", "derive.program.fold", "derive.program.build"}


def imported_anywhere(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return imported | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


PRINTERS = sorted(p.name for p in (ROOT / "codegen").glob("*.py") if p.name not in DRIVERS)


@pytest.mark.parametrize("path", PRINTERS)
def test_a_printer_imports_neither_the_catalogue_nor_the_fold(path):
    assert not imported_anywhere(ROOT / "codegen" / path) & BUILDING


@pytest.mark.parametrize("path", sorted(DRIVERS))
def test_a_driver_asks_derive_for_the_catalogue_or_a_program(path):
    assert imported_anywhere(ROOT / "codegen" / path) & BUILDING


RUNTIME = ROOT / "codegen" / "runtime"


@pytest.mark.parametrize("path", sorted(p.name for p in RUNTIME.glob("*.py")))
def test_a_runtime_file_imports_numpy_its_type_hints_its_thread_pool_the_clock_and_paths_and_runtime_files_only(path):
    tree = ast.parse((RUNTIME / path).read_text(encoding="utf-8"))
    absolute = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    absolute |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
    assert absolute <= {"numpy", "numpy.typing", "time", "os", "concurrent.futures", "contextvars"}
    assert all((RUNTIME / f"{name}.py").is_file() for name in relative)
