# symprop: `make generate` rebuilds generated/, `make test` checks everything,
# `make docs` rebuilds docs/derivations.md, docs/proofs.md and docs/plots/, `make bench` times a
# training step against the peer libraries and rewrites docs/benchmarks.md.
# The first target run creates .venv from pyproject.toml; nothing else is needed
# but Python >= 3.11 and make (and, for `make docs` and `make bench`, the network to
# fetch matplotlib, or autograd, PyTorch's CPU wheel and JAX).  `make test` installs
# matplotlib too (the plot extra), to test symprop.plot_history.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: generate check test latex docs accuracy bench clean

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
	$(PY) -m derive proofs --markdown
	$(PY) -m derive plots

accuracy: $(STAMP)
	$(PY) -m tools.accuracy

bench: $(BENCH_STAMP)
	$(PY) -m bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,fast,plot]'
	touch $(STAMP)

$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,fast,plot,docs]'
	touch $(DOCS_STAMP)

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,fast,plot,bench]'
	touch $(BENCH_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .cache
