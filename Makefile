# Recall Assistant. A newcomer needs two commands: `make demo` and `make test`.
# Both run `setup` first, which builds whatever is missing and nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PIP_VERSION := 24.3.1
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RECALL := $(VENV)/bin/recall
CHROMIUM := /usr/bin/chromium
TESSERACT := /usr/bin/tesseract
PIP_QUIET := --quiet --disable-pip-version-check
# make test: pytest-xdist processes, one test file at a time each (a module's dialogue stack stays in one).
TEST_WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1
# pip's site config may name local mirror folders that do not exist; drop only that warning.
HIDE_MIRROR_NOISE := sed -u '/is ignored: it is neither a file nor a directory/d'

.PHONY: setup demo test lint test-faults bench run lock clean help messages
.DEFAULT_GOAL := help

help:
	@echo "make demo   - set up what is missing, load the demo recall and show it"
	@echo "make test   - set up what is missing, lint, and run the whole test suite"
	@echo "make lint   - ruff (lint and format check) and the import contracts"
	@echo "make test-faults - the fault tests of issue 8 (Rasa, PostgreSQL, Redis, Twilio down; fuzzing)"
	@echo "make bench  - run the benchmarks (results in benchmarks/README.md)"
	@echo "make lock   - re-pin requirements/*.lock from requirements/*.in"
	@echo "make messages - extract the texts into messages.pot and update each language's .po"

setup: $(VENV)/.installed $(RASA_VENV)/.installed models/.trained

# The application, actions and tests: the machine's python3 (3.11-3.13).
$(VENV)/.installed: requirements/app.lock pyproject.toml
	@python3 -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), sys.version' \
	  || { echo "error: python3 must be 3.11-3.13 (found $$(python3 --version))" >&2; exit 1; }
	@echo "setup: building $(VENV) (python3)"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install $(PIP_QUIET) pip==$(PIP_VERSION) 2>&1 | $(HIDE_MIRROR_NOISE)
	@$(VENV)/bin/pip install $(PIP_QUIET) -r requirements/app.lock 2>&1 | $(HIDE_MIRROR_NOISE)
	@$(VENV)/bin/pip install $(PIP_QUIET) --no-deps -e . 2>&1 | $(HIDE_MIRROR_NOISE)
	@$(PY) -c 'import bot, actions, rasa_sdk, sqlalchemy, twilio' # fail loudly if the install did not take
	@touch $@

# The dialogue engine: Rasa 3.6.21 on Python 3.10, in its own environment.
$(RASA_VENV)/.installed: requirements/rasa.lock scripts/find-python310.sh
	@py310=$$(scripts/find-python310.sh) || exit 1; \
	  echo "setup: building $(RASA_VENV) ($$py310)"; \
	  test -x $(RASA_VENV)/bin/python || $$py310 -m venv $(RASA_VENV)
	@$(RASA_VENV)/bin/pip install $(PIP_QUIET) pip==$(PIP_VERSION) 2>&1 | $(HIDE_MIRROR_NOISE)
	@$(RASA_VENV)/bin/pip install $(PIP_QUIET) --no-deps -r requirements/rasa.lock 2>&1 | $(HIDE_MIRROR_NOISE)
	@$(RASA_VENV)/bin/python -c 'import rasa, sys; assert rasa.__version__ == "3.6.21", rasa.__version__'
	@touch $@

