# Two set-up commands, each working on a fresh machine with only python3:
#   make demo   serve the demo project with GraphiQL at http://127.0.0.1:8000/graphql/
#   make test   run the test suite, then every project profile of tests/profiles/
#               (GQL_DJWTO_TEST_DB=postgresql for PostgreSQL; PROFILES= to skip the profiles)
# Each has its own virtualenv: .venv-demo holds the dependencies and the demo extra only, .venv
# the package and the test tools.
# PYTHON picks the interpreter (3.10 to 3.13), e.g. `make test PYTHON=/usr/bin/python3`;
# Debian's python3 needs its venv module (package python3-venv), installed here when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-gql-djwto
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed-gql-djwto-demo

.PHONY: demo test clean

$(STAMP): pyproject.toml
	$(MAKE) --no-print-directory venv-module
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The project profiles (tests/profiles/settings_<name>.py), each its own pytest process.
PROFILES ?= startproject atomic_requests atomic_mutations naive_tokyo script_prefix email_user production

# The suite runs on every core (pytest-xdist; a whole test file per worker, so a file's module
# fixtures start once). The profiles run beside it at the lowest CPU priority, on the cores the
# suite leaves idle, PROFILE_JOBS at a time (scripts/run_tests.py); each profile's output goes to
# test-output/profile-<name>.log and is shown when the profile fails. XDIST_ARGS= runs the suite
# in one process.
XDIST_ARGS ?= -n auto --dist loadfile
PROFILE_JOBS ?= $(shell $(PYTHON) -c 'import os; print(os.cpu_count() or 1)')

# Branch coverage of gql_djwto/ is measured when COVERAGE=1 (CI measures it on PostgreSQL, where
# no test skips) and fails under the floor of pyproject.toml's [tool.coverage.report].
COVERAGE ?=
COVERAGE_ARGS ?= $(if $(filter 1,$(COVERAGE)),--cov=gql_djwto --cov-branch --cov-report=term)

# The test processes keep their compiled modules (pytest's rewritten test modules included) in
# the venv, even where PYTHONDONTWRITEBYTECODE is set: every pytest process, server and child
# would otherwise compile them again. Nothing is written into the checkout.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache

test: $(STAMP)
	$(TEST_ENV) $(BIN)/python scripts/run_tests.py --profiles '$(PROFILES)' --jobs $(PROFILE_JOBS) \
		--profile-args '$(PROFILE_PYTEST_ARGS)' -- $(XDIST_ARGS) $(COVERAGE_ARGS) $(PYTEST_ARGS)

# The demo runs gql_djwto from this checkout: its venv needs the runtime dependencies and the
# demo extra (CORS for a front end on another origin, PostgreSQL and Redis for several demo
# servers; scripts/demo_requirements.py reads them from pyproject.toml), not the test tools,
# nor a build of the package. --no-compile: Python compiles the modules the demo imports, not
# all of Django's. When $(PYTHON) has pip 22.3 or newer, that pip installs into a venv made
# without pip of its own (`--python`), which saves the three seconds ensurepip takes; otherwise
# the venv gets its own pip. Either way `python3 -m pip --python .venv-demo/bin/python install X`
# adds a package.
DEMO_PIP_OUTSIDE := $(shell $(PYTHON) -c 'import pip, sys; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (22, 3))' 2>/dev/null && echo yes)

# The interpreter that reads pyproject.toml (Python 3.10 reads it with pip's vendored tomli) and
# the pip that installs: the outer ones, or the venv's own.
DEMO_VENV_ARGS := $(if $(DEMO_PIP_OUTSIDE),--without-pip)
DEMO_READER := $(if $(DEMO_PIP_OUTSIDE),$(PYTHON),$(DEMO_VENV)/bin/python)
DEMO_PIP := $(if $(DEMO_PIP_OUTSIDE),$(PYTHON) -m pip --python $(DEMO_VENV)/bin/python,$(DEMO_VENV)/bin/python -m pip)

$(DEMO_STAMP): pyproject.toml scripts/demo_requirements.py
	$(MAKE) --no-print-directory venv-module
	$(PYTHON) -m venv $(DEMO_VENV_ARGS) $(DEMO_VENV)
	$(DEMO_READER) scripts/demo_requirements.py > $(DEMO_VENV)/requirements.txt
	$(DEMO_PIP) install --quiet --no-compile -r $(DEMO_VENV)/requirements.txt
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/python -m schema_demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_VENV) .nox .pytest_cache test-output site .mypy_cache .ruff_cache build dist

