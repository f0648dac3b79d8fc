"""pyproject.toml ships every package, the example specs and the ``symprop`` command."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PROJECT["tool"]["setuptools"]


def test_every_package_folder_is_listed():
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("derive", "codegen", "generated", "symprop") for path in (ROOT / top).rglob("*.py")
    }
    assert folders <= set(SETUPTOOLS["packages"])


def test_the_specs_folder_ships_as_symprops_package_data():
    assert SETUPTOOLS["package-dir"]["symprop.specs"] == "specs"
    assert "symprop.specs" in SETUPTOOLS["packages"] and SETUPTOOLS["package-data"]["symprop.specs"] == ["*.toml"]


def test_the_symprop_command_runs_the_cli():
    assert PROJECT["project"]["scripts"] == {"symprop": "symprop.cli:main"}
