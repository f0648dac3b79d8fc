"""A hand-written network bound into the runtime files of ``codegen/runtime/``, so that they run as written.

The runtime files read names a network template prints into each module
(``PARAMETERS``, ``forward``...); ``bind`` sets them, in every runtime file
that reads one, to the tiny linear network below: ``out = x @ w.T + b`` with
half the mean squared error, its gradient written out by hand.
"""

import ast
import importlib
from pathlib import Path

import numpy as np

#: The runtime files a network module includes, imported as the Python they are.
RUNTIME_FILES = ("network_checks", "network_tables", "network_passes", "gradient_check", "network_fit",
                 "network_storage", "trainer_shell", "network_classes", "network_freezing")
RUNTIME = {name: importlib.import_module(f"codegen.runtime.{name}") for name in RUNTIME_FILES}

INPUTS, OUTPUTS = 2, 1
PARAMETERS = {"w": (1, 2), "b": (1, 1)}


def forward(params, x, training=False, rng=None):
    return {"out": x @ params["w"].T + params["b"]}


def loss(y, out):
    return 0.5 * float(np.mean(np.sum((out - y) ** 2, axis=1)))


def penalty(params):
    return 0.0


def backward(params, x, y, cache):
    error = (cache["out"] - y) / len(x)
    return {"dw": error.T @ x, "db": error.sum(axis=0, keepdims=True)}


LINEAR = {"INPUTS": INPUTS, "OUTPUTS": OUTPUTS, "PARAMETERS": PARAMETERS, "STATISTICS": {},
          "forward": forward, "loss": loss, "penalty": penalty, "backward": backward}


def _stand_ins(module) -> set[str]:
    """The names a runtime file binds at module level: those the template prints into a module."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        else:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


STAND_INS = {name: _stand_ins(module) for name, module in RUNTIME.items()}


def bind(monkeypatch, **names):
    """Set each of ``names`` in every runtime file that stands in for it."""
    for name, value in names.items():
        holders = [RUNTIME[file] for file, stand_ins in STAND_INS.items() if name in stand_ins]
        assert holders, f"no runtime file stands in for {name}"
        for module in holders:
            monkeypatch.setattr(module, name, value)


def params(w=((0.5, -0.25),), b=((0.1,),)):
    """Parameters of the linear network."""
    return {"w": np.array(w, dtype=float), "b": np.array(b, dtype=float)}


def data(rows=6, seed=0):
    """Inputs and targets of a line the network can fit exactly: ``y = 2 x0 - x1 + 0.5``."""
    x = np.random.default_rng(seed).normal(size=(rows, INPUTS))
    return x, (2 * x[:, :1] - x[:, 1:] + 0.5)