# Debian splits venv and ensurepip out of python3: install python3-venv (as root) or say so.
.PHONY: venv-module
venv-module:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo "== $(PYTHON) lacks venv/ensurepip: installing Debian's python3-venv =="; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
	        && $(PYTHON) -c 'import ensurepip, venv'; \
	    else \
	        echo "$(PYTHON) lacks the venv module: install it (Debian/Ubuntu: sudo apt-get install python3-venv)" >&2; \
	        exit 1; \
	    fi; }

# make matrix  the SQLite suite, without browser and server tests, on the version matrix of
#              noxfile.py (floor: Python 3.10 + lowest pins; Django 5.2 on 3.12; ceiling: 3.13 +
#              newest); a missing Python skips its cell loudly, and fails with CI set.
MATRIX_STAMP := $(VENV)/.installed-gql-djwto-matrix

.PHONY: matrix

$(MATRIX_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,matrix]'
	touch $(MATRIX_STAMP)

matrix: $(MATRIX_STAMP)
	$(BIN)/nox $(NOX_ARGS)

# venv-with-extra  a recipe: .venv (made if missing) with the package and an extra (`$(call
#                  venv-with-extra,docs)`; `$(comma)` between two extras), then the target's stamp
comma := ,
define venv-with-extra
	$(MAKE) --no-print-directory venv-module
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(1)]'
	touch $@
endef

# make bench   gql_djwto beside djwto and django-graphql-jwt (bench/), writes bench/RESULTS.md;
#              needs wrk (installed from Debian when missing) and PostgreSQL on 127.0.0.1:5432
BENCH_STAMP := $(VENV)/.installed-gql-djwto-bench

.PHONY: bench

$(BENCH_STAMP): pyproject.toml
	$(call venv-with-extra,test$(comma)bench)

bench: $(BENCH_STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench --all $(BENCH_ARGS)

# make docs    the documentation site (mkdocs.yml, docs/) built into site/ by `mkdocs build --strict`
#              (a warning fails it), with mermaid from npm in docs/assets/mermaid/ so that no page
#              loads anything from another host (scripts/docs_assets.py checks the built pages);
#              `.venv/bin/mkdocs serve` then serves it while you edit
DOCS_STAMP := $(VENV)/.installed-gql-djwto-docs

.PHONY: docs

$(DOCS_STAMP): pyproject.toml
	$(call venv-with-extra,docs)

docs: $(DOCS_STAMP)
	$(BIN)/python -m scripts.docs_assets
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict $(DOCS_ARGS)
	$(BIN)/python -m scripts.docs_assets --check site

# make lint    ruff check, ruff format --check and mypy --strict on gql_djwto/ (config in pyproject.toml;
#              the same three as .pre-commit-config.yaml); every check runs, the target fails if any does
LINT_STAMP := $(VENV)/.installed-gql-djwto-lint
LINT_PATHS := gql_djwto tests bench schema_demo scripts noxfile.py

.PHONY: lint

$(LINT_STAMP): pyproject.toml
	$(call venv-with-extra,lint)

lint: $(LINT_STAMP)
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check $(LINT_PATHS) || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check $(LINT_PATHS) || status=1; \
	echo "== mypy --strict gql_djwto"; $(BIN)/mypy --strict gql_djwto || status=1; \
	exit $$status

# make dist        the sdist and wheel in dist/ (python -m build), then twine check --strict
# make sdist-test  the sdist runs its own tests: unpacked in build/sdist-test, installed with its
#                  test extra in a new virtualenv, the SQLite suite without browser and server
#                  tests (SDIST_PYTEST_ARGS adds pytest arguments)
DIST_STAMP := $(VENV)/.installed-gql-djwto-dist
SDIST_TEST := build/sdist-test

.PHONY: dist sdist-test

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

sdist-test: dist
	rm -rf $(SDIST_TEST)
	mkdir -p $(SDIST_TEST)
	tar -xzf dist/gql_djwto-*.tar.gz -C $(SDIST_TEST)
	cd $(SDIST_TEST)/gql_djwto-* && $(PYTHON) -m venv .venv \
		&& .venv/bin/python -m pip install --quiet '.[test]' \
		&& GQL_DJWTO_TEST_DB=sqlite .venv/bin/python -m pytest -q -p no:cacheprovider \
			-m 'not browser and not server' $(XDIST_ARGS) $(SDIST_PYTEST_ARGS)
