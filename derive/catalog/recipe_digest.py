"""What one catalogue recipe's derivation depends on, as a digest, so an edit re-derives only what it touches.

A recipe is a function or a ``functools.partial`` of one, defined in a
definition module (``DEFINITIONS``: the files that state the built-in items).
Its digest covers its compiled code, its arguments (SymPy expressions by
``srepr``), and, followed through the names its code reads, every function
and value of a definition module it uses; everything else it calls
(``elementwise``, the proofs, SymPy) is derivation machinery, which
``machinery_digest`` covers as a whole: an edit there re-derives every item.
A value this cannot read deterministically stands for its whole module file.
"""

import enum
import hashlib
import sys
import types
from functools import cache, partial
from pathlib import Path

from sympy import Basic, srepr

__all__ = ["DEFINITIONS", "definition_files", "machinery_digest", "recipe_digest"]

_PACKAGE = Path(__file__).resolve().parents[1]
#: The modules that state built-in items: an edit to one re-derives only the items whose recipes it changes.
DEFINITIONS = ("derive.catalog.standard", "derive.catalog.standard_activations", "derive.catalog.standard_losses")


def definition_files() -> set[Path]:
    """The files of the definition modules."""
    return {_PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py") for module in DEFINITIONS}


@cache
def machinery_digest() -> str:
    """A digest of every Python file under ``derive/`` but the definition modules: the derivation code."""
    skipped = definition_files()
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if path not in skipped:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def recipe_digest(recipe: object) -> str:
    """The digest of ``recipe``: equal digests derive equal items, given equal machinery and equal items read.

    A recipe handed the catalogue may read other items from it; which ones
    shows only when it runs, so the registry records them (``Catalog.get``).
    """
    return hashlib.sha256(_describe(recipe, set(), None).encode()).hexdigest()


def _describe(value: object, seen: set[int], home: str | None) -> str:
    """A deterministic text standing for ``value`` and whatever of the definition modules it reaches.

    ``home`` is the definition module whose code reached ``value``: a value of
    a type not read here stands for that module's whole file.
    """
    def each(items) -> list[str]:
        return [_describe(item, seen, home) for item in items]

    if isinstance(value, Basic):
        return f"sympy:{srepr(value)}"
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, enum.Enum)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__}(" + ",".join(each(value)) + ")"
    if isinstance(value, dict):
        return "dict(" + ",".join(f"{k}:{v}" for k, v in zip(each(value), each(value.values()))) + ")"
    if isinstance(value, (set, frozenset)):
        return f"{type(value).__name__}(" + ",".join(sorted(each(value))) + ")"
    if isinstance(value, partial):
        keywords = sorted(zip(value.keywords, each(value.keywords.values())))
        return f"partial({_describe(value.func, seen, home)};{','.join(each(value.args))};{keywords})"
    if isinstance(value, types.FunctionType):
        return _describe_function(value, seen)
    kind = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if isinstance(value, (types.ModuleType, types.BuiltinFunctionType)):
        return f"object:{getattr(value, '__name__', '')}"
    if isinstance(value, type) and value.__module__ not in DEFINITIONS:
        return f"class:{kind}"
    if type(value).__qualname__ == "Catalog" and type(value).__module__ == "derive.catalog.registry":
        return "catalog"  # the items read from it are recorded as the recipe runs (Catalog.get)
    # A value of another type (an instance built in a definition module): its module's file, or, reached
    # from no definition module's code, every definition file.
    return "file:" + "".join(_module_file_digest(m) for m in ((home,) if home in DEFINITIONS else DEFINITIONS))


def _describe_function(function: types.FunctionType, seen: set[int]) -> str:
    """A function by its code, defaults and closure; one of a definition module also by the globals it reads."""
    name, home = f"{function.__module__}.{function.__qualname__}", function.__module__
    if id(function) in seen:
        return f"function:{name}:again"
    seen.add(id(function))
    parts = [
        f"function:{name}",
        _describe_code(function.__code__, seen, home),
        _describe(function.__defaults__, seen, home),
        _describe(dict(sorted((function.__kwdefaults__ or {}).items())), seen, home),
        _describe(tuple(cell.cell_contents for cell in function.__closure__ or ()), seen, home),
    ]
    if home in DEFINITIONS:  # the machinery's own globals are its files, which machinery_digest covers
        parts += [f"{used}={_describe(function.__globals__[used], seen, home)}"
                  for used in sorted(_names(function.__code__)) if used in function.__globals__]
    return "{" + ";".join(parts) + "}"


def _describe_code(code: types.CodeType, seen: set[int], home: str) -> str:
    """The code's instructions, names and constants, nested functions included; not its line numbers."""
    constants = [_describe_code(c, seen, home) if isinstance(c, types.CodeType) else _describe(c, seen, home)
                 for c in code.co_consts]
    return f"code({code.co_code.hex()};{code.co_names};{code.co_varnames};{','.join(constants)})"


def _names(code: types.CodeType) -> set[str]:
    """Every global (or attribute) name the code and its nested functions read."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names(constant)
    return names


def _module_file_digest(module: str) -> str:
    """The digest of the file of the definition ``module``."""
    imported = sys.modules.get(module)
    path = Path(imported.__file__) if imported else _PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")
    return hashlib.sha256(path.read_bytes()).hexdigest()
