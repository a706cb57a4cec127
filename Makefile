# phrasefinder: `make demo` and `make test` are all a fresh clone needs.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed-stamp
SEEDS    := examples/corpus
# `make reports CORPUS=… LEXICONS=… OUT=…` reports on any corpus; BY is the trends' period.
CORPUS   ?= examples
LEXICONS ?= lexicons
OUT      ?= reports
BY       ?= month
SHOWCASE := ../shared/corpus
SUDO     := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup system demo test check format bench reports showcase traditional-table clean

# Bytecode compiled here (only what changed): an editable install has none, and with PYTHONDONTWRITEBYTECODE
# set every run would compile phrasefinder's sources again (0.07 s of a 0.38 s one-line scan).
setup: system $(STAMP)
	@$(BIN)/python -m compileall -q phrasefinder

# Debian packages: Chromium for the report page's browser test, Noto CJK so chart labels are not boxes.
# Checked each run (a second run installs nothing); apt-get update only when something is missing.
system:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; }

# Reinstall only when the dependencies change; safe to run any number of times.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/phrasefinder lexicon check
	$(BIN)/phrasefinder scan $(SEEDS) --format table
	$(MAKE) --no-print-directory reports

# Scan once per corpus, lexicon set and version of the code: real dependencies, so nothing is rescanned when
# none of them changed, and a change to phrasefinder itself never leaves a report built by the old code.
CODE := $(shell find phrasefinder -name '*.py' -o -name '*.html' -o -name '*.css' 2>/dev/null)
# The scan writes beside its target and renames, so an interrupted run never leaves a fresh-looking file.
SCANNED = build/scan/$(subst /,_,$(subst ../,,$(CORPUS)))_$(subst /,_,$(LEXICONS))
$(SCANNED)/hits.parquet: $(shell find $(CORPUS) -type f -not -path '*/.*' 2>/dev/null) \
                         $(shell find $(LEXICONS) -name '*.yaml' 2>/dev/null) $(CODE) | setup
	mkdir -p $(@D)
	$(BIN)/phrasefinder scan $(CORPUS) -l $(LEXICONS) -j 2 -o $(@D)/new-hits.parquet --stats $(@D)/new-stats.parquet
	mv $(@D)/new-stats.parquet $(@D)/stats.parquet
	mv $(@D)/new-hits.parquet $@

$(OUT)/index.html: $(SCANNED)/hits.parquet $(CODE)
	$(BIN)/phrasefinder report $< --stats $(<D)/stats.parquet -l $(LEXICONS) -o $(OUT) --by $(BY) $(REPORT_FLAGS)

reports: $(OUT)/index.html

# The 2019-2020 People's Daily, the work reports since 1954 and the rest of ../shared/corpus, by year.
showcase: setup
	test -d $(SHOWCASE) || { echo "showcase: $(SHOWCASE) not found (the shared corpus sits beside the clone)" >&2; exit 2; }
	$(MAKE) --no-print-directory reports CORPUS=$(SHOWCASE) OUT=reports/showcase BY=year REPORT_FLAGS=--dedupe

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

# Every benchmark and evaluation (they need ../shared/corpus); each prints its table against an alternative.
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/scan_speed.py
	$(BIN)/python benchmarks/encoding_eval.py
	$(BIN)/python benchmarks/mining_eval.py
	$(BIN)/python benchmarks/mining_speed.py
	$(BIN)/python benchmarks/report_speed.py
	$(BIN)/python benchmarks/lexicon_cache.py
	$(BIN)/python benchmarks/precision_audit.py score report confirm confirm2
	$(BIN)/python benchmarks/coverage.py

# The table of traditional characters ships with the package (OpenCC needs 0.3 s to derive it).
traditional-table: setup
	$(BIN)/python -c "from phrasefinder.text.normalize import traditional_characters as t; print(t())" > phrasefinder/text/traditional.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
