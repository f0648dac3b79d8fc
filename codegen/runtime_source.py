"""The part of ``codegen/runtime/catalogue_arrays.py`` a generated module calls, as source text.

The runtime file is plain Python, run by the tests as written; each catalogue
module gets a copy of the definitions its checks and results call, and of
what those call in turn, in the file's order, with the comments above them.
"""

import ast
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["RUNTIME", "runtime_source"]

#: The runtime file the generated catalogue modules copy from.
RUNTIME = Path(__file__).resolve().parent / "runtime" / "catalogue_arrays.py"

#: Called by every generated catalogue function's return statement.
_ALWAYS = ("_result",)


def runtime_source(functions: Iterable) -> str:
    """The runtime definitions ``functions`` (``catalogue_module.Function``) need, separated as in a module."""
    text = RUNTIME.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    definitions, start = {}, None
    for node in tree.body:
        if start is not None and isinstance(node, (ast.FunctionDef, ast.Assign)):
            name = node.name if isinstance(node, ast.FunctionDef) else node.targets[0].id
            definitions[name] = (node, "\n".join(lines[start:node.end_lineno]).strip("\n"))
        start = node.end_lineno
    called = {name for f in functions for line in f.checks for name in re.findall(r"\b(_\w+)\(", line)}
    needed, pending = set(), [*_ALWAYS, *sorted(called)]
    while pending:
        name = pending.pop()
        if name in needed or name not in definitions:
            continue
        needed.add(name)
        pending += [n.id for n in ast.walk(definitions[name][0]) if isinstance(n, ast.Name)]
    return "\n\n\n".join(source for name, (_, source) in definitions.items() if name in needed)
