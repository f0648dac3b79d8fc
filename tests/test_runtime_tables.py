"""``codegen/runtime/network_tables.py`` and ``network_storage.py`` run as written: parameters checked and stored."""

import numpy as np
import pytest

from codegen.runtime.network_storage import load, save
from codegen.runtime.network_tables import _params, _shapes
from runtime_network import bind

TABLES = {"PARAMETERS": {"w": (2, 3), "b": (1, 2)}, "STATISTICS": {"mean": (1, 2)}}


@pytest.fixture
def tables(monkeypatch):
    bind(monkeypatch, **TABLES)


def arrays():
    return {"w": np.arange(6).reshape(2, 3), "b": [[0.5, -1.0]], "mean": np.zeros((1, 2), dtype=np.float32)}


def test_params_converts_every_parameter_and_statistic_to_float64(tables):
    checked = _params(arrays())
    assert {name: value.dtype for name, value in checked.items()} == dict.fromkeys(("w", "b", "mean"), np.float64)


def test_params_keeps_the_values_it_is_given(tables):
    assert _params(arrays())["b"].tolist() == [[0.5, -1.0]]


def test_params_names_a_missing_statistic(tables):
    given = arrays()
    del given["mean"]
    with pytest.raises(ValueError, match="params: missing mean"):
        _params(given)


def test_params_names_a_parameter_of_the_wrong_shape(tables):
    with pytest.raises(ValueError, match=r"w: expected an array of shape \(2, 3\), got shape \(3, 2\)"):
        _params({**arrays(), "w": np.zeros((3, 2))})


def test_params_refuses_a_nan_entry(tables):
    with pytest.raises(ValueError, match="b: expected finite numbers"):
        _params({**arrays(), "b": [[np.nan, 0.0]]})


def test_shapes_gives_a_gradient_and_a_velocity_the_shape_of_their_parameter(tables):
    assert _shapes(["dw", "vb"]) == {"dw": (2, 3), "vb": (1, 2)}


def test_load_returns_what_save_wrote(tables, tmp_path):
    save(tmp_path / "params.npz", arrays())
    loaded = load(tmp_path / "params.npz")
    assert {name: value.tolist() for name, value in loaded.items()} == {
        "w": [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], "b": [[0.5, -1.0]], "mean": [[0.0, 0.0]]}


def test_load_names_a_parameter_missing_from_the_file(tables, tmp_path):
    np.savez(tmp_path / "partial.npz", w=np.zeros((2, 3)), mean=np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"missing parameter\(s\) b; expected w, b, mean"):
        load(tmp_path / "partial.npz")


def test_save_refuses_params_of_the_wrong_shape_and_writes_nothing(tables, tmp_path):
    with pytest.raises(ValueError, match="w: expected an array of shape"):
        save(tmp_path / "params.npz", {**arrays(), "w": np.zeros(6)})
    assert not (tmp_path / "params.npz").exists()
