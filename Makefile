# One command to run, one command to test. Both create the virtual environment themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run web serve serve-production migrate install install-test translations extract-messages update-messages lint test test-fast browser-deps db demo scheduler benchmark-matching benchmark-matching-belgium benchmark-dashboard benchmark-dashboard-1m benchmark-dashboard-10m benchmark-pages benchmark-pages-flemish clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations browser-deps

# Compile the message catalogs (translations/*/LC_MESSAGES/messages.po -> .mo).
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output -o translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

# Browser tests drive Debian's Chromium; install it when missing (needs root and apt).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: /usr/bin/chromium missing; browser tests will be skipped"; fi; \
	fi

db: install
	$(FLASK) db upgrade
	$(FLASK) refdata load
	$(FLASK) demo seed --if-empty

# The whole product in development: the web pages and the scheduled jobs (Procfile.dev, run by honcho).
# E-mail and SMS are written to the log and shown on /dev/messages. In production the web server and
# the scheduler (`flask scheduler run`) are separate processes.
run: db $(VENV)/.installed-dev
	PATH="$(abspath $(BIN)):$$PATH" DIGIBUDDY_HOST=$(HOST) DIGIBUDDY_PORT=$(PORT) \
	  PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/honcho -f Procfile.dev start

web: db
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: run

scheduler: db
	$(FLASK) scheduler run

# Production (README, "Running in production"): apply the migrations and reference data on each deploy,
# then serve with gunicorn (gunicorn.conf.py reads workers, timeouts and logs from the environment).
# The scheduler runs as its own process: `flask --app wsgi scheduler run`.
migrate: install
	$(FLASK) db upgrade
	$(FLASK) refdata load

serve-production: install
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Style and static checks (configured in pyproject.toml); part of every test run.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install-test lint
	DIGIBUDDY_TEST_SKIP_POSTGRES=1 $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

benchmark-matching: install
	$(BIN)/python benchmarks/matching.py

benchmark-matching-belgium: install
	$(BIN)/python benchmarks/matching.py --volunteers 100000

# Both sizes one after the other, or one size each; DASHBOARD_ARGS="--keep" keeps the databases, "--reuse"
# measures again on the kept ones.
benchmark-dashboard: install
	$(BIN)/python benchmarks/dashboard.py $(DASHBOARD_ARGS)

benchmark-dashboard-1m: install
	$(BIN)/python benchmarks/dashboard.py --sessions 1000000 $(DASHBOARD_ARGS)

benchmark-dashboard-10m: install
	$(BIN)/python benchmarks/dashboard.py --sessions 10000000 $(DASHBOARD_ARGS)

benchmark-pages: install
	$(BIN)/python benchmarks/pages.py

# The same pages on PostgreSQL with the Flemish-scale data of the matching benchmark.
benchmark-pages-flemish: install
	$(BIN)/python benchmarks/pages.py --flemish

clean:
	rm -rf $(VENV) instance build *.egg-info
