# symprop: `make generate` rebuilds generated/, `make test` checks everything.
# The first target run creates .venv from pyproject.toml; nothing else is needed
# but Python >= 3.11 and make.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: generate check test latex clean

generate: $(STAMP)
	$(PY) -m codegen generate

check: $(STAMP)
	$(PY) -m codegen generate --check

test: $(STAMP)
	$(PY) -m pytest

latex: $(STAMP)
	$(PY) -m derive latex --all

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
