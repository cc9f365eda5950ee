# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EVENTS ?= 1000000
OUT ?= bench.json

.PHONY: run test lint bench translations desktop clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Qt's system libraries first: a missing one is named with the apt/dnf command for it.
run: $(STAMP)
	$(BIN)/python -m timeline_app.syscheck
	$(BIN)/timeline-app

# The guardrails first (seconds), then the whole suite.
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Style, layering (import-linter contracts in pyproject.toml) and types (mypy).
lint: $(STAMP)
	$(BIN)/ruff check timeline_app tests
	$(BIN)/ruff format --check timeline_app tests
	$(BIN)/lint-imports
	$(BIN)/mypy timeline_app

# The applications menu entry and icon, for this user (~/.local/share; no root needed).
desktop: $(STAMP)
	$(BIN)/timeline-app install-desktop

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.run --events $(EVENTS) --out $(OUT)

# The interface's strings into resources/translations/*.ts (translate the new ones there,
# e.g. with .venv/bin/pyside6-linguist), then compiled into the .qm the app loads.
translations: $(STAMP)
	$(BIN)/python tools/translations.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
