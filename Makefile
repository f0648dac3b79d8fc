# symprop: `make generate` rebuilds generated/, `make test` checks everything,
# `make docs` rebuilds docs/derivations.md and docs/plots/.
# The first target run creates .venv from pyproject.toml; nothing else is needed
# but Python >= 3.11 and make (and, for `make docs`, the network to fetch matplotlib).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: generate check test latex docs accuracy clean

generate: $(STAMP)
	$(PY) -m codegen generate

check: $(STAMP)
	$(PY) -m codegen generate --check

test: $(STAMP)
	$(PY) -m pytest

latex: $(STAMP)
	$(PY) -m derive latex --all

docs: $(DOCS_STAMP)
	$(PY) -m derive docs
	$(PY) -m derive plots

accuracy: $(STAMP)
	$(PY) -m tools.accuracy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $(DOCS_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
