# Passage: `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GCDS_VERSION := 0.47.0
AXE_VERSION := 4.14.1

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(BIN)/passage passage/web/vendor/gcds/signature/sig-blk-en.svg tests/browser/vendor/axe-core/axe.min.js ## Create .venv, install Passage, the design system and the accessibility checker

$(BIN)/passage: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/pip install --quiet -c constraints.txt -e . --group dev
	@touch $@

passage/web/vendor/gcds/signature/sig-blk-en.svg:
	scripts/fetch-gcds $(GCDS_VERSION)

tests/browser/vendor/axe-core/axe.min.js:
	scripts/fetch-axe $(AXE_VERSION)

run: setup ## Migrate, load demo data and serve on http://127.0.0.1:8000 with a task worker
	scripts/run-demo

test: setup ## Run the whole suite: PostgreSQL, then the embedded SQLite path, with browser tests
	scripts/run-tests

check: setup ## Lint, type-check, and check the architecture contracts and migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy passage
	$(BIN)/lint-imports
	$(BIN)/passage makemigrations --check --dry-run > /dev/null

bench: setup ## Run the benchmarks and write benchmarks/results.md
	$(BIN)/pip install --quiet -c constraints.txt -e . --group bench
	scripts/run-benchmarks

.PHONY: help setup run test check bench
