# Two commands: `make run` (the whole stack on this machine, seeds ingested) and `make test`.
# Only Python 3.11 and pip are assumed; uv comes from PyPI and installs the locked workspace.

PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_LINK_MODE ?= copy

.PHONY: setup run test lint typecheck pytest docs bench clean

setup:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv>=0.8,<0.14"
	$(UV) sync --all-packages --frozen --python $(PYTHON)

run: setup
	$(UV) run --frozen fazhi up --ingest seeds

lint: setup
	$(UV) run --frozen ruff check .

typecheck: setup
	$(UV) run --frozen mypy shared services cli

pytest: setup
	$(UV) run --frozen pytest

test: lint typecheck pytest

bench: setup
	$(UV) run --frozen python bench/run_all.py

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache

docs: setup
	$(UV) run --frozen python -m fazhi_shared.settings --readme README.md
