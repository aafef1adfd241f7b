# Two commands do all setup on a fresh machine: `make demo` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed node/node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# compat mode: a path entry instead of an import hook, which costs every process start ~15 ms
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	touch $@

# soketi (the sandbox and test server) and pusher-js (the test suite's browser guest), pinned in the lock file.
node/node_modules/.installed: node/package.json node/package-lock.json
	npm ci --prefix node --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/pusher-doctor demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node/node_modules
