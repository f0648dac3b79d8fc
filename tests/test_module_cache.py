"""The module cache (``codegen.module_cache``): a module is rendered again exactly when what it reads changed.

Most tests render stand-in modules that read stand-in catalogue items: each
module's renderer is a function that reads some items of a small ``Catalog``
and records that it ran.  "Editing" an item registers its recipe again with
other arguments in a fresh catalogue, as an edit to a definition does in a
fresh process.  Every cache lives in ``tmp_path``, never in the repository's ``.cache/``.
"""

import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from sympy import Symbol

import codegen.module_cache
import derive.catalog.cache
from codegen.generate import SPECS, load_specs, render_all
from codegen.module_cache import render_modules
from codegen.output_cache import Inputs, inputs
from derive.catalog.recipe_digest import definition_files
from derive.catalog.registry import Catalog

#: What each stand-in module reads from the catalogue.
READS = {"one.py": ("a",), "two.py": ("b",), "both.py": ("a", "b")}
ENVIRONMENT = ("Python 3.x", "sympy 1.x")


def item(value: str, spelled: str = "") -> Symbol:
    """A stand-in item's recipe: the symbol ``value``; ``spelled`` changes the recipe, never the value."""
    return Symbol(value)


def catalogue(a: str = "a", b: str = "b", spelled: str = "", extra: str | None = None) -> Catalog:
    """A fresh catalogue of the kept items ``a`` and ``b`` (values given), and maybe one not kept, ``extra``."""
    catalog = Catalog()
    catalog.add("activation", "a", partial(item, a, spelled), cache=True)
    catalog.add("activation", "b", partial(item, b), cache=True)
    if extra is not None:
        catalog.add("activation", "extra", partial(item, extra))
    return catalog


@pytest.fixture(autouse=True)
def derive_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("SYMPROP_CACHE", raising=False)
    monkeypatch.setattr(derive.catalog.cache, "CACHE_DIR", tmp_path / "derive")


@pytest.fixture
def ran(monkeypatch):
    """Stand-in modules (``READS``, and ``net.py`` for each stand-in spec) in place of the real ones; the names rendered."""
    names = []

    def renderers(catalog, specs, rebuild=None):
        def render(name, reads):
            names.append(name)
            return "".join(f"{read.upper()} = {str(catalog.get(read))!r}\n" for read in reads)

        modules = {**READS, **{f"{spec.name}.py": spec.reads for spec in specs}}
        return {name: partial(render, name, reads) for name, reads in modules.items()}

    monkeypatch.setattr(codegen.module_cache, "module_renderers", renderers)
    monkeypatch.setattr(codegen.module_cache, "spec_files", lambda catalog, spec_dir: {})
    return names


def run(catalog, tmp_path, known=Inputs(ENVIRONMENT, ())) -> dict[str, str]:
    """``render_modules`` of the stand-ins over ``catalog``, entries stored; the files it returns."""
    files, store = render_modules(tmp_path / "specs", tmp_path / "modules", known, catalog=catalog)
    store()
    return files


def test_a_second_run_renders_nothing(tmp_path, ran):
    run(catalogue(), tmp_path)
    ran.clear()
    run(catalogue(), tmp_path)
    assert ran == []


def test_a_second_run_returns_the_files_the_first_rendered(tmp_path, ran):
    first = run(catalogue(), tmp_path)
    assert run(catalogue(), tmp_path) == first == {"one.py": "A = 'a'\n", "two.py": "B = 'b'\n",
                                                   "both.py": "A = 'a'\nB = 'b'\n"}


def test_an_edit_to_one_item_re_renders_the_modules_that_read_it_and_no_other(tmp_path, ran):
    run(catalogue(), tmp_path)
    ran.clear()
    files = run(catalogue(a="c"), tmp_path)
    assert (sorted(ran), files["both.py"]) == (["both.py", "one.py"], "A = 'c'\nB = 'b'\n")


def test_an_edit_undone_renders_again_rather_than_reuse_the_edited_entry(tmp_path, ran):
    run(catalogue(), tmp_path)
    run(catalogue(a="c"), tmp_path)
    assert run(catalogue(), tmp_path)["one.py"] == "A = 'a'\n"


def test_an_edit_that_derives_the_same_value_again_re_renders_nothing(tmp_path, ran):
    run(catalogue(), tmp_path)
    ran.clear()
    run(catalogue(spelled="the recipe changed, its value did not"), tmp_path)
    assert ran == []


def test_an_entry_is_not_stored_until_store_is_called(tmp_path, ran):
    render_modules(tmp_path / "specs", tmp_path / "modules", Inputs(ENVIRONMENT, ()), catalog=catalogue())
    ran.clear()
    run(catalogue(), tmp_path)
    assert sorted(ran) == sorted(READS)


