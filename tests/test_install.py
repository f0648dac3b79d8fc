"""symprop installed as a user installs it: a wheel, a fresh virtual environment, an empty folder.

The module fixture builds the wheel from a copy of the sources (offline:
``pip wheel --no-deps --no-build-isolation``), installs it non-editable into
a new venv without system site packages, lends it this environment's SymPy,
NumPy and Jinja through a ``.pth`` file (so no download is needed), hashes
its ``site-packages``, and then runs a new user's session from an empty
folder, with its own ``HOME`` and ``XDG_CACHE_HOME``.  Each test checks one
thing about that session.  It takes about a minute, and runs in ``make test``.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import mpmath
import numpy
import pytest
import sympy

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "derive", "codegen", "generated", "specs", "symprop")
DEPENDENCIES = (sympy, mpmath, numpy, jinja2, markupsafe)
RUN_EX2 = """\
import numpy as np
import ex2
params = ex2.init_params(0)
x, y = np.linspace(-1.0, 1.0, 12).reshape(4, 3), np.eye(3)[[0, 1, 2, 0]]
params, first = ex2.train_step(params, x, y)
for _ in range(50):
    params, cost = ex2.train_step(params, x, y)
print(first, cost)
"""


@dataclass
class Session:
    """What a new user's session did: each command's result, and the folders it ran in."""

    results: dict[str, subprocess.CompletedProcess]
    work: Path
    cache: Path
    before: str
    after: str


def tree_digest(folder: Path) -> str:
    """A digest of every file's path and bytes under ``folder``, and of its empty folders."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def check(command: list[str], **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result


def install(base: Path) -> tuple[Path, Path]:
    """Build the wheel, install it into a fresh venv at ``base/venv``; its ``bin`` and ``site-packages``."""
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", ".generated.*"))
        else:
            shutil.copy(ROOT / name, source / name)
    pip = ["-m", "pip", "--disable-pip-version-check", "--no-input"]
    check([sys.executable, *pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
           "-w", str(base / "dist"), str(source)])
    check([sys.executable, "-m", "venv", str(base / "venv")])
    bin_folder = base / "venv" / ("Scripts" if os.name == "nt" else "bin")
    (wheel,) = (base / "dist").glob("symprop-*.whl")
    check([str(bin_folder / "python"), *pip, "install", "--no-deps", "--no-index", "-q", str(wheel)])
    site = Path(check([str(bin_folder / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                .stdout.strip())
    lent = sorted({str(Path(module.__file__).resolve().parent.parent) for module in DEPENDENCIES})
    (site / "symprop-test-dependencies.pth").write_text("\n".join(lent) + "\n", encoding="utf-8")
    return bin_folder, site


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Session:
    base = tmp_path_factory.mktemp("install")
    bin_folder, site = install(base)
    work, own, home = base / "work", base / "own", base / "home"
    for folder in (work, own, home):
        folder.mkdir()
    for package in ("codegen", "generated"):  # a user's own packages of symprop's names
        (own / package).mkdir()
        (own / package / "__init__.py").write_text(f"raise ImportError('the user\\'s own {package}')\n",
                                                   encoding="utf-8")
    environment = {"PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(home),
                   "XDG_CACHE_HOME": str(base / "xdg"), "LANG": "C.UTF-8"}
    symprop = str(bin_folder / "symprop")
    commands = {
        "help": ([symprop, "--help"], work),
        "network": ([symprop, "network", "--example", "example2", "-o", "ex2.py"], work),
        "run": ([str(bin_folder / "python"), "-B", "-c", RUN_EX2], work),
        "generate": ([symprop, "generate"], work),
        "explain": ([symprop, "explain", "example1", "--param", "w2[0,0]"], work),
        "own": ([symprop, "network", "--example", "example1", "-o", "ex1.py"], own),
    }
    before = tree_digest(site)
    results = {name: subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
               for name, (command, cwd) in commands.items()}
    return Session(results, work, base / "xdg", before, tree_digest(site))


def succeeded(session: Session, name: str) -> subprocess.CompletedProcess:
    result = session.results[name]
    assert result.returncode == 0, result.stderr
    return result


def test_symprop_help_lists_the_commands(session):
    assert "network   print one network spec's NumPy module" in succeeded(session, "help").stdout


def test_network_example_writes_a_module_that_imports_and_trains(session):
    assert succeeded(session, "network").stdout == "wrote ex2.py\n"
    first, last = map(float, succeeded(session, "run").stdout.split())
    assert 0 < last < first


def test_the_example_modules_header_names_the_command_that_rebuilds_it(session):
    assert (session.work / "ex2.py").read_text(encoding="utf-8").splitlines()[1] == (
        "# Rebuild with: symprop network --example example2 -o ex2.py")


def test_generate_refuses_without_an_output_folder(session):
    result = session.results["generate"]
    assert (result.returncode, result.stderr) == (
        2, "error: symprop generate needs an output folder outside a source checkout: symprop generate --out DIR\n")


def test_explain_reads_the_example_specs_installed_as_package_data(session):
    assert "= 0.082167041" in succeeded(session, "explain").stdout


def test_a_folder_holding_its_own_codegen_and_generated_does_not_break_symprop(session):
    assert succeeded(session, "own").stdout == "wrote ex1.py\n"


def test_the_caches_go_to_xdg_cache_home(session):
    assert list((session.cache / "symprop" / "derive").glob("*.pickle"))


def test_the_working_folder_holds_only_the_module_written(session):
    assert sorted(p.name for p in session.work.iterdir()) == ["ex2.py"]


def test_nothing_in_site_packages_changes(session):
    assert session.after == session.before
