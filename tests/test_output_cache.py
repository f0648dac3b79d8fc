"""The output cache: a warm ``make generate`` reuses rendered files, and only when nothing changed.

``codegen.output_cache.render_cached`` keys the rendered files by a digest of
every input.  Most tests replace rendering with a stub (rendering is slow
and beside the point); the one about byte-identity compares a real cache hit
with a render in another process with every cache off.  Every output cache
lives in ``tmp_path``, never in the repository's ``.cache/``.
"""

import functools
import json
import os
import shutil
import subprocess
import sys

import pytest

import codegen.__main__ as cli
import codegen.output_cache
from codegen.generate import ROOT, SPECS, output_key, render_cached
from derive.catalog.extensions import extension_files
from derive.spec import SPEC_DIR

STUB_FILES = {"__init__.py": "# a stub rendering\n"}
HIT_IMPORTS = """\
import sys
from pathlib import Path
from codegen.generate import render_cached
render_cached(cache_dir=Path(sys.argv[1]))
print(sorted(name for name in sys.modules if name.split(".")[0] in ("sympy", "derive", "jinja2")))
"""


@pytest.fixture(autouse=True)
def cache_enabled(monkeypatch):
    """Run with the cache on, whatever the caller's environment says."""
    monkeypatch.delenv("SYMPROP_CACHE", raising=False)
    monkeypatch.delenv("SYMPROP_EXTENSIONS", raising=False)


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def spec_dir(tmp_path):
    """A copy of specs/ that a test may edit."""
    folder = tmp_path / "specs"
    shutil.copytree(SPECS, folder)
    return folder


@pytest.fixture
def renders(monkeypatch):
    """Replace rendering, cached per module or not, with a stub returning ``STUB_FILES``; the list records each call."""
    calls = []

    def render(catalog=None, specs=None):
        calls.append(specs)
        return dict(STUB_FILES)

    def render_modules(spec_dir, cache_dir, inputs, rebuild=None):
        return render(), lambda: None

    monkeypatch.setattr(codegen.output_cache, "render_all", render)
    monkeypatch.setattr(codegen.output_cache, "render_modules", render_modules)
    monkeypatch.setattr(codegen.output_cache, "load_specs", lambda catalog=None, spec_dir=SPECS: [])
    return calls


