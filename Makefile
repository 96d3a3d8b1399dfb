# Two commands do all set-up on a fresh machine:
#   make run    the bot (the local console on ./marketsafe.db when no chat tokens are configured)
#   make test   lint, type-check and the whole test suite
# `make bench` prints each performance figure beside its target.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean haproxy messages catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m bot.catalogs compile
	touch $(STAMP)

run: $(STAMP) catalogs
	$(BIN)/marketsafe run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint haproxy catalogs
	$(BIN)/pytest

# The scale-out tests run Debian's HAProxy with deploy/haproxy.cfg in front of the replicas.
haproxy:
	@command -v haproxy >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	  else \
	    echo "make test needs haproxy (the scale-out tests run deploy/haproxy.cfg): sudo apt-get install -y haproxy" >&2; \
	    exit 1; \
	  fi; }

# Message catalogs (see README, Languages): extract the marked texts into locales/<domain>.pot and
# merge them into every language's .po; compile the .po files into the .mo files the bot reads.
messages: $(STAMP)
	$(BIN)/python -m bot.catalogs messages

catalogs: $(STAMP)
	$(BIN)/python -m bot.catalogs compile

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
