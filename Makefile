# All set-up happens here: on a fresh machine `make test` and `make demo` create
# .venv, install cypmh with its dev extra, and run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SOURCES := src tests docs benchmarks

# Installing: uv (from PyPI) installs in seconds what pip takes a minute or more for;
# if uv cannot be had, pip does it. Bytecode is compiled at install, as pip would.
INSTALL = $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

.PHONY: test check test-spark lint types unit docs doctest demo clean refdata check-refdata bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cypmh needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		&& $(INSTALL) -e '.[dev]' \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Every check. PostgreSQL's server programs are installed first where they are missing and
# this user may (.ci/install-postgres); the database tests start their own server. The Hypothesis profile is `dev` (a tenth of the examples) unless CI is
# set; CI (.ci/run) sets it and runs every example (tests/budget.py). The checks run side
# by side (the types and the docs fill the cores the tests leave idle); -O keeps each
# one's output together.
test: $(STAMP)
	@.ci/install-postgres
	@$(MAKE) --no-print-directory -j3 -O lint types unit docs

# The edit-run loop, in under a minute: lint, the unit and spec tests.
check: lint
	$(BIN)/pytest -n auto --dist worksteal -q tests/unit tests/spec

# The layer contract too ([tool.importlinter] in pyproject.toml): no upward import, no cycle.
lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/lint-imports --no-cache

types: $(STAMP)
	$(BIN)/mypy --strict src

# On every core (pytest-xdist).
unit: $(STAMP)
	$(BIN)/pytest -n auto --dist worksteal

docs: $(STAMP)
	$(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html
	$(BIN)/sphinx-build -q -W --keep-going -b doctest docs docs/_build/doctest

# The dataframe engine on real PySpark in local mode (needs Java 17 or newer;
# installs the spark extra into .venv). CI runs it after `make test`.
test-spark: $(STAMP)
	$(INSTALL) -e '.[dev,spark]' || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	@java -version >/dev/null 2>&1 || { echo "test-spark needs Java (17 or newer) on PATH"; exit 1; }
	$(BIN)/pytest -m spark tests

demo: $(STAMP)
	$(BIN)/cypmh report --demo --format text
	@echo
	$(BIN)/cypmh trend --demo --metric MHS131 --metric MHS95 --metric REJ01a --metric MHS133 --format text
	@mkdir -p build
	$(BIN)/cypmh trend --demo --format html --out build/demo-trend.html
	@echo
	@echo "A synthetic area whose social care comes from the Standard Safeguarding Dataset's tables (ssd/):"
	$(BIN)/cypmh synth --social-care ssd --force build/demo-feeds
	$(BIN)/cypmh report build/demo-feeds --metric REJ02 --metric LAC01 --breakdown social_care --format text
	@echo "Open build/demo-trend.html for the board page: need and reach, a summary and an SPC chart per metric."

# The performance figures (see each script's docstring; hand_sql.py builds a 1M-referral
# extract once, about 3 minutes and 3 GB, into benchmarks/.data).
bench: $(STAMP)
	$(BIN)/python benchmarks/catalogue.py 10000 100000
	$(BIN)/python benchmarks/read_extract.py 10000 100000
	$(BIN)/python benchmarks/frames.py 10000 100000
	$(BIN)/python benchmarks/feeds.py 10000 100000
	$(BIN)/python benchmarks/hand_sql.py 100000 1000000

# Copy the project's shared reference tables into the package (maintainers only;
# needs ../shared beside the checkout), and check that the copies are current.
refdata:
	cp ../shared/reference-data/*.csv src/cypmh/codes/data/
check-refdata:
	@for f in ../shared/reference-data/*.csv; do cmp -s "$$f" "src/cypmh/codes/data/$$(basename $$f)" || { echo "stale: $$f"; exit 1; }; done; echo "package reference data matches ../shared/reference-data"

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .pytest_cache .ruff_cache .hypothesis
