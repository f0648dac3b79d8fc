"""The compiled target: a network module whose ``Trainer`` runs one Numba-compiled training step.

``python -m codegen network SPEC --target numba`` prints it
(``codegen.rendering.render_numba_network`` derives the program and calls ``numba_source``).  The step is the
same folded program the NumPy ``Trainer`` runs (``codegen.trainer``: the
training-mode forward pass, cost, backward pass scaled by the learning rate,
then ``theta -= dtheta``), lowered by the same ``operations.lower_statements``,
planned by ``codegen.numba_plan`` and printed by ``codegen.numba_printer``
into one ``@njit(cache=True, parallel=True)`` function.  The NumPy module
stays the reference and what ``make generate`` writes; this one is printed on
request and needs the ``fast`` extra (numba, and scipy, whose BLAS Numba's
``np.dot`` calls).  Around the step the template prints what training needs
from the NumPy module's partials (``init_params``, ``learning_rate``, the
inference passes, a classifier's ``accuracy``) and includes its ``fit``.

Supported: every catalogue activation and loss, per-neuron, shared or no
biases, penalties, frozen layers, SGD and momentum with the learning rate
given to each step.  Batch normalisation, dropout and the window layers
(conv2d, max_pool, avg_pool, flatten) are refused when the module is
generated, naming the layer; the NumPy target prints every one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import GenerationError

if TYPE_CHECKING:
    from derive.program.network import Program
    from derive.spec import NetworkSpec

__all__ = ["SUPPORTED", "numba_context", "numba_source", "refuse_unsupported", "require_numba", "unsupported"]

#: What the compiled target prints, for error messages and the README.
SUPPORTED = ("every catalogue activation and loss, every bias kind, penalties, frozen layers, sgd and momentum; "
             "not batch normalisation, dropout, or conv2d, pooling and flatten layers")


def require_numba() -> None:
    """A one-line ``GenerationError`` when numba or scipy (the BLAS of Numba's ``np.dot``) is not installed."""
    from importlib.util import find_spec

    missing = [name for name in ("numba", "scipy") if find_spec(name) is None]
    if missing:
        raise GenerationError(f"--target numba needs {' and '.join(missing)}: install the extra, "
                              "pip install -e '.[fast]'")


def unsupported(spec: NetworkSpec) -> str | None:
    """The first construct of ``spec`` the compiled target cannot print, as ``layers[k].field (why)``, else None."""
    for k, layer in enumerate(spec.layers):
        if layer.window is not None or layer.kind.value == "flatten":
            return (f"layers[{k}].kind = {layer.kind.value!r} (window layers are not compiled yet; "
                    "the NumPy target, the default --target numpy, prints them)")
        if layer.batch_norm:
            return f"layers[{k}].batch_norm (batch normalisation: its batch and running statistics are not compiled)"
        if layer.dropout:
            return f"layers[{k}].dropout (dropout: its random masks are not compiled)"
    return None


def numba_context(program: Program) -> dict:
    """Everything the compiled template lays out: the NumPy trainer's layout and the printed compiled step."""
    from derive.program.network import THETA, Stage

    from .numba_plan import StepPlan
    from .numba_printer import CHUNKS, StepPrinter
    from .operations import Shapes
    from .trainer import _needed, trainer_code

    layout = trainer_code(program)
    shapes = Shapes({"x": (_rows(), program.spec.inputs), "y": (_rows(), program.spec.layers[-1].units)})
    shapes.update({s.name: s.shape for s in layout.slots + layout.gradients})
    for name in (THETA, f"d{THETA}", f"v{THETA}"):
        shapes[name] = (1, layout.trained)
    owned = {s.name for s in layout.slots + layout.gradients} | {THETA, f"v{THETA}", f"d{THETA}"}
    plan = StepPlan(shapes, owned, declared={a.target: a.shape for a in program.assignments if a.shape})
    step = _needed(program, {g.name for g in layout.gradients})
    gradients = [a for a in step if a.stage is not Stage.STATISTICS]
    blocks = [plan.block([(a.target, a.expr, a.target in owned) for a in gradients]),
              plan.block([(a.target, a.expr, a.target in owned) for a in program.folded.update])]
    printer = StepPrinter(plan)
    lines, after = printer.lines(blocks)
    buffers = [(name, "(" + ", ".join(str(side) for side in shape) + ")") for name, shape in printer.buffers.items()]
    buffers += [(name, f"({CHUNKS}, {width})") for name, width in printer.partials.items()]
    arrays = [s.name for s in layout.slots] + [g.name for g in layout.gradients] + [THETA, f"d{THETA}"]
    arrays += [f"v{THETA}"] if layout.velocities else []
    return {"t": layout, "lines": lines, "after": after, "buffers": buffers, "arrays": arrays,
            "sizes": [(name, code) for name, code in layout.sizes if name != "N"]}


def _rows():
    from derive.core.symbols import N

    return N


def numba_source(program: Program, rebuild: str | None = None) -> str:
    """The source of ``program``'s compiled module (``unsupported`` constructs checked first by the caller).

    ``rebuild``, the command that writes the module again, goes into its header.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from .network_module import network_module, runtime_source
    from .paths import TEMPLATES

    environment = Environment(loader=FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, undefined=StrictUndefined, autoescape=False)
    checks = runtime_source("network_checks.py") + "\n\n\n" + runtime_source("network_tables.py", "_params")
    text = environment.get_template("numba_network.py.j2").render(
        m=network_module(program), source=program.spec.source, rebuild=rebuild, checks=checks,
        **numba_context(program),
    )
    compile(text, f"{program.spec.name}.py", "exec")
    return text


def refuse_unsupported(spec: NetworkSpec) -> None:
    """A ``GenerationError`` naming the first construct of ``spec`` the compiled target does not print."""
    construct = unsupported(spec)
    if construct is not None:
        raise GenerationError(f"{spec.source}: {construct} is not supported by --target numba "
                              f"(supported: {SUPPORTED})")
