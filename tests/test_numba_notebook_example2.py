"""The seed notebook's Example 2 (cell In[7]) with the compiled module of ``specs/example2.toml``.

``python -m codegen network specs/example2.toml -o ex2_fast.py --target numba``
writes the module; its ``Trainer`` takes the notebook's 301 steps, and the
costs printed every 30 iterations and the final weights must be the
notebook's (typed in from its output, ``tests/notebook.py``).
"""

from pathlib import Path

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="the compiled target needs the `fast` extra: pip install -e '.[fast]'")
pytest.importorskip("scipy", reason="Numba's np.dot needs scipy: pip install -e '.[fast]'")

from codegen.__main__ import main  # noqa: E402
from compiled_modules import imported  # noqa: E402
from notebook import (  # noqa: E402
    EXAMPLE_2_COSTS, EXAMPLE_2_FINAL, EXAMPLE_2_ITERATIONS, EXAMPLE_2_LEARNING_RATE, PRINTED_8_DECIMALS,
    example2_inputs,
)

EXAMPLE2 = Path(__file__).resolve().parent.parent / "specs" / "example2.toml"
_, X, Y = example2_inputs()


@pytest.fixture(scope="module")
def ex2_fast(tmp_path_factory):
    """The module the command writes to ``ex2_fast.py``, imported, its functions cached in a temporary folder."""
    folder = tmp_path_factory.mktemp("ex2_fast")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numba.config, "CACHE_DIR", str(folder / "cache"))
        assert main(["network", str(EXAMPLE2), "-o", str(folder / "ex2_fast.py"), "--target", "numba"]) == 0
        yield imported(folder / "ex2_fast.py")


@pytest.fixture(scope="module")
def training(ex2_fast):
    """The notebook's loop with the compiled ``Trainer``: the costs it prints and the final parameters."""
    trainer, printed = ex2_fast.Trainer(example2_inputs()[0]), []
    for i in range(EXAMPLE_2_ITERATIONS):
        cost = trainer.train_step(X, Y, EXAMPLE_2_LEARNING_RATE)
        if i % 30 == 0:
            printed.append(cost)
    return printed, trainer.copy_params()


def test_the_compiled_trainer_prints_the_notebooks_costs_every_30_iterations(training):
    costs, _ = training
    np.testing.assert_allclose(costs, EXAMPLE_2_COSTS, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(EXAMPLE_2_FINAL))
def test_the_compiled_trainer_ends_on_the_notebooks_weights(training, name):
    _, params = training
    np.testing.assert_allclose(params[name], EXAMPLE_2_FINAL[name], **PRINTED_8_DECIMALS)


def test_fit_of_the_compiled_module_records_the_notebooks_costs(ex2_fast):
    _, history = ex2_fast.fit(example2_inputs()[0], X, Y, epochs=EXAMPLE_2_ITERATIONS, verbose=0)
    np.testing.assert_allclose(history["cost"][::30], EXAMPLE_2_COSTS, rtol=1e-12, atol=0)
