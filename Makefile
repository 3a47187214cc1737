# Two commands do everything on a fresh machine (see README.md):
#   make serve   set up, then preview the site at http://127.0.0.1:8000/health-guides/
#   make test    set up, then run every test (builds the real site, drives it in Chromium)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build check test golden schema clean benchmark lighthouse benchmark-self-check

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

serve: setup
	$(BIN)/python -m generator serve

build: setup
	$(BIN)/python -m generator build

check: setup
	$(BIN)/python -m generator check

test: setup
	$(BIN)/python -m ruff check generator tests benchmarks
	$(BIN)/python -m pytest

# The only way golden files change: rewrite them, then review `git diff tests/golden`.
golden: setup
	$(BIN)/python -m pytest tests/test_render.py tests/test_error_cases.py --update-golden -q

# After changing generator/model.py: rewrite content/schema/*.json (a test checks they match).
schema: setup
	$(BIN)/python -m generator schema

# Not part of `make test`: each prints its figures and rewrites its report in benchmarks/.
benchmark: setup
	$(BIN)/python -m benchmarks.benchmark

lighthouse: setup
	$(BIN)/python -m benchmarks.lighthouse

benchmark-self-check: setup
	$(BIN)/python -m benchmarks.self_check

clean:
	rm -rf site .pytest_cache .ruff_cache .hypothesis