def files(folder):
    """File name -> bytes of every file in ``folder``."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def forbid_rendering(monkeypatch):
    """Make any rendering fail, so that files returned afterwards can only come from the cache."""
    def render(*arguments, **named):
        pytest.fail("rendered instead of reading the cache")

    monkeypatch.setattr(codegen.output_cache, "render_all", render)
    monkeypatch.setattr(codegen.output_cache, "render_modules", render)


def start_uncached_generate(out):
    """Start ``python -m codegen generate --out OUT`` in another process with every cache off."""
    environment = {**os.environ, "SYMPROP_CACHE": "0", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "codegen", "generate", "--out", str(out)], cwd=ROOT,
                            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_generate_from_a_cache_hit_writes_files_byte_identical_to_an_uncached_render(cache_dir, tmp_path, monkeypatch):
    fresh = start_uncached_generate(tmp_path / "fresh")  # runs while this process fills the cache
    render_cached(cache_dir=cache_dir)  # a real miss: renders and stores the entry
    monkeypatch.setattr(cli, "render_cached", functools.partial(render_cached, cache_dir=cache_dir))
    forbid_rendering(monkeypatch)
    assert cli.main(["generate", "--out", str(tmp_path / "hit")], cached=True) == 0
    _, stderr = fresh.communicate(timeout=600)
    assert fresh.returncode == 0, stderr
    assert files(tmp_path / "hit") == files(tmp_path / "fresh")


def test_a_cache_hit_imports_neither_sympy_nor_derive_nor_jinja(cache_dir, renders):
    render_cached(cache_dir=cache_dir)
    environment = {k: v for k, v in os.environ.items() if k not in ("SYMPROP_CACHE", "SYMPROP_EXTENSIONS")}
    result = subprocess.run(
        [sys.executable, "-c", HIT_IMPORTS, str(cache_dir)],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )
    assert result.stdout.strip() == "[]"


def test_a_miss_renders_and_returns_the_rendering(cache_dir, renders):
    assert render_cached(cache_dir=cache_dir) == STUB_FILES


def test_a_miss_stores_one_entry(cache_dir, renders):
    render_cached(cache_dir=cache_dir)
    assert [p.name for p in cache_dir.iterdir()] == [f"{output_key()}.json"]


def test_a_hit_does_not_render(cache_dir, renders):
    render_cached(cache_dir=cache_dir)
    render_cached(cache_dir=cache_dir)
    assert len(renders) == 1


def test_storing_an_entry_deletes_the_older_ones(cache_dir, renders):
    cache_dir.mkdir()
    (cache_dir / "0123.json").write_text("{}", encoding="utf-8")
    render_cached(cache_dir=cache_dir)
    assert [p.name for p in cache_dir.iterdir()] == [f"{output_key()}.json"]


def test_a_corrupt_entry_is_a_miss(cache_dir, renders):
    cache_dir.mkdir()
    (cache_dir / f"{output_key()}.json").write_text('{"__init__.py": ', encoding="utf-8")
    assert render_cached(cache_dir=cache_dir) == STUB_FILES


def test_a_corrupt_entry_is_overwritten_with_the_rendering(cache_dir, renders):
    cache_dir.mkdir()
    entry = cache_dir / f"{output_key()}.json"
    entry.write_text('{"__init__.py": ', encoding="utf-8")
    render_cached(cache_dir=cache_dir)
    assert json.loads(entry.read_text(encoding="utf-8")) == STUB_FILES


@pytest.mark.parametrize("stored", ['["__init__.py"]', '{"__init__.py": 1}', '"text"', "null"])
def test_an_entry_that_is_not_text_by_file_name_is_a_miss(cache_dir, renders, stored):
    cache_dir.mkdir()
    (cache_dir / f"{output_key()}.json").write_text(stored, encoding="utf-8")
    assert render_cached(cache_dir=cache_dir) == STUB_FILES


def test_symprop_cache_0_reads_no_entry(cache_dir, renders, monkeypatch):
    render_cached(cache_dir=cache_dir)
    monkeypatch.setenv("SYMPROP_CACHE", "0")
    render_cached(cache_dir=cache_dir)
    assert len(renders) == 2


def test_symprop_cache_0_writes_no_entry(cache_dir, renders, monkeypatch):
    monkeypatch.setenv("SYMPROP_CACHE", "0")
    render_cached(cache_dir=cache_dir)
    assert not cache_dir.exists()


def test_an_unwritable_cache_folder_still_renders(tmp_path, renders):
    (tmp_path / "read_only").write_text("a file where the cache folder's parent should be\n", encoding="utf-8")
    assert render_cached(cache_dir=tmp_path / "read_only" / "cache") == STUB_FILES


def test_a_package_without_install_metadata_caches_nothing(cache_dir, renders, monkeypatch):
    monkeypatch.setattr(codegen.output_cache, "_installed", lambda name: None)
    render_cached(cache_dir=cache_dir)
    assert not cache_dir.exists()


def test_an_input_changed_while_rendering_stores_nothing(cache_dir, spec_dir, monkeypatch):
    stored = []

    def render_modules(spec_dir, cache_dir, inputs, rebuild=None):
        with open(spec_dir / "example1.toml", "a", encoding="utf-8") as stream:
            stream.write("# edited while rendering\n")
        return dict(STUB_FILES), lambda: stored.append("module entries")

    monkeypatch.setattr(codegen.output_cache, "render_modules", render_modules)
    render_cached(spec_dir, cache_dir)
    assert (cache_dir.exists(), stored) == (False, [])


def test_a_miss_with_no_input_changed_stores_the_module_entries(cache_dir, renders, monkeypatch):
    stored = []
    monkeypatch.setattr(codegen.output_cache, "render_modules",
                        lambda spec_dir, cache_dir, inputs, rebuild=None: (dict(STUB_FILES), lambda: stored.append(1)))
    render_cached(cache_dir=cache_dir)
    assert stored == [1]


def test_an_edited_spec_changes_the_key(spec_dir):
    before = output_key(spec_dir)
    with open(spec_dir / "example1.toml", "a", encoding="utf-8") as stream:
        stream.write("# a comment\n")
    assert output_key(spec_dir) != before


def test_an_added_spec_changes_the_key(spec_dir):
    before = output_key(spec_dir)
    shutil.copy(spec_dir / "example1.toml", spec_dir / "example3.toml")
    assert output_key(spec_dir) != before


def test_an_edited_extension_changes_the_key(tmp_path, monkeypatch):
    extension = tmp_path / "extension.py"
    extension.write_text("# registers nothing\n", encoding="utf-8")
    monkeypatch.setenv("SYMPROP_EXTENSIONS", str(extension))
    before = output_key()
    extension.write_text("# registers nothing, differently\n", encoding="utf-8")
    assert output_key() != before


def test_a_different_installed_package_changes_the_key(monkeypatch):
    before = output_key()
    monkeypatch.setattr(codegen.output_cache, "_installed", lambda name: f"{name} 0.0")
    assert output_key() != before


def test_an_edited_source_file_changes_the_key(tmp_path, monkeypatch):
    module = tmp_path / "module.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(codegen.output_cache, "_CODE", (tmp_path,))
    before = output_key()
    module.write_text("VALUE = 2\n", encoding="utf-8")
    assert output_key() != before


def test_the_key_covers_every_source_file_and_template():
    templates = ROOT / "codegen" / "templates"
    code = [*(ROOT / "derive").glob("*.py"), *(ROOT / "codegen").glob("*.py"), *templates.iterdir()]
    assert set(code) <= set(codegen.output_cache._input_files(SPECS))


def test_the_key_covers_the_extension_files_derive_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMPROP_EXTENSIONS", os.pathsep.join([str(tmp_path / "a.py"), str(tmp_path / "b.py")]))
    assert codegen.output_cache._extension_files() == extension_files()


def test_the_key_reads_the_spec_folder_that_derive_builds():
    assert SPECS == SPEC_DIR


def test_main_called_from_python_renders_without_the_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "render_cached", lambda: pytest.fail("read the cache"))
    monkeypatch.setattr(cli, "render_all", lambda: dict(STUB_FILES))
    assert cli.main(["generate", "--out", str(tmp_path)]) == 0


def test_a_missing_extension_file_gives_a_key_and_leaves_the_error_to_rendering(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMPROP_EXTENSIONS", str(tmp_path / "missing.py"))
    assert isinstance(output_key(), str)
