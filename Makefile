# Two commands do all set-up on a fresh machine:
#   make run    the bot (the local console on ./marketsafe.db when no chat tokens are configured)
#   make test   lint, type-check and the whole test suite
# `make bench` prints each performance figure beside its target.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean haproxy fonts messages catalogs

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

test: lint haproxy fonts catalogs
	$(BIN)/pytest

# `make test` needs two of Debian's packages: run as root it installs what is missing, else it
# says what to install. The scale-out tests run HAProxy with deploy/haproxy.cfg in front of the
# replicas; charts (`stats chart`) draw Chinese names with WenQuanYi Micro Hei (without it they fall
# back to DejaVu Sans, the names show as boxes, and the CJK font test fails).
define debian_package
	@$(1) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "make test needs $(2) for $(3): sudo apt-get install -y $(2)" >&2; \
	    exit 1; \
	  fi; }
endef

haproxy:
	$(call debian_package,command -v haproxy >/dev/null,haproxy,the scale-out tests)

fonts:
	$(call debian_package,test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc,fonts-wqy-microhei,the charts)

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
