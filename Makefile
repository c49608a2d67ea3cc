PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# The Agora SDKs' Python sources, read (never imported) by tests/audio/test_agora_real_api.py.
AGORA_API := $(VENV)/agora-api
AGORA_STAMP := $(AGORA_API)/.downloaded

.PHONY: demo test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(AGORA_STAMP): $(STAMP)
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: -d $(AGORA_API) \
		agora-python-server-sdk==2.4.10
	$(BIN)/python -m pip download --quiet --no-deps --only-binary :all: -d $(AGORA_API) \
		--platform win_amd64 --python-version 3.9 agora-python-sdk==3.1.2.10
	touch $(AGORA_STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck $(AGORA_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
