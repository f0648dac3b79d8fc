"""Generated catalogue modules hold the runtime definitions they call, and no other."""

import ast
from pathlib import Path

import pytest

GENERATED = Path(__file__).resolve().parent.parent / "generated"


@pytest.mark.parametrize("module", ["activations", "losses", "penalties"])
def test_every_private_definition_of_a_catalogue_module_is_used_in_it(module):
    tree = ast.parse((GENERATED / f"{module}.py").read_text(encoding="utf-8"))
    private = {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("_")}
    private |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name) and t.id.startswith("_") and not t.id.startswith("__")}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    assert sorted(private - used) == []


@pytest.mark.parametrize("module", ["activations", "losses", "penalties"])
def test_every_runtime_call_of_a_catalogue_module_is_defined_in_it(module):
    tree = ast.parse((GENERATED / f"{module}.py").read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id.startswith("_")}
    assert sorted(called - defined) == []
