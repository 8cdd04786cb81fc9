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
