"""Every network module includes the runtime of ``codegen/runtime/`` verbatim, and the templates none of it.

The only change allowed on the way in: each call of a formula's stand-in
(``_central_difference(...)``) becomes the formula printed from ``derive``.
"""

import ast
from pathlib import Path

import pytest

import codegen.network_module
from codegen.emit import Body
from codegen.network_module import runtime_source
from codegen.rendering import render_network
from derive.catalog.registry import CATALOG
from derive.program.gradient_check import CENTRAL_DIFFERENCE, RELATIVE_ERROR
from network_modules import spec_of
from runtime_network import RUNTIME_FILES

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "codegen" / "runtime"
TEMPLATES = ROOT / "codegen" / "templates"
#: The stand-ins' calls as the runtime file writes them, and the formula printed in their place.
FORMULAS = {
    "_central_difference(cost_plus, cost_minus, eps)": Body().code(CENTRAL_DIFFERENCE),
    "_relative_error(analytic, numeric)": Body().code(RELATIVE_ERROR),
}
#: A network with momentum, batch normalisation, dropout and a frozen layer: every branch of the templates.
FEATURED = {"name": "featured", "inputs": 3, "loss": "softmax_neg_log_likelihood",
            "optimizer": {"name": "momentum", "momentum": 0.5},
            "layers": [{"units": 4, "activation": "tanh", "batch_norm": True, "dropout": 0.25},
                       {"units": 3, "activation": "relu", "trainable": False},
                       {"units": 2, "activation": "linear"}]}


def definitions(path: Path) -> dict[str, str]:
    """Every function of a runtime file and every method of its classes, as written (methods indented)."""
    text = path.read_text(encoding="utf-8")
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = ast.get_source_segment(text, node)
        elif isinstance(node, ast.ClassDef):
            for method in (m for m in node.body if isinstance(m, ast.FunctionDef)):
                found[f"{node.name}.{method.name}"] = ast.get_source_segment(text, method, padded=True)
    return found


def included(source: str) -> str:
    """``source`` as a module holds it: each stand-in's call replaced by its printed formula."""
    for call, formula in FORMULAS.items():
        source = source.replace(call, formula)
    return source


#: Runtime files only modules with a classification loss include.
CLASSIFIERS_ONLY = {"network_classes.py"}
RUNTIME_DEFINITIONS = [(f"{file}.py", name, source) for file in RUNTIME_FILES
                       for name, source in definitions(RUNTIME / f"{file}.py").items()]


@pytest.fixture(scope="module")
def network_modules() -> dict[str, str]:
    """The source of each generated network module, and of one rendered with every feature."""
    catalogue = {"__init__", "activations", "losses", "penalties", "initializers"}
    generated = [path for path in (ROOT / "generated").glob("*.py") if path.stem not in catalogue]
    modules = {path.name: path.read_text(encoding="utf-8") for path in generated}
    modules["featured.py"] = render_network(spec_of(FEATURED), CATALOG)
    return modules


def test_the_runtime_defines_what_the_modules_include():
    assert {"fit", "gradient_check", "save", "load", "predict", "_params", "Trainer.copy_params"} <= {
        name for _, name, _ in RUNTIME_DEFINITIONS}


@pytest.mark.parametrize("file, name, source", RUNTIME_DEFINITIONS,
                         ids=[f"{file}:{name}" for file, name, _ in RUNTIME_DEFINITIONS])
def test_every_runtime_definition_is_included_verbatim_in_each_network_module(network_modules, file, name, source):
    needing = {module: text for module, text in network_modules.items()
               if file not in CLASSIFIERS_ONLY or "\nCLASSES = None\n" not in text}
    missing = [module for module, text in needing.items() if included(source) not in text]
    assert missing == []


def test_a_regression_module_includes_nothing_of_the_classifiers_runtime(network_modules):
    text = network_modules["example1.py"]
    assert [name for file, name, _ in RUNTIME_DEFINITIONS if file in CLASSIFIERS_ONLY and f"def {name}(" in text] == []


def test_the_gradient_check_module_text_holds_the_printed_formulas_not_the_stand_ins(network_modules):
    for text in network_modules.values():
        assert "_central_difference(" not in text and "_relative_error(" not in text
        assert all(formula in text for formula in FORMULAS.values())


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.iterdir()))
def test_no_template_defines_a_runtime_function(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert [name for _, name, _ in RUNTIME_DEFINITIONS if f"def {name.rpartition('.')[2]}(" in text] == []


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.iterdir()))
def test_a_template_is_at_most_120_lines(template):
    assert len((TEMPLATES / template).read_text(encoding="utf-8").splitlines()) <= 120


# -- runtime_source ------------------------------------------------------------------------------------------


@pytest.fixture
def runtime_folder(tmp_path, monkeypatch):
    """A runtime folder of one file, ``demo.py``, for ``runtime_source`` to read."""
    (tmp_path / "demo.py").write_text(
        'import numpy as np\n\nSCALE = None\n_twice = None\n\n\n'
        'def first(a):\n    """One."""\n    return _twice(a)\n\n\n'
        'def second(a, b):\n    return np.hypot(a, _twice(b)) + _twice(a)\n\n\n'
        'class Box:\n    def get(self):\n        return self.value\n\n'
        '    def put(self, value):\n        self.value = value\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(codegen.network_module, "RUNTIME", tmp_path)
    return tmp_path


def test_runtime_source_includes_every_top_level_function_and_no_module_names(runtime_folder):
    assert runtime_source("demo.py") == (
        'def first(a):\n    """One."""\n    return _twice(a)\n\n\n'
        'def second(a, b):\n    return np.hypot(a, _twice(b)) + _twice(a)'
    )


def test_runtime_source_picks_a_method_indented_as_in_its_class(runtime_folder):
    assert runtime_source("demo.py", "Box.put") == "    def put(self, value):\n        self.value = value"


def test_runtime_source_separates_methods_by_one_blank_line(runtime_folder):
    assert runtime_source("demo.py", "Box.get", "Box.put").count("\n\n    def put") == 1


def test_runtime_source_refuses_a_name_the_file_does_not_define(runtime_folder):
    with pytest.raises(ValueError, match="defines no third"):
        runtime_source("demo.py", "third")


def test_runtime_source_puts_printed_code_in_place_of_a_stand_in_call(runtime_folder):
    assert runtime_source("demo.py", "first", printed={"_twice": "2*a"}).endswith("    return 2*a")


def test_runtime_source_refuses_printed_code_reading_a_name_the_call_does_not_pass(runtime_folder):
    with pytest.raises(ValueError, match="reads b"):
        runtime_source("demo.py", "first", printed={"_twice": "a + b"})


def test_runtime_source_refuses_a_stand_in_call_inside_a_larger_expression(runtime_folder):
    with pytest.raises(ValueError, match="whole right-hand side, returned value or argument"):
        runtime_source("demo.py", "second", printed={"_twice": "2*b"})
