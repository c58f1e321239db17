# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# Django 6 needs Python 3.12+; we look for one ourselves (PYTHON=... overrides).

SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: run test install migrate demo lint check worker bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6). Install it, or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(PY) manage.py load_demo

run: demo
	@echo "Serving the demo at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# One pytest-xdist worker per core, each with its own test database. On a laptop the
# PostgreSQL test databases are kept for the next run (--reuse-db; a changed migration makes
# new ones); CI creates them fresh. PYTEST_ARGS=... adds options or paths:
#   make test PYTEST_ARGS=tests/grants/test_api.py
#   make test PYTEST_ARGS="tests/grants/test_api.py -k award"
PYTEST_DB := $(if $(filter true 1,$(CI)),--create-db,--reuse-db)
test: install
	$(PY) -m pytest -n auto --dist worksteal $(PYTEST_DB) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: install
	DJANGO_SECRET_KEY=check $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=check $(PY) manage.py spectacular --file /tmp/vru-schema.yaml --validate --fail-on-warn

worker: install
	$(VENV)/bin/celery -A vru worker --loglevel=INFO

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
