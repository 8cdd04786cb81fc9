# Two set-up commands, each working on a fresh machine with only python3:
#   make demo   serve the demo project with GraphiQL at http://127.0.0.1:8000/graphql/
#   make test   run the test suite, then every project profile of tests/profiles/
#               (GQL_DJWTO_TEST_DB=postgresql for PostgreSQL; PROFILES= to skip the profiles)
# PYTHON picks the interpreter (3.10 to 3.13), e.g. `make test PYTHON=/usr/bin/python3`;
# Debian's python3 needs its venv module (package python3-venv), installed here when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-gql-djwto

.PHONY: demo test clean

$(STAMP): pyproject.toml
	$(MAKE) --no-print-directory venv-module
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The project profiles (tests/profiles/settings_<name>.py), each its own pytest process;
# django_debug_mode=keep leaves each profile's DEBUG as its settings say.
PROFILES ?= startproject atomic_requests atomic_mutations naive_tokyo script_prefix email_user production

# The first pass measures branch coverage of gql_djwto/ and fails under the floor of
# pyproject.toml's [tool.coverage.report] (COVERAGE_ARGS= to skip the measure).
COVERAGE_ARGS ?= --cov=gql_djwto --cov-branch --cov-report=term

test: $(STAMP)
	$(BIN)/python -m pytest $(COVERAGE_ARGS) $(PYTEST_ARGS)
	@for profile in $(PROFILES); do \
		echo "== profile $$profile (tests/profiles/settings_$$profile.py)"; \
		$(BIN)/python -m pytest tests/profiles -p no:cacheprovider -o django_debug_mode=keep \
			--ds tests.profiles.settings_$$profile $(PROFILE_PYTEST_ARGS) \
			|| { echo "make test: profile $$profile FAILED"; exit 1; }; \
	done

demo: $(STAMP)
	$(BIN)/python -m schema_demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) .nox .pytest_cache test-output

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

# make bench   gql_djwto beside djwto and django-graphql-jwt (bench/), writes bench/RESULTS.md;
#              needs wrk (installed from Debian when missing) and PostgreSQL on 127.0.0.1:5432
BENCH_STAMP := $(VENV)/.installed-gql-djwto-bench

.PHONY: bench

$(BENCH_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench --all $(BENCH_ARGS)
