"""``gradient_check``: every parameter's derived gradient agrees with central differences.

On the notebook's two networks at their own numbers, and on random networks
over the whole catalogue (``test_random_networks.random_spec``) at random
parameters.  A deliberately wrong gradient must be reported, so the check
can fail.
"""

import numpy as np
import pytest

from derive.catalog.registry import CATALOG
from generated import example1, example2
from network_modules import module_of
from notebook import example1_inputs, example2_inputs
from test_random_networks import random_params, random_spec, targets


@pytest.mark.parametrize("module, inputs", [(example1, example1_inputs), (example2, example2_inputs)])
def test_the_notebook_networks_pass_the_gradient_check(module, inputs):
    params, x, y = inputs()
    errors = module.gradient_check(params, x, y)
    assert set(errors) == set(module.PARAMETERS)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("loss", CATALOG.names("loss"))
def test_random_networks_pass_the_gradient_check(loss, seed):
    module = module_of(random_spec(loss, seed))
    rng = np.random.default_rng(200 + seed)
    params = random_params(module, rng)
    errors = module["gradient_check"](params, rng.normal(size=(4, 2)), targets(loss, rng, 4))
    assert max(errors.values()) < 1e-6, errors


def test_a_wrong_gradient_is_reported(monkeypatch):
    params, x, y = example2_inputs()
    derived = example2.backward

    def doubled_dw2(params, x, y, cache):
        return {**derived(params, x, y, cache), "dw2": 2 * derived(params, x, y, cache)["dw2"]}

    monkeypatch.setattr(example2, "backward", doubled_dw2)
    errors = example2.gradient_check(params, x, y)
    assert errors["w2"] == pytest.approx(0.5, rel=1e-4)  # |2g - g| / |2g|
    assert errors["w1"] < 1e-6
