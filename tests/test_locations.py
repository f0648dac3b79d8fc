"""Where symprop reads and writes (``symprop.locations``): a source checkout, or an installation it never writes.

Each rule is a function of its inputs (a folder, an environment, a working
folder), so these tests give them folders of their own.
"""

from pathlib import Path

import pytest

import codegen.paths
import derive.catalog.cache
from derive.spec import SPEC_DIR
from symprop import locations
from symprop.locations import cache_folder, extension_files, extension_folder, is_checkout, project_name, spec_folder

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "symprop"\nversion = "0.1.0"\n'


@pytest.fixture
def checkout(tmp_path):
    """A folder laid out as symprop's source checkout: a pyproject.toml naming symprop, and specs/."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "specs").mkdir()
    return tmp_path


def test_this_repository_is_a_checkout():
    assert locations.CHECKOUT == ROOT


def test_a_folder_with_a_pyproject_naming_symprop_and_specs_is_a_checkout(checkout):
    assert is_checkout(checkout)


def test_a_folder_without_specs_is_not_a_checkout(checkout):
    (checkout / "specs").rmdir()
    assert not is_checkout(checkout)


def test_a_folder_whose_pyproject_names_another_project_is_not_a_checkout(checkout):
    (checkout / "pyproject.toml").write_text(PYPROJECT.replace('"symprop"', '"codegen"'), encoding="utf-8")
    assert not is_checkout(checkout)


def test_site_packages_holding_symprop_is_not_a_checkout(tmp_path):
    for package in ("derive", "codegen", "generated", "symprop"):
        (tmp_path / package).mkdir()
    assert not is_checkout(tmp_path)


def test_a_name_outside_the_project_table_is_not_the_project_name():
    assert project_name('[tool.other]\nname = "symprop"\n\n[project]\nversion = "1"\n') is None


def test_unreadable_toml_names_no_project():
    assert project_name('[project\nname = "symprop"\n') is None


def test_the_project_name_is_read_after_arrays_and_comments():
    text = '[project]\ndependencies = [\n    "sympy",\n]\nname = "symprop"  # the distribution\n'
    assert project_name(text) == "symprop"


def test_a_checkout_caches_in_its_own_cache_folder(checkout):
    assert cache_folder(checkout, {"XDG_CACHE_HOME": "/elsewhere"}) == checkout / ".cache"


def test_an_installation_caches_in_xdg_cache_home(tmp_path):
    assert cache_folder(None, {"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "symprop"


def test_an_installation_without_xdg_cache_home_caches_in_the_home_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_folder(None, {}) == tmp_path / ".cache" / "symprop"


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_folder(None, {"XDG_CACHE_HOME": "relative/cache"}) == tmp_path / ".cache" / "symprop"


def test_both_caches_live_in_the_checkouts_cache_folder():
    assert (derive.catalog.cache.CACHE_DIR, codegen.paths.OUTPUT_CACHE) == (
        ROOT / ".cache" / "derive", ROOT / ".cache" / "generated")


def test_extensions_are_read_from_the_working_folder(tmp_path):
    assert extension_folder(tmp_path) == tmp_path / "extensions"


def test_the_extension_files_are_the_working_folders_then_the_environments(tmp_path):
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "b.py").write_text("", encoding="utf-8")
    (tmp_path / "extensions" / "a.py").write_text("", encoding="utf-8")
    (tmp_path / "extensions" / "notes.txt").write_text("", encoding="utf-8")
    named = tmp_path / "elsewhere.py"
    files = extension_files({"SYMPROP_EXTENSIONS": str(named)}, cwd=tmp_path)
    assert files == [tmp_path / "extensions" / "a.py", tmp_path / "extensions" / "b.py", named]


def test_the_extension_folder_follows_the_working_folder_not_the_packages(tmp_path, monkeypatch):
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "mine.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert extension_files({}) == [tmp_path / "extensions" / "mine.py"]


def test_a_checkout_reads_its_specs_folder(checkout):
    assert spec_folder(checkout) == checkout / "specs"


def test_an_installation_reads_the_specs_shipped_as_package_data():
    assert spec_folder(None) == Path(locations.__file__).resolve().parent / "specs"


def test_derive_and_codegen_read_the_same_specs_folder():
    assert SPEC_DIR == codegen.paths.SPECS == ROOT / "specs"
