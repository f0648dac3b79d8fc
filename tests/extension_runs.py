"""symprop run in a fresh process with ``SYMPROP_EXTENSIONS`` naming one extension file, and its output imported."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def run(*arguments: str, extension: Path) -> subprocess.CompletedProcess:
    """``python ARGUMENTS`` in the checkout, the extension file loaded and the derivation cache on."""
    environment = {**os.environ, "SYMPROP_EXTENSIONS": str(extension), "SYMPROP_CACHE": "1"}
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def imported(path: Path, name: str) -> ModuleType:
    """The module in the file ``path``, imported under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_module(extension: Path, out: Path, file_name: str, name: str) -> ModuleType:
    """``generated/FILE_NAME`` as ``codegen generate --out OUT`` writes it with the extension, imported."""
    result = run("-m", "codegen", "generate", "--out", str(out), extension=extension)
    assert result.returncode == 0, result.stderr
    return imported(out / file_name, name)


def extension_file(folder: Path, name: str, source: str) -> Path:
    """The extension file ``folder/NAME.py`` holding ``source``."""
    path = folder / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return path
