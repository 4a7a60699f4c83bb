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
LAB_PORT ?= 8888
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# JupyterLab refuses to run as root unless told (containers and CI machines run as root)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: setup chromium tables dashboard test test-fast lab export screenshots bench loadtest clean

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
	@echo "Tables in $(abspath $(TABLES)); run commands as .venv/bin/ukraine-briefs, or 'source .venv/bin/activate' first"

dashboard: setup tables
	$(BIN)/ukraine-briefs serve --tables $(TABLES) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# The notebooks are paired .py/.ipynb: the .py copies are hidden so each shows once.
lab: setup tables
	@echo "JupyterLab on http://127.0.0.1:$(LAB_PORT)/lab (LAB_PORT=... to change); open the URL with ?token=... that it prints below"
	UKRAINE_BRIEFS_TABLES=$(abspath $(TABLES)) $(BIN)/jupyter lab notebooks --ServerApp.ip=127.0.0.1 \
	  --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 --ContentsManager.hide_globs='["*.py","__pycache__","*.pyc"]' $(ROOT_FLAG)

export: setup tables
	$(BIN)/ukraine-briefs export --tables $(TABLES) --out build/figures --format png,svg,html
	@echo "Charts written to $(abspath build/figures)"

# Every dashboard tab at 1280 and 1920 px wide, into docs/screenshots/<width>/ (linked from the README).
screenshots: setup tables
	$(BIN)/python scripts/screenshots.py --tables $(TABLES) --out docs/screenshots
	@echo "Screenshots in $(abspath docs/screenshots)"

bench: setup
	$(BIN)/python benchmarks/realtext.py
	$(BIN)/python benchmarks/run.py

# Ten Chromium viewers at once against `ukraine-briefs serve` (as `make dashboard`), then 50
# requests that hang up; prints rendered/blank counts, p95 time to first chart, peak memory.
loadtest: setup tables
	$(BIN)/python benchmarks/loadtest.py --tables $(TABLES)

clean:
	rm -rf build .pytest_cache
