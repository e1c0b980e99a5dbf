# Kartei: `make serve` sets everything up and serves the app with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := kartei/core/static/vendor

.PHONY: serve install assets translations test test-install lint

# A new installation gets 500 demo customers and a demo login, printed last once the server answers.
serve: install
	$(BIN)/kartei serve --demo

install: $(BIN)/kartei assets translations

$(BIN)/kartei: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

assets: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/

translations: $(BIN)/kartei
	$(BIN)/kartei compile_translations

test-install: install
	$(BIN)/pip install --quiet -e '.[test]'
	@test -x /usr/bin/chromium -a -x /usr/sbin/dovecot || (apt-get update -qq && apt-get install -y -qq chromium dovecot-imapd >/dev/null)

test: test-install
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# The gate CI runs before the tests: lint, format, and no model change without its migration.
lint: test-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/kartei makemigrations --check --dry-run
