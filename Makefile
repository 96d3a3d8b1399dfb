# Two commands do all set-up on a fresh machine:
#   make run    the bot (the local console on ./marketsafe.db when no chat tokens are configured)
#   make test   lint, type-check and the whole test suite
# `make bench` prints each performance figure beside its target.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean haproxy fonts

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

test: lint haproxy fonts
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

# Charts (`stats chart`) draw Chinese organisation names with Debian's WenQuanYi Micro Hei; without
# it they fall back to DejaVu Sans (the names show as boxes) and the CJK font test fails.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@test -e $(CJK_FONT) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "make test needs a CJK font for the charts: sudo apt-get install -y fonts-wqy-microhei" >&2; \
	    exit 1; \
	  fi; }

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
