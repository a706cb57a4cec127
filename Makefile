# phrasefinder: `make demo` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORPUS ?= examples/corpus

.PHONY: setup demo test check format bench traditional-table clean

setup: $(STAMP)

# Reinstall only when the dependencies change; safe to run any number of times.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/phrasefinder lexicon check
	$(BIN)/phrasefinder scan $(CORPUS) --format table

test: setup
	$(BIN)/python -m pytest

check: setup
	$(BIN)/ruff format --check phrasefinder tests benchmarks
	$(BIN)/ruff check phrasefinder tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

format: setup
	$(BIN)/ruff format phrasefinder tests benchmarks
	$(BIN)/ruff check --fix phrasefinder tests benchmarks

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/scan_speed.py
	$(BIN)/python benchmarks/encoding_eval.py

# The table of traditional characters ships with the package (OpenCC needs 0.3 s to derive it).
traditional-table: setup
	$(BIN)/python -c "from phrasefinder.normalize import traditional_characters as t; print(t())" > phrasefinder/traditional.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
