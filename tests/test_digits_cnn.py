"""The digits table of docs/indexed_layers.md: its mean row, and seed 0's row reproduced by ``bench.digits_cnn``."""

import re
from pathlib import Path

import numpy as np
import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "indexed_layers.md"
README = Path(__file__).resolve().parent.parent / "README.md"


def quoted() -> dict[str, tuple[float, float]]:
    """Each row of the page's digits table: seed (or ``mean``) -> (dense, convolutional) accuracy."""
    rows = re.findall(r"^\| (\d|mean) \| (0\.\d{4}) \| (0\.\d{4}) \|$", PAGE.read_text(encoding="utf-8"), re.M)
    return {seed: (float(dense), float(cnn)) for seed, dense, cnn in rows}


def test_the_mean_row_is_the_mean_of_the_seeds_and_the_readme_quotes_it():
    rows = quoted()
    seeds = [rows[str(seed)] for seed in range(5)]
    assert rows["mean"] == tuple(round(float(np.mean(column)), 4) for column in zip(*seeds))
    assert sum(cnn > dense for dense, cnn in seeds) == 4  # "more ... on four seeds of five"
    assert "four seeds of five" in PAGE.read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    assert f"accuracy of {rows['mean'][1]:.3f} over five splits" in readme
    assert f"reaches {rows['mean'][0]:.3f}" in readme


def test_seed_0_gives_the_accuracies_the_page_quotes():
    pytest.importorskip("sklearn", reason="the digits come with scikit-learn: pip install -e '.[bench]'")
    from bench.digits_cnn import accuracies

    got = accuracies(0)
    assert (round(got["digits"], 4), round(got["digits_cnn"], 4)) == quoted()["0"]


def test_the_page_shows_the_spec_the_benchmark_trains():
    import tomllib

    from bench.digits_cnn import CNN

    (block,) = re.findall(r"```toml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert tomllib.loads(block) == CNN
