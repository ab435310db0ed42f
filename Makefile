# Set-up and everyday commands. `make build` and `make test` are the two
# README commands: each installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/kg build seeds --out output

test: $(STAMP)
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output/graph.* output/stats.json
