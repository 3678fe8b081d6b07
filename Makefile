# One command to set up and run the demo, one to set up and run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint examples clean system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: set up, then scan the bundled synthetic examples and print the ranked report.
## The scan exits 1 because the examples hold critical files; that is the point of the demo.
demo: install
	$(BIN)/pii-audit scan examples/data || test $$? -eq 1

## make system-deps: install the Debian packages some tests need (Chromium, LibreOffice Calc, Samba, Tesseract) as root.
## The tests install them on first use too (tests/system.py); this does it ahead, e.g. in a CI image.
system-deps: install
	$(BIN)/python -m tests.system

## make test: set up (or update) the virtualenv, then run the whole suite.
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pii_audit tests benchmarks examples
	$(BIN)/mypy pii_audit

## Regenerate the synthetic example tree (deterministic).
examples: install
	$(BIN)/python examples/make_examples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