# The Rasa model, retrained only when the domain, config or training data change.
models/.trained: $(RASA_VENV)/.installed domain.yml config.yml $(wildcard data/*.yml)
	@echo "setup: training the Rasa model (var/log/train.log)"
	@mkdir -p models var/log
	@RASA_TELEMETRY_ENABLED=false $(RASA_VENV)/bin/rasa train --out models --domain domain.yml \
	  --config config.yml --data data > var/log/train.log 2>&1 || { tail -40 var/log/train.log; exit 1; }
	@ls -t models/*.tar.gz | tail -n +3 | xargs -r rm -f # keep the two newest models
	@touch $@

# Debian's chromium for the browser tests (Playwright drives it; never `playwright install`).
$(CHROMIUM):
	@echo "setup: installing Debian's chromium for the browser tests (var/log/apt-chromium.log)"
	@mkdir -p var/log
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  { $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium; } \
	  > var/log/apt-chromium.log 2>&1 \
	  || { tail -20 var/log/apt-chromium.log; echo "error: could not install chromium with apt-get" >&2; exit 1; }

# Debian's tesseract-ocr, the OCR engine the label-photo benchmark compares RapidOCR with
# (benchmarks/bench_photo_reading.py); the app reads photos with RapidOCR (bot/ocr), from its wheel.
$(TESSERACT):
	@echo "setup: installing Debian's tesseract-ocr for the label-photo benchmark (var/log/apt-tesseract.log)"
	@mkdir -p var/log
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  { $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y tesseract-ocr; } \
	  > var/log/apt-tesseract.log 2>&1 \
	  || { tail -20 var/log/apt-tesseract.log; echo "error: could not install tesseract-ocr with apt-get" >&2; exit 1; }

demo: setup
	@$(RECALL) demo

test: setup $(CHROMIUM) lint
	@$(VENV)/bin/pytest -m "not faults" -n $(TEST_WORKERS) --dist loadfile

# Lint and format (ruff) and the import contracts (import-linter), configured in
# pyproject.toml; part of `make test`.
lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .
	@PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache --no-logo # the import contracts (pyproject.toml)

# The message catalogs (bot/conversation/catalog.py, docs/languages.md): the English texts
# of the code into messages.pot, then every shipped language's messages.po updated (a new
# message gets an empty msgstr for the translators). No locations and sorted, so the files
# change only when a text does.
LOCALES := bot/conversation/locales
CATALOGS = $(shell $(PY) -c 'from bot.domain.languages import SHIPPED, SOURCE_LANGUAGE; print(*(l.replace("-", "_") for l in SHIPPED if l != SOURCE_LANGUAGE))')
messages: $(VENV)/.installed
	@$(VENV)/bin/pybabel -q extract -F babel.cfg --no-default-keywords -k t -k nt:1,2 \
	  --add-comments=Translators: --no-location --sort-output --project="Recall Assistant" \
	  -o $(LOCALES)/messages.pot bot actions
	@for lang in $(CATALOGS); do \
	  $(VENV)/bin/pybabel -q update --init-missing --no-fuzzy-matching --ignore-obsolete -D messages \
	    -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
	done
	@sed -i '/^"POT-Creation-Date: /d' $(LOCALES)/messages.pot $(LOCALES)/*/LC_MESSAGES/messages.po

# Fault tests (tests/faults, ~9 min): restart PostgreSQL, stop Rasa for 30 s, a Twilio 5xx
# storm, Redis unreachable, 10,000 fuzzed webhooks; ordering under load (200 customers x 5
# messages through 2 Rasa replicas and 2 workers). Too long for `make test`; CI runs both.
# RECALL_FAULTS_JSON=benchmarks/results/faults.json records their figures.
test-faults: setup
	@$(VENV)/bin/pytest -m faults tests/faults

# The whole stack from .env (no demo data): Rasa, the action server, the web app.
run: setup
	@exec $(RECALL) up

bench: setup $(TESSERACT)
	@$(PY) benchmarks/run_all.py

# Re-pin both environments from the *.in files (needs the package registry).
lock:
	rm -rf /tmp/recall-lock-app /tmp/recall-lock-rasa
	python3 -m venv /tmp/recall-lock-app
	/tmp/recall-lock-app/bin/pip install $(PIP_QUIET) pip==$(PIP_VERSION) -r requirements/app.in
	{ echo "# Pinned by 'make lock' from requirements/app.in — installed into .venv by 'make setup'."; \
	  /tmp/recall-lock-app/bin/pip freeze; } > requirements/app.lock
	$$(scripts/find-python310.sh) -m venv /tmp/recall-lock-rasa
	/tmp/recall-lock-rasa/bin/pip install $(PIP_QUIET) pip==$(PIP_VERSION) -r requirements/rasa.in
	{ echo "# Pinned by 'make lock' from requirements/rasa.in — installed into .venv-rasa by 'make setup'."; \
	  /tmp/recall-lock-rasa/bin/pip freeze; } > requirements/rasa.lock

clean:
	rm -rf $(VENV) $(RASA_VENV) var .pytest_cache
