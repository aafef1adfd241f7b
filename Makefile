# Two commands do all setup on a fresh machine: `make demo` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup browser demo test lint bench clean

setup: $(VENV)/.installed node/node_modules/.installed

# setup.py and the C source: scan-logs' extension is built in place by the editable install
$(VENV)/.installed: pyproject.toml setup.py pusher_doctor/triage/_logscan.c
	$(PYTHON) -m venv $(VENV)
	# compat mode: a path entry instead of an import hook, which costs every process start ~15 ms
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	touch $@

# soketi (the sandbox and test server) and pusher-js (the guests), pinned in pusher_doctor/sandbox/node/
# (package data, also read by an install outside the clone); node/package*.json link there.
node/node_modules/.installed: node/package.json node/package-lock.json
	npm ci --prefix node --no-audit --no-fund --loglevel=error
	touch $@

# The page check's and the report's tests drive a real Chromium. Playwright's own browser download is
# not reachable everywhere, so the distribution's package is installed (as root, where apt-get exists).
browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && echo "installing Chromium (apt-get)..." && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "Chromium is needed by the tests: install it (e.g. sudo apt-get install chromium)"; exit 1; }

demo: setup
	$(BIN)/pusher-doctor demo

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node/node_modules