def test_each_module_keeps_only_its_newest_entry(tmp_path, ran):
    run(catalogue(), tmp_path)
    run(catalogue(), tmp_path, Inputs(("another Python",), ()))
    assert sorted(path.name.partition("-")[0] for path in (tmp_path / "modules").iterdir()) == sorted(READS)


def test_a_module_that_read_an_item_not_kept_is_never_stored(tmp_path, ran, monkeypatch):
    monkeypatch.setitem(READS, "extra.py", ("extra", "a"))
    run(catalogue(extra="e"), tmp_path)
    ran.clear()
    files = run(catalogue(extra="f"), tmp_path)
    assert (ran, files["extra.py"]) == (["extra.py"], "EXTRA = 'f'\nA = 'a'\n")


def test_a_corrupt_entry_is_rendered_again(tmp_path, ran):
    run(catalogue(), tmp_path)
    for entry in (tmp_path / "modules").glob("one.py-*.json"):
        entry.write_text('{"reads": {"a": ', encoding="utf-8")
    ran.clear()
    assert (run(catalogue(), tmp_path)["one.py"], ran) == ("A = 'a'\n", ["one.py"])


@pytest.mark.parametrize("stored", ['{"reads": {}, "text": 1}', '{"reads": {"a": null}, "text": "A = 1\\n"}',
                                    '{"reads": [], "text": "A = 1\\n"}', '["reads", "text"]'])
def test_an_entry_not_in_the_stored_form_is_rendered_again(tmp_path, ran, stored):
    run(catalogue(), tmp_path)
    for entry in (tmp_path / "modules").glob("one.py-*.json"):
        entry.write_text(stored, encoding="utf-8")
    assert run(catalogue(), tmp_path)["one.py"] == "A = 'a'\n"


def test_an_item_added_to_the_catalogue_re_renders_every_module(tmp_path, ran):
    run(catalogue(), tmp_path)
    ran.clear()
    run(catalogue(extra="e"), tmp_path)
    assert sorted(ran) == sorted(READS)


def test_an_edited_code_file_re_renders_every_module(tmp_path, ran):
    code = tmp_path / "code.py"
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((code, "digest before"),)))
    ran.clear()
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((code, "digest after"),)))
    assert sorted(ran) == sorted(READS)


def test_an_edited_definition_file_re_renders_only_through_the_items_it_changes(tmp_path, ran):
    (definitions, *_) = sorted(definition_files())
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((definitions, "digest before"),)))
    ran.clear()
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((definitions, "digest after"),)))
    assert ran == []


@pytest.fixture
def specs(tmp_path, monkeypatch):
    """Two stand-in spec files, ``first.toml`` (network ``first``, reads ``a``) and ``second.toml`` (reads ``b``).

    Loading the specs reads the item ``b``, as a spec's parameters are checked against its items.
    """
    folder = tmp_path / "specs"
    loaded = {folder / "first.toml": SimpleNamespace(name="first", reads=("a",)),
              folder / "second.toml": SimpleNamespace(name="second", reads=())}

    def spec_files(catalog, spec_dir):
        catalog.get("b")
        return loaded

    monkeypatch.setattr(codegen.module_cache, "spec_files", spec_files)
    return list(loaded)


def test_an_edited_spec_re_renders_its_network_module_alone(tmp_path, ran, specs):
    first, second = specs
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((first, "1"), (second, "1"))))
    ran.clear()
    run(catalogue(), tmp_path, Inputs(ENVIRONMENT, ((first, "1"), (second, "2"))))
    assert ran == ["second.py"]


def test_an_item_read_while_loading_the_specs_re_renders_every_network_module(tmp_path, ran, specs):
    run(catalogue(), tmp_path)
    ran.clear()
    run(catalogue(b="c"), tmp_path)
    assert sorted(ran) == ["both.py", "first.py", "second.py", "two.py"]


def test_modules_from_the_module_cache_are_the_modules_render_all_gives(tmp_path, monkeypatch):
    """The built-in catalogue and specs: a run that finds every module stored returns what ``render_all`` renders."""
    spec_dir = tmp_path / "specs"
    shutil.copytree(SPECS, spec_dir)
    known = inputs(spec_dir)
    rendered, store = render_modules(spec_dir, tmp_path / "modules", known)
    store()
    with monkeypatch.context() as patched:
        patched.setattr(codegen.module_cache, "module_renderers", lambda catalog, specs, rebuild=None: {
            name: partial(pytest.fail, f"rendered {name} again") for name in rendered})
        again, _ = render_modules(spec_dir, tmp_path / "modules", known)
    assert again == rendered == render_all(specs=load_specs(spec_dir=spec_dir))


def test_importing_the_module_cache_loads_no_sympy_derive_or_jinja():
    script = ("import sys, codegen.module_cache\n"
              "print(sorted(n for n in sys.modules if n.split('.')[0] in ('sympy', 'derive', 'jinja2')))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(codegen.module_cache.__file__).parent.parent,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
