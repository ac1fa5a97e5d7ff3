# Athar: `make run` serves the web app on an embedded workspace, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ATHAR_HOME ?= ./athar-data
export ATHAR_HOME
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fix bench install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[all,test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/athar init --if-missing
	$(BIN)/athar serve --host $(HOST) --port $(PORT)

# With ATHAR_TEST_DATABASE_URL set (CI sets it), the API, custody, intake and web
# integration tests run a second time with every workspace on PostgreSQL.
PG_AGAIN ?= tests/integration/api tests/integration/custody tests/integration/incidents tests/integration/web

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$ATHAR_TEST_DATABASE_URL" ]; then \
	  echo "== the same integration tests with every workspace on PostgreSQL"; \
	  ATHAR_TEST_BACKEND=postgresql $(BIN)/python -m pytest $(PG_AGAIN) $(PYTEST_ARGS); \
	fi

# ruff's linter (not `ruff format`: the code keeps its own line breaks), the import
# contracts of pyproject.toml, and mypy --strict on all of src.
lint: install-test
	$(BIN)/ruff check src tests benchmarks fuzz scripts
	$(BIN)/lint-imports
	$(BIN)/mypy src/athar

fix: install-test
	$(BIN)/ruff check --fix src tests benchmarks fuzz scripts

BENCHMARKS ?= ledger intake custody api cli_startup

bench: install-test
	@for b in $(BENCHMARKS); do \
	  if [ -f benchmarks/$$b.py ]; then echo "== $$b"; $(BIN)/python benchmarks/$$b.py --quick || exit 1; fi; \
	done
