"""The derivation cache (``derive.catalog.cache``): keyed by everything that derives and unpickles, never stale.

Every entry lives in ``tmp_path`` (``CACHE_DIR`` is patched), never in the
repository's ``.cache/``.  The values stored are small stand-ins for derived
items; what matters is which value comes back.
"""

import hashlib
import os
import pickle
import shutil
import subprocess
import sys

import mpmath
import pytest
import sympy

import derive.catalog.cache
from derive.catalog.cache import cached

ROOT = derive.catalog.cache.CACHE_DIR.parent.parent


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("SYMPROP_CACHE", raising=False)
    folder = tmp_path / "derive"
    monkeypatch.setattr(derive.catalog.cache, "CACHE_DIR", folder)
    return folder


def value(name, compute, digest="recipe"):
    """The value ``cached`` returns, without its entry's digest."""
    return cached(name, compute, digest)[0]


def fails(name="probe"):
    """A ``compute`` that must not run: the value has to come from the cache."""
    def compute():
        pytest.fail(f"derived {name} instead of reading the cache")
    return compute


class Raises:
    """Pickles as a call of ``exec`` that raises ``error``: an entry whose loading fails that way."""

    def __init__(self, error):
        self.error = error

    def __reduce__(self):
        return exec, (f"raise {self.error}('stored by another version')",)


