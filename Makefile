# Two commands: `make run` (serve the demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in e-mails and certificates point here (the app refuses to start without it outside debug/tests).
LMS_PUBLIC_URL ?= http://$(HOST):$(PORT)
export LMS_PUBLIC_URL
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)

.PHONY: run test setup setup-dev lint format translations-update clean bench page-weight

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

%.mo: %.po | $(BIN)/python
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Bootstrap's CSS cut down to the classes the templates use (committed; tests/test_delivery.py checks it is current).
CSS_SOURCES := $(shell find templates -name '*.html') $(shell find lms -name '*.py') scripts/build_css.py
static/css/bootstrap.min.css: $(CSS_SOURCES) | $(VENV)/.runtime
	$(BIN)/python scripts/build_css.py

setup: $(VENV)/.runtime $(CATALOGS:.po=.mo) static/css/bootstrap.min.css

setup-dev: $(VENV)/.dev $(CATALOGS:.po=.mo) static/css/bootstrap.min.css

# The demo's admins and trainers sign in with the password alone; production asks them for a second factor.
run: export LMS_REQUIRE_TOTP ?= 0
run: setup
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo
	@echo "Akademia CAL: $(LMS_PUBLIC_URL)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup-dev
	scripts/test.sh

# Every key page under load (gunicorn -w 2 + wrk), rotated over 60 people or filters (400 attempts and
# certificate codes for the review and verify pages), on small and large seeded data; about ten minutes.
# A short run: make bench BENCH_ARGS="--duration 2s --scales small"
BENCH_ARGS ?=
bench: setup-dev
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

# Bytes per key page (first and repeat visit) in Chromium, and the module page on a 256 kbit/s, 300 ms link.
page-weight: setup-dev
	$(BIN)/python bench/page_weight.py

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations-update: setup-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
