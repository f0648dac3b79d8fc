"""The machine and the software a benchmark ran on, for the report's header."""

import os
import platform
from importlib import metadata
from pathlib import Path

import numpy as np


def cpu_model() -> str:
    """The processor's model name from ``/proc/cpuinfo`` (the platform's word for it elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def blas() -> str:
    """The BLAS NumPy was built with: name, version and build configuration."""
    info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    configuration = info.get("openblas configuration", "").strip()
    return f"{info['name']} {info.get('version', '')}" + (f" ({configuration})" if configuration else "")


def installed(distribution: str) -> str:
    """``distribution``'s installed version, or "not installed"."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[tuple[str, str]]:
    """(what, value) pairs: processor, cores, Python, NumPy and its BLAS, and the peer libraries."""
    return [
        ("CPU", cpu_model()),
        ("cores", str(os.cpu_count())),
        ("Python", platform.python_version()),
        ("NumPy", f"{np.__version__}, BLAS {blas()}"),
        *((name, installed(name)) for name in ("numba", "torch", "jax", "jaxlib", "autograd")),
    ]
