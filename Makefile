# Set-up and everyday commands. `make build` and `make test` are the two
# README commands: each installs what it needs into .venv first — `make build`
# the package alone, `make test` the test extras and (scripts/test-deps.sh,
# as root with apt) the system tools the tests drive.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_STAMP := $(VENV)/.installed-build
TEST_STAMP := $(VENV)/.installed-test

.PHONY: build test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(BUILD_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(BUILD_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TEST_STAMP) $(BUILD_STAMP)

install: $(BUILD_STAMP)

install-test: $(TEST_STAMP)

build: $(BUILD_STAMP)
	$(BIN)/kg build seeds --out output

test: $(TEST_STAMP)
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output/graph.* output/stats.json
