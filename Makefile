# Two commands: `make demo` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The address the demo serves on, for the links it prints and mails.
DEMO_URL := $(or $(BASE_URL),http://127.0.0.1:$(PORT))
export FLASK_APP := coordinator

.PHONY: demo test lint clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d coordinator/translations -f

demo: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	BASE_URL=$(DEMO_URL) $(BIN)/flask demo-data
	BASE_URL=$(DEMO_URL) MAIL_SEND_AFTER_REQUEST=1 $(BIN)/flask run --port $(PORT) --debug

# Two worker processes: the suite waits on browsers, LibreOffice and servers as much as it
# computes, so two halve its time on a two-core machine (`make test TEST_WORKERS=0`: one).
TEST_WORKERS ?= 2

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance/*.sqlite3*
