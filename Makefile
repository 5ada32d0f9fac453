# evalkit: `make report` runs the sample region's 2025 report, `make test` runs the tests.
# Both create the virtual environment (.venv) on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
YEAR ?= 2025
PARAMS ?= params/$(YEAR).yaml
PYTEST_ARGS ?=

.PHONY: setup report reports compare test test-fast lint bench lab clean browser

setup: $(TEST_STAMP)

# The runtime environment (enough for `make report` and `make lab`).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# Plus the test tools (pytest, hypothesis, playwright, pypdf, reference statistics packages).
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# OUT=DIR writes the reports elsewhere; TO=html renders only some formats.
RUN_ARGS = $(if $(OUT),--out $(OUT)) $(if $(TO),--to $(TO))

report: $(STAMP)
	$(BIN)/evalkit run --params $(PARAMS) $(RUN_ARGS)

# Every year: params/*.yaml also matches YAML that is not run params; evalkit skips it.
reports: $(STAMP)
	$(BIN)/evalkit run --params params/*.yaml $(RUN_ARGS)

# The sample province (params/bengkulu/): every region's 2025 and 2024 report on two local
# workers (reports still matching their inputs are skipped), then the province comparison.
compare: $(STAMP)
	$(BIN)/evalkit run --params params/bengkulu/*.yaml params/bengkulu/2024/*.yaml \
		--workers 2 --skip-current
	$(BIN)/evalkit compare --params params/compare/bengkulu.yaml

test: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench tools

bench: $(TEST_STAMP)
	@for script in bench/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab

# Debian's Chromium and poppler, for the browser and PDF tests (needs root or sudo).
browser:
	@command -v chromium > /dev/null || { apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends chromium poppler-utils fonts-dejavu-core; }

clean:
	rm -rf $(VENV) reports/[0-9]* reports/interactive .pytest_cache
