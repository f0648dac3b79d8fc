"""The implementations timed side by side, one module each, and whether each can run here.

Every module has ``make_step(params, x, y, learning_rate) -> Step``, which
copies what it needs and never changes ``params``; all but ``gemm_floor``
also have ``gradients(params, x, y) -> (cost, {name: gradient})``, keyed like
``params``.  Peer libraries are optional: a missing one is skipped.
"""

import importlib
import importlib.util
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType


@dataclass(frozen=True)
class Implementation:
    """One contender: its module, the library it needs (if any), and which checks apply to it."""

    name: str
    module: str
    #: The importable library it is built on, and its distribution's name on PyPI.
    library: str | None = None
    distribution: str | None = None
    #: Computes gradients, so they and its update are checked against ``handwritten``.
    checked: bool = True
    #: Allocates through NumPy, so ``tracemalloc`` sees its memory.
    traced: bool = False


IMPLEMENTATIONS = {
    impl.name: impl
    for impl in (
        Implementation("symprop", "bench.impls.symprop", traced=True),
        Implementation("symprop_threads", "bench.impls.symprop_threads", traced=True),
        Implementation("symprop_numba", "bench.impls.symprop_numba", "numba", "numba"),
        Implementation("notebook", "bench.impls.notebook", traced=True),
        Implementation("handwritten", "bench.impls.handwritten", traced=True),
        Implementation("autograd", "bench.impls.autograd_peer", "autograd", "autograd"),
        Implementation("torch", "bench.impls.torch_peer", "torch", "torch"),
        Implementation("jax", "bench.impls.jax_peer", "jax", "jax"),
        Implementation("gemm_floor", "bench.impls.gemm_floor", checked=False),
    )
}
#: The reference every other implementation's gradients are checked against.
REFERENCE = "handwritten"


def missing(impl: Implementation) -> str | None:
    """Why ``impl`` cannot run here, or None when it can."""
    if impl.library is None or importlib.util.find_spec(impl.library) is not None:
        return None
    extra = "fast" if impl.library == "numba" else "bench"
    return f"{impl.library} is not installed (pip install -e '.[{extra}]')"


def version(impl: Implementation) -> str | None:
    """The installed version of the library ``impl`` is built on."""
    return metadata.version(impl.distribution) if impl.distribution and missing(impl) is None else None


def load(impl: Implementation) -> ModuleType:
    """``impl``'s module, imported."""
    return importlib.import_module(impl.module)
