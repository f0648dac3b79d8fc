"""Small modules: no Python file of ``derive/`` or ``codegen/`` over 300 lines, no template over 120."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON_LIMIT, TEMPLATE_LIMIT = 300, 120


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    "path", sorted(str(p.relative_to(ROOT)) for folder in ("derive", "codegen") for p in (ROOT / folder).rglob("*.py")),
)
def test_a_python_file_has_at_most_300_lines(path):
    assert line_count(ROOT / path) <= PYTHON_LIMIT


@pytest.mark.parametrize("path", sorted(p.name for p in (ROOT / "codegen" / "templates").glob("*.j2")))
def test_a_template_has_at_most_120_lines(path):
    assert line_count(ROOT / "codegen" / "templates" / path) <= TEMPLATE_LIMIT
