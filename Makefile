# Two commands do all set-up on a fresh machine:
#   make run    the bot (the local console on ./marketsafe.db when no chat tokens are configured)
#   make test   lint, type-check and the whole test suite
# `make bench` prints each performance figure beside its target.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/marketsafe run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	@command -v haproxy >/dev/null || { echo "make test needs haproxy (the scale-out tests run deploy/haproxy.cfg): apt-get install -y haproxy" >&2; exit 1; }
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
