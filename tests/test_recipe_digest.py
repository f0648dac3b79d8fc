"""Each catalogue item is cached under what it depends on: an edit re-derives only the items it touches.

A definition module is written to ``tmp_path`` and imported as one of
``derive.catalog.recipe_digest.DEFINITIONS``; "editing" it rewrites the file
and reloads it.  The registry tests derive through a ``Catalog`` of stand-in
recipes with the disk cache in ``tmp_path``.
"""

import hashlib
import importlib
import os
import subprocess
import sys
from functools import partial

import pytest

import derive.catalog.cache
import derive.catalog.registry
import derive.catalog.recipe_digest as recipe_digest_module
from derive.catalog.recipe_digest import recipe_digest
from derive.catalog.registry import Catalog

DEFINITIONS = '''\
from sympy import Rational, Symbol

x = Symbol("x")
SLOPE = Rational({slope})


def _helper():
    return {helper}


def first():
    return SLOPE * x + _helper()


def second():
    return {second} * x


def reader(catalog):
    return catalog.get("first") + 1


TABLE = {table}


def tabled():
    return sum(TABLE) * x
'''
VALUES = {"slope": "1, 2", "helper": "3", "second": "2", "table": "range(3)"}


@pytest.fixture
def definitions(tmp_path, monkeypatch):
    """A definition module ``probe_definitions``; calling the fixture's result rewrites and reloads it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(recipe_digest_module, "DEFINITIONS", (*recipe_digest_module.DEFINITIONS, "probe_definitions"))
    path = tmp_path / "probe_definitions.py"

    def write(prefix: str = "", **changes: str):
        path.write_text(prefix + DEFINITIONS.format(**{**VALUES, **changes}), encoding="utf-8")
        sys.modules.pop("probe_definitions", None)
        importlib.invalidate_caches()
        return importlib.import_module("probe_definitions")

    yield write
    sys.modules.pop("probe_definitions", None)


def digests(module) -> tuple[str, str]:
    return recipe_digest(module.first), recipe_digest(module.second)


def test_editing_one_recipe_changes_its_digest_alone(definitions):
    before = digests(definitions())
    after = digests(definitions(second="5"))
    assert after[0] == before[0] and after[1] != before[1]


def test_editing_a_helper_the_recipe_calls_changes_its_digest(definitions):
    before = digests(definitions())
    after = digests(definitions(helper="4"))
    assert after[0] != before[0] and after[1] == before[1]


def test_editing_a_module_constant_the_recipe_reads_changes_its_digest(definitions):
    assert recipe_digest(definitions().first) != recipe_digest(definitions(slope="1, 3").first)


def test_moving_a_recipe_down_the_file_keeps_its_digest(definitions):
    assert digests(definitions()) == digests(definitions(prefix="\n\n# a comment above\n\n"))


def test_a_partial_recipe_is_digested_with_its_arguments(definitions):
    module = definitions()
    assert recipe_digest(partial(module.first)) != recipe_digest(partial(module.second))
    assert recipe_digest(partial(module.reader, 1)) != recipe_digest(partial(module.reader, 2))


def test_a_builtin_recipe_digest_is_the_same_under_any_hash_seed():
    script = (
        "from derive.catalog.standard import CATALOG\n"
        "from derive.catalog.recipe_digest import recipe_digest\n"
        "from derive.catalog.standard_activations import ACTIVATIONS\n"
        "from derive.catalog.standard_losses import LOSSES\n"
        "print([recipe_digest(r) for r in [*ACTIVATIONS.values(), *LOSSES.values()]])\n"
    )
    printed = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True).stdout for seed in ("1", "2")}
    assert len(printed) == 1


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("SYMPROP_CACHE", raising=False)
    monkeypatch.setattr(derive.catalog.cache, "CACHE_DIR", tmp_path / "derive")


def derived_by(module, monkeypatch) -> tuple[dict, list[str]]:
    """Every item of a fresh catalogue of ``module``'s recipes, and the names whose recipes ran."""
    ran = []

    def spying(name, compute, digest, valid):
        def run():
            ran.append(name)
            return compute()
        return derive.catalog.cache.cached(name, run, digest, valid)

    monkeypatch.setattr(derive.catalog.registry, "cached", spying)
    catalog = Catalog()
    catalog.add("activation", "first", module.first, cache=True)
    catalog.add("activation", "second", module.second, cache=True)
    catalog.add("activation", "reader", partial(module.reader, catalog), cache=True)
    return {name: catalog.get(name) for name in ("reader", "first", "second")}, ran


def test_a_second_catalogue_reads_every_item_from_the_cache(definitions, cache_dir, monkeypatch):
    derived_by(definitions(), monkeypatch)
    assert derived_by(definitions(), monkeypatch)[1] == []


def test_an_edit_to_one_item_derives_that_item_alone(definitions, cache_dir, monkeypatch):
    derived_by(definitions(), monkeypatch)
    items, ran = derived_by(definitions(second="5"), monkeypatch)
    assert ran == ["second"] and str(items["second"]) == "5*x"


def test_an_edit_to_an_item_another_reads_derives_both(definitions, cache_dir, monkeypatch):
    derived_by(definitions(), monkeypatch)
    items, ran = derived_by(definitions(slope="1, 3"), monkeypatch)
    assert sorted(ran) == ["first", "reader"] and str(items["reader"]) == "x/3 + 4"


def test_an_edit_that_derives_the_same_value_again_leaves_its_readers_cached(definitions, cache_dir, monkeypatch):
    derived_by(definitions(), monkeypatch)
    items, ran = derived_by(definitions(helper="x - x + 3"), monkeypatch)
    assert ran == ["first"] and str(items["reader"]) == "x/2 + 4"


def test_recording_gives_each_item_read_with_the_digest_of_its_entry(definitions, cache_dir):
    catalog = Catalog()
    catalog.add("activation", "first", definitions().first, cache=True)
    catalog.get("first")
    (entry,) = (derive.catalog.cache.CACHE_DIR).glob("first-*.pickle")
    with catalog.recording() as reads:
        catalog.get("first")
    assert reads == {"first": hashlib.sha256(entry.read_bytes()).hexdigest()}


def test_an_item_not_kept_is_recorded_without_a_digest_and_never_unchanged(definitions, cache_dir):
    catalog = Catalog()
    catalog.add("activation", "first", definitions().first)
    with catalog.recording() as reads:
        catalog.get("first")
    assert reads == {"first": None} and not catalog.unchanged(reads)


def test_a_recorded_read_of_an_item_since_changed_is_not_unchanged(definitions, cache_dir):
    def recorded(module):
        catalog = Catalog()
        catalog.add("activation", "first", module.first, cache=True)
        with catalog.recording() as reads:
            catalog.get("first")
        return catalog, reads

    _, before = recorded(definitions())
    catalog, after = recorded(definitions(slope="1, 3"))
    assert catalog.unchanged(after) and not catalog.unchanged(before)


def test_a_recorded_read_of_an_item_no_longer_in_the_catalogue_is_not_unchanged(definitions, cache_dir):
    catalog = Catalog()
    catalog.add("activation", "first", definitions().first, cache=True)
    with catalog.recording() as reads:
        catalog.get("first")
    assert not Catalog().unchanged(reads)


def test_a_value_of_another_type_stands_for_its_definition_file(definitions):
    assert recipe_digest(definitions().tabled) != recipe_digest(definitions(table="range(4)").tabled)
