# make run  - set up a virtualenv, migrate, load demo content and serve http://127.0.0.1:5000
# make test - set up a virtualenv with test extras (and Chromium, wrk, Java when root) and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# pytest-xdist processes for make test: one per core
TEST_WORKERS ?= auto
export FLASK_APP := sbo

.PHONY: run test install install-test test-system bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	bash scripts/install-system
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	bash scripts/install-system
	$(BIN)/pip install -q -e '.[test]'

test-system:
	bash scripts/install-test-system

run: install
	$(BIN)/flask --app sbo db upgrade
	$(BIN)/flask --app sbo seed-demo
	$(BIN)/flask --app sbo send-mail
	$(BIN)/flask --app sbo run --host 127.0.0.1 --port 5000

test: install-test test-system
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

bench: install-test
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "bench needs wrk: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
