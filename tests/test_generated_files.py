"""generated/ is a deterministic, up-to-date rendering that depends on NumPy alone (and the standard library).

Also: every generated file says where it came from and how to rebuild it,
and the templates carry no mathematics of their own.
"""

import ast
from pathlib import Path

import pytest

from codegen.__main__ import main
from codegen.generate import load_specs, render_all, render_network
from derive.catalog.standard import register_builtins
from derive.catalog.registry import Catalog
from derive.spec import load_spec
from derive.catalog.standard import CATALOG

VOCABULARY = CATALOG.vocabulary()

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
TEMPLATES = ROOT / "codegen" / "templates"

ON_DISK = sorted(p.name for p in GENERATED.glob("*.py"))

# Where each file says it comes from.
SOURCES = {
    "__init__.py": "specs/",
    "activations.py": "derive/catalog/standard.py",
    "losses.py": "derive/catalog/standard.py",
    "penalties.py": "derive/catalog/standard.py",
    "initializers.py": "derive/catalog/standard.py",
    "example1.py": "specs/example1.toml",
    "example2.py": "specs/example2.toml",
}

NUMPY_MATH = ["np.exp(", "np.log(", "np.where(", "np.maximum(", "np.tanh("]


@pytest.fixture(scope="module")
def rendered():
    return render_all()


def header(name):
    return "\n".join((GENERATED / name).read_text(encoding="utf-8").splitlines()[:2])


def imported_modules(name):
    tree = ast.parse((GENERATED / name).read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or "").split(".")[0])
    return modules


def test_rendering_twice_gives_identical_files(rendered):
    assert render_all() == rendered


def test_files_on_disk_equal_a_fresh_rendering(rendered):
    stale = [name for name, text in rendered.items() if (GENERATED / name).read_text(encoding="utf-8") != text]
    assert stale == []


def test_no_extra_python_files_on_disk(rendered):
    assert ON_DISK == sorted(rendered)


def test_check_command_finds_generated_up_to_date():
    assert main(["generate", "--check"]) == 0


def test_every_generated_file_has_a_known_source():
    assert sorted(SOURCES) == ON_DISK


@pytest.mark.parametrize("name", ON_DISK)
def test_generated_file_imports_only_numpy_and_the_standard_librarys_clock_paths_and_threads(name):
    assert imported_modules(name) <= {"numpy", "time", "os", "contextvars", "concurrent"}


@pytest.mark.parametrize("name", ON_DISK)
def test_generated_file_header_says_do_not_edit(name):
    assert "Do not edit" in header(name)


@pytest.mark.parametrize("name", ON_DISK)
def test_generated_file_header_names_its_source(name):
    assert f"from {SOURCES[name]}" in header(name)


@pytest.mark.parametrize("name", ON_DISK)
def test_generated_file_header_gives_the_rebuild_command(name):
    assert "make generate" in header(name)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_template_contains_no_numpy_math(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert [f for f in NUMPY_MATH if f in text] == []


def test_a_network_module_renders_alone_as_in_the_full_build(rendered):
    for spec in load_specs():
        assert render_network(spec) == rendered[f"{spec.name}.py"]


def test_rendering_one_network_derives_only_the_items_it_uses():
    catalog = Catalog()
    register_builtins(catalog)
    spec = load_spec(ROOT / "specs" / "example1.toml", VOCABULARY)
    render_network(spec, catalog)
    used = {spec.loss} | {
        name for layer in spec.layers
        for name in (layer.activation, layer.weight_init, layer.bias_init, layer.penalty) if name is not None
    }
    assert set(catalog.derived_names()) == used


def test_a_deep_network_derives_the_dense_rule_once_per_bias_kind_and_each_catalogue_item_once():
    from derive.layers.dense import _derived
    from derive.program.build import derive_network
    from network_modules import spec_of

    layers = [{"units": 3, "activation": ["relu", "tanh"][n % 2], "bias": ["per_neuron", "none"][n // 6]}
              for n in range(12)]
    catalog = Catalog()
    register_builtins(catalog)
    calls = []  # every recipe the catalogue runs, counted
    catalog._recipes = {name: (kind, lambda r=recipe, n=name: calls.append(n) or r())
                        for name, (kind, recipe) in catalog._recipes.items()}
    _derived.cache_clear()
    derive_network(spec_of({"name": "deep", "inputs": 2, "layers": layers, "loss": "mse"}), catalog)
    assert _derived.cache_info().misses == 2
    assert sorted(calls) == ["glorot_uniform", "mse", "relu", "tanh", "zeros"]
