PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# A second environment holding the lowest versions pyproject.toml allows
# (constraints/floors.txt), so a declared floor is one the suite has passed on.
FLOORS_VENV := .venv-floors
FLOORS_BIN := $(FLOORS_VENV)/bin
FLOORS_STAMP := $(FLOORS_VENV)/.installed-floors
# The Agora SDKs' Python sources, read (never imported) by tests/audio/test_agora_real_api.py.
AGORA_API := $(VENV)/agora-api
AGORA_STAMP := $(AGORA_API)/.downloaded

.PHONY: demo test test-floors lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

$(FLOORS_STAMP): pyproject.toml constraints/floors.txt
	rm -rf $(FLOORS_VENV)
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(FLOORS_BIN)/python -m pip install --quiet --upgrade pip
	$(FLOORS_BIN)/python -m pip install --quiet -c constraints/floors.txt -e . --group dev
	$(FLOORS_BIN)/python -m pip check
	touch $(FLOORS_STAMP)

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
	$(MAKE) test-floors

# The suite again on the floors: stops at the first failure (a floor that lies shows up
# as any failure at all).
test-floors: $(FLOORS_STAMP) $(AGORA_STAMP)
	$(FLOORS_BIN)/python -m pytest -x -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(FLOORS_VENV) .mypy_cache .pytest_cache .ruff_cache