def entries(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_stored_item_is_read_back_without_deriving():
    cached("probe", lambda: {"derived": 1}, "recipe")
    assert value("probe", fails()) == {"derived": 1}


@pytest.mark.parametrize(("module", "attribute"), [(sys, "version"), (sympy, "__version__"), (mpmath, "__version__")])
def test_another_python_sympy_or_mpmath_version_derives_afresh(monkeypatch, module, attribute):
    cached("probe", lambda: "stored", "recipe")
    monkeypatch.setattr(module, attribute, "0.0.0 (another release)")
    assert value("probe", lambda: "derived afresh") == "derived afresh"


def test_other_sympy_ground_types_derive_afresh(monkeypatch):
    cached("probe", lambda: "stored", "recipe")
    monkeypatch.setattr(derive.catalog.cache, "GROUND_TYPES", "flint" if derive.catalog.cache.GROUND_TYPES != "flint" else "python")
    assert value("probe", lambda: "derived afresh") == "derived afresh"


def test_an_edited_derive_source_file_derives_afresh(monkeypatch):
    cached("probe", lambda: "stored", "recipe")
    monkeypatch.setattr(derive.catalog.cache, "machinery_digest", lambda: "the digest of edited machinery")
    assert value("probe", lambda: "derived afresh") == "derived afresh"


UNLOADABLE = {
    "TypeError": pickle.dumps(Raises("TypeError")),
    "ImportError": pickle.dumps(Raises("ImportError")),
    "ModuleNotFoundError": b"csymprop_module_removed_since\nActivation\n.",
    "ValueError": pickle.dumps(Raises("ValueError")),
    "AttributeError": b"cderive.activations\nClassRenamedSince\n.",
    "UnpicklingError": b"not a pickle at all",
    "EOFError": b"",
    "truncated": pickle.dumps({"derived": list(range(100))})[:20],
}


@pytest.mark.parametrize("damage", list(UNLOADABLE))
def test_an_entry_that_fails_to_load_is_derived_afresh(cache_dir, damage):
    cached("probe", lambda: "stored", "recipe")
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(UNLOADABLE[damage])
    assert value("probe", lambda: "derived afresh") == "derived afresh"


@pytest.mark.parametrize("damage", list(UNLOADABLE))
def test_an_entry_that_fails_to_load_is_overwritten(cache_dir, damage):
    cached("probe", lambda: "stored", "recipe")
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(UNLOADABLE[damage])
    cached("probe", lambda: "derived afresh", "recipe")
    assert pickle.loads(entry.read_bytes()) == "derived afresh"


def test_storing_an_entry_deletes_the_items_older_entries(cache_dir, monkeypatch):
    cached("probe", lambda: "stored", "recipe")
    cached("probe_other", lambda: "another item", "recipe")
    monkeypatch.setattr(derive.catalog.cache, "machinery_digest", lambda: "the digest of edited machinery")
    cached("probe", lambda: "derived afresh", "recipe")
    assert [name.split("-")[0] for name in entries(cache_dir)] == ["probe", "probe_other"]


def test_a_value_that_cannot_be_pickled_is_returned_and_not_stored(cache_dir):
    def unpicklable():
        return lambda: "a local function"

    function, digest = cached("probe", unpicklable, "recipe")
    assert (function(), digest, entries(cache_dir)) == ("a local function", None, [])


def test_symprop_cache_0_neither_reads_nor_writes(cache_dir, monkeypatch):
    monkeypatch.setenv("SYMPROP_CACHE", "0")
    assert (cached("probe", lambda: "derived", "recipe"), entries(cache_dir)) == (("derived", None), [])


def test_the_digest_returned_is_the_sha256_of_the_entry_written(cache_dir):
    _, digest = cached("probe", lambda: {"derived": 1}, "recipe")
    (entry,) = cache_dir.iterdir()
    assert digest == hashlib.sha256(entry.read_bytes()).hexdigest()


def test_a_stored_item_is_read_back_with_the_digest_it_was_stored_with():
    stored = cached("probe", lambda: {"derived": 1}, "recipe")
    assert cached("probe", fails(), "recipe") == stored


def test_the_same_value_derived_under_another_recipe_has_the_same_digest():
    assert cached("probe", lambda: {"derived": 1}, "recipe")[1] == cached("probe", lambda: {"derived": 1}, "edited")[1]


def test_another_value_has_another_digest():
    assert cached("probe", lambda: {"derived": 1}, "recipe")[1] != cached("probe", lambda: {"derived": 2}, "edited")[1]


def test_an_unwritable_cache_folder_still_gives_the_digest(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("a file where the cache folder's parent should be\n", encoding="utf-8")
    monkeypatch.setattr(derive.catalog.cache, "CACHE_DIR", tmp_path / "file" / "derive")
    expected = hashlib.sha256(pickle.dumps({"derived": 1}, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    assert cached("probe", lambda: {"derived": 1}, "recipe") == ({"derived": 1}, expected)


# An extension that asks the catalogue to cache its item, as the built-ins do.
CACHING_EXTENSION = """\
from derive.catalog.registry import CATALOG
from derive.catalog.activations import elementwise
from derive.core.symbols import x

CATALOG.add("activation", "probe", lambda: elementwise("probe", {definition}), cache=True)
"""
REGISTERING_EXTENSION = """\
from derive.catalog.registry import register_activation
from derive.core.symbols import x

register_activation("probe", {definition})
"""
PRINT_PROBE = """\
import sys
from pathlib import Path
import derive.catalog.cache
derive.catalog.cache.CACHE_DIR = Path(sys.argv[1])
from derive.catalog.standard import CATALOG
print(CATALOG.get("probe").definition)
"""


def probe_definition(extension, cache_dir):
    """The definition of ``probe`` that a fresh process derives with the extension file and derive cache given."""
    environment = {**os.environ, "SYMPROP_EXTENSIONS": str(extension), "SYMPROP_CACHE": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PRINT_PROBE, str(cache_dir)], cwd=ROOT, env=environment,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.mark.parametrize("template", [CACHING_EXTENSION, REGISTERING_EXTENSION], ids=["add_cache", "register"])
def test_editing_an_extension_file_changes_the_derivation(tmp_path, cache_dir, template):
    extension = tmp_path / "probe.py"
    extension.write_text(template.format(definition="2*x"), encoding="utf-8")
    probe_definition(extension, cache_dir)
    extension.write_text(template.format(definition="3*x"), encoding="utf-8")
    assert probe_definition(extension, cache_dir) == "3*x"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_clean_removes_the_caches(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path)
    (tmp_path / ".cache" / "derive").mkdir(parents=True)
    (tmp_path / ".cache" / "derive" / "sigmoid-0123.pickle").write_bytes(b"an entry")
    subprocess.run(["make", "--silent", "clean"], cwd=tmp_path, check=True)
    assert not (tmp_path / ".cache").exists()
