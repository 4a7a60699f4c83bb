# The two commands a new user needs: `make dashboard` and `make test`.
# Everything they need is installed here, from PyPI and Debian, into .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TABLES ?= build/seeds
HOST ?= 127.0.0.1
PORT ?= 8866
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# JupyterLab refuses to run as root unless told (containers and CI machines run as root)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: setup chromium tables dashboard test test-fast lab export bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP) chromium

# Debian's Chromium: kaleido (static images) and the browser tests use it.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (needed for PNG/SVG export and browser tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

tables: $(STAMP)
	$(BIN)/ukraine-briefs build seeds --out $(TABLES)

dashboard: setup tables
	$(BIN)/ukraine-briefs serve --tables $(TABLES) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: setup tables
	UKRAINE_BRIEFS_TABLES=$(abspath $(TABLES)) $(BIN)/jupyter lab notebooks --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

export: setup tables
	$(BIN)/ukraine-briefs export --tables $(TABLES) --out build/figures --format png,svg,html

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .pytest_cache
