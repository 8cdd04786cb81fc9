# Two set-up commands, each working on a fresh machine with only python3:
#   make demo   serve the demo project with GraphiQL at http://127.0.0.1:8000/graphql/
#   make test   run the test suite (GQL_DJWTO_TEST_DB=postgresql for PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-gql-djwto

.PHONY: demo test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python -m schema_demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-output

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
