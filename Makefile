# Railyard: `make run` opens the console on demo data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/railyard.duckdb
PORT   ?= 8501

.PHONY: setup dev demo run test lint unit browser bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime

dev: $(VENV)/.dev

## Build the demo database once (a second run reuses it).
demo: setup
	$(BIN)/python -m ops_core.demo --db $(DB) --if-missing

## Open the console on localhost:$(PORT) (in your browser when there is one).
run: demo
	@echo "Railyard: http://localhost:$(PORT)"
	@(sleep 4; $(BIN)/python -c "import webbrowser; webbrowser.open('http://localhost:$(PORT)')" \
		>/dev/null 2>&1 &)
	RAILYARD_DB=$(DB) $(BIN)/python -m ui.serve --server.port $(PORT)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Lint, then unit, SQL, AppTest and browser tests (browser tests need /usr/bin/chromium).
test: lint
	$(BIN)/python -m pytest

unit: dev
	$(BIN)/python -m pytest -m "not browser"

browser: dev
	$(BIN)/python -m pytest -m browser

bench: dev
	$(BIN)/python -m bench.pages

screenshots: dev
	$(BIN)/python -m tests.browser.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
