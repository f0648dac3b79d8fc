"""Peak memory of one ``Trainer.train_step`` per catalogue activation, as ``tracemalloc`` sees it.

Each activation is the hidden layer of a 64 -> 256 -> 10 network (linear
output, softmax cross-entropy) trained on a batch of 2048 rows.  The first
step allocates the batch size's buffers (``workspace``); ``peak`` is the
most the second step allocates at once.  Run ``python -m tools.step_memory``;
it prints a Markdown table (README.md shows one).
"""

import tracemalloc

import numpy as np

from codegen.generate import render_all
from derive.catalog.standard import CATALOG
from derive.spec import parse_spec

VOCABULARY = CATALOG.vocabulary()

INPUTS, HIDDEN, OUTPUTS, BATCH = 64, 256, 10, 2048


def trainer_module(activation: str) -> dict:
    """The generated module of the 64 -> HIDDEN -> 10 network with ``activation`` in its hidden layer, executed."""
    layers = [{"units": HIDDEN, "activation": activation}, {"units": OUTPUTS, "activation": "linear"}]
    data = {"name": "memory", "inputs": INPUTS, "layers": layers, "loss": "softmax_neg_log_likelihood"}
    spec = parse_spec(data, VOCABULARY, source="step_memory", default_name="memory")
    namespace: dict = {}
    exec(compile(render_all(CATALOG, [spec])["memory.py"], "memory", "exec"), namespace)
    return namespace


def step_memory(activation: str) -> tuple[int, int]:
    """``(workspace, peak)`` in bytes: buffers kept by the first step, most allocated during the second."""
    module = trainer_module(activation)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(BATCH, INPUTS)), np.eye(OUTPUTS)[rng.integers(0, OUTPUTS, size=BATCH)]
    trainer = module["Trainer"](module["init_params"](0))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        trainer.train_step(x, y, 0.01)
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        trainer.train_step(x, y, 0.01)
        peak = tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()
    return held - before, peak


def main() -> None:
    network = f"{INPUTS}->{HIDDEN}->{OUTPUTS}, batch {BATCH}"
    print(f"| hidden activation ({network}) | workspace (MB) | peak of a step (bytes) |")
    print("|---|---:|---:|")
    for activation in CATALOG.names("activation"):
        workspace, peak = step_memory(activation)
        print(f"| {activation} | {workspace / 1e6:.1f} | {peak} |")


if __name__ == "__main__":
    main()
