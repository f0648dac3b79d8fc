"""Malformed specs: each stops with one SpecError naming the file and the offending field.

Every file in ``tests/specs_malformed/`` starts with ``# field: PATH``, the
field path its error must name (``layers[1].activation``, or ``(file)`` for
a file that is not TOML).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from derive.spec import SpecError, load_spec
from derive.catalog.standard import CATALOG

VOCABULARY = CATALOG.vocabulary()

CORPUS = Path(__file__).parent / "specs_malformed"
MALFORMED = sorted(CORPUS.glob("*.toml"))
ROOT = Path(__file__).resolve().parent.parent


def expected_field(path: Path) -> str:
    first = path.read_bytes().split(b"\n")[0].decode("utf-8")  # the rest may be deliberately not UTF-8
    assert first.startswith("# field: "), f"{path.name} must start with '# field: PATH'"
    return first.removeprefix("# field: ")


def corpus(description: str) -> Path:
    """The corpus file ``NN_description.toml``."""
    (path,) = CORPUS.glob(f"[0-9][0-9]_{description}.toml")
    return path


def test_the_corpus_has_at_least_30_specs():
    assert len(MALFORMED) >= 30


@pytest.mark.parametrize("path", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_error_names_the_file_and_the_field(path):
    with pytest.raises(SpecError) as caught:
        load_spec(path, VOCABULARY)
    error = caught.value
    assert error.field == expected_field(path), str(error)
    assert path.name in str(error)
    assert f": {error.field}: " in str(error)


def test_unknown_name_lists_what_is_accepted():
    with pytest.raises(SpecError, match=r"unknown value 'swish' \(accepted: linear, sigmoid, relu"):
        load_spec(corpus("unknown_activation"), VOCABULARY)


def test_misspelled_field_suggests_the_field_meant():
    with pytest.raises(SpecError, match=r"unknown field; did you mean 'activation'\?"):
        load_spec(corpus("misspelled_layer_field"), VOCABULARY)


def test_number_out_of_range_says_the_interval():
    with pytest.raises(SpecError, match=r"1\.0 is out of range \(accepted: a finite number in \[0, 1\)\)"):
        load_spec(corpus("dropout_of_one"), VOCABULARY)


def test_command_line_exits_2_names_the_field_and_writes_nothing(tmp_path):
    bad = corpus("unknown_activation")
    output = tmp_path / "out.py"
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "network", str(bad), "-o", str(output)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "layers[1].activation" in result.stderr
    assert bad.name in result.stderr
    assert not output.exists()
