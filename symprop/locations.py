"""Where symprop reads and writes, decided in one place: a source checkout, or an installation.

symprop runs **from a source checkout** when the folder holding its packages
(``derive/``, ``codegen/``, ``symprop/``) also holds a ``pyproject.toml``
whose ``[project]`` is named ``symprop`` and a ``specs/`` folder
(``is_checkout``).  An installation (``site-packages``) holds neither, so
symprop never takes it for a project and never writes inside it:

==================  =============================  ==========================================
                    source checkout                installed
==================  =============================  ==========================================
``generate`` output ``generated/``                 none: ``--out DIR`` is required
example specs       ``specs/``                     ``symprop/specs/`` (package data)
caches              ``.cache/``                    ``$XDG_CACHE_HOME/symprop``, else ``~/.cache/symprop``
extensions          ``extensions/`` of the current working folder, and ``SYMPROP_EXTENSIONS``
docs                ``docs/``                      none: ``--out PATH`` is required
==================  =============================  ==========================================

``derive`` and ``codegen`` read their paths from here; this module imports
neither of them, nor anything but the standard library, so a warm
``make generate`` still loads no SymPy.
"""

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "PACKAGES", "PACKAGED_SPECS", "CHECKOUT", "SPECS", "OUTPUT", "CACHE", "DOCS", "is_checkout", "project_name",
    "cache_folder", "spec_folder", "extension_folder", "extension_files",
]

#: The folder holding symprop's packages: the checkout, or ``site-packages``.
PACKAGES = Path(__file__).resolve().parent.parent
#: The example specs as installed: ``specs/`` shipped as the package data ``symprop/specs/*.toml``.
PACKAGED_SPECS = Path(__file__).resolve().parent / "specs"

def project_name(pyproject: str) -> str | None:
    """The ``name`` of the ``[project]`` table of a ``pyproject.toml`` text, or None (also for unreadable TOML)."""
    try:
        project = tomllib.loads(pyproject).get("project")
    except tomllib.TOMLDecodeError:
        return None
    name = project.get("name") if isinstance(project, dict) else None
    return name if isinstance(name, str) else None


def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` is symprop's source checkout: a ``pyproject.toml`` naming symprop, and ``specs/``."""
    try:
        text = (folder / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return project_name(text) == "symprop" and (folder / "specs").is_dir()


def cache_folder(checkout: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the caches go: ``.cache/`` of a checkout, else the user's cache folder (XDG), never the installation."""
    if checkout is not None:
        return checkout / ".cache"
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG specification: a relative path is ignored
        return Path(xdg) / "symprop"
    try:
        return Path.home() / ".cache" / "symprop"
    except RuntimeError:  # no home folder at all: a per-user folder of the temporary space
        import tempfile

        return Path(tempfile.gettempdir()) / f"symprop-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def spec_folder(checkout: Path | None) -> Path:
    """The example specs: ``specs/`` of a checkout, else the copy installed as package data."""
    return checkout / "specs" if checkout is not None else PACKAGED_SPECS


def extension_folder(cwd: Path | None = None) -> Path:
    """The current project's ``extensions/``: that of the working folder, never one of the installation."""
    return (Path.cwd() if cwd is None else cwd) / "extensions"


def extension_files(environ: Mapping[str, str] = os.environ, cwd: Path | None = None) -> list[Path]:
    """The extension files to run: ``extensions/*.py`` of the working folder, then ``SYMPROP_EXTENSIONS``'s."""
    named = [Path(p) for p in environ.get("SYMPROP_EXTENSIONS", "").split(os.pathsep) if p]
    return sorted(extension_folder(cwd).glob("*.py")) + named


#: The checkout symprop runs from, or None when it is installed.
CHECKOUT: Path | None = PACKAGES if is_checkout(PACKAGES) else None
SPECS = spec_folder(CHECKOUT)
#: ``generate``'s default output: ``generated/`` of the checkout; installed, there is none.
OUTPUT: Path | None = CHECKOUT / "generated" if CHECKOUT is not None else None
CACHE = cache_folder(CHECKOUT)
#: ``docs/`` of the checkout, where ``derive docs`` writes; installed, there is none.
DOCS: Path | None = CHECKOUT / "docs" if CHECKOUT is not None else None
