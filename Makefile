# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions of every dependency, for every Python the app supports (make lock).
LOCK := requirements.lock
EVENTS ?= 1000000
OUT ?= bench.json
MINUTES ?= 10

.PHONY: run test lint lock soak bench translations desktop clean

# The locked versions, then the app itself (editable) without re-resolving anything.
$(STAMP): pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Refresh requirements.lock from pyproject.toml's ranges with uv: new or changed
# dependencies get locked, the other pins stay; `make lock UPGRADE=1` takes the newest
# versions the ranges allow. Commit the lock with the change that needed it.
lock:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.10 \
		$(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)

# Qt's system libraries first: a missing one is named with the apt/dnf command for it.
run: $(STAMP)
	$(BIN)/python -m timeline_app.syscheck
	$(BIN)/timeline-app

# The guardrails first (seconds), a two-minute soak, then the whole suite (its summary
# line last, for CI).
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.soak --minutes 2
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The window driven offscreen by random seeded actions over the sample and a generated
# 100k-event file for MINUTES minutes; fails on any exception, Qt warning, or memory
# growing more than 15% after warm-up (tests/soak/run.py). SEED=N for another sequence.
soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.soak --minutes $(MINUTES) $(if $(SEED),--seed $(SEED))

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
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.run --events $(EVENTS) --out $(OUT) $(if $(OOC_EVENTS),--ooc-events $(OOC_EVENTS))

# The interface's strings into resources/translations/*.ts (translate the new ones there,
# e.g. with .venv/bin/pyside6-linguist), then compiled into the .qm the app loads.
translations: $(STAMP)
	$(BIN)/python tools/translations.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
