# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make lab    opens the course in JupyterLab (student view)
#   make test   installs what the tests need and runs the whole suite
# Both create their own virtual environment in .venv and are safe to run again.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Lets `jupyter` find nbgrader's `alembic` and the kernels of this environment.
export PATH := $(CURDIR)/$(BIN):$(PATH)

# JupyterLab refuses to run as root unless told; containers often run as root.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab instructor test test-fast bench browser-deps selfgrade grade-report clean help

help:
	@echo "make lab         open the course in JupyterLab (student view)"
	@echo "make instructor  open JupyterLab with nbgrader's instructor tools (formgrader)"
	@echo "make test        install everything the tests need and run the whole suite"
	@echo "make bench       measure what users wait for; prints a table"
	@echo "make selfgrade QUIZ=00-appraisal-basics   grade your own quiz without an instructor"
	@echo "make grade-report QUIZ=00-appraisal-basics [FIX=--fix]   problems in collected submissions"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m painlab.setup_views student
	touch $@

lab: $(STAMP)
	$(BIN)/python -m painlab.setup_views student
	$(BIN)/jupyter lab $(LAB_FLAGS) lessons/00-start-here.ipynb

instructor: $(STAMP)
	$(BIN)/python -m painlab.setup_views instructor
	cd autograded && ../$(BIN)/jupyter lab $(LAB_FLAGS)

# Debian's chromium for the browser tests; skipped (with a message) where it cannot be installed.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium not found: the browser tests will skip (install it with: sudo apt-get install chromium)"; \
	  fi; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

# Unit tests, registry and hygiene checks only (seconds).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: $(STAMP) browser-deps
	$(BIN)/python -m painlab.devtools.bench

selfgrade: $(STAMP)
	$(BIN)/painlab-selfgrade $(QUIZ)

# Instructors: list (and with FIX=--fix, fix) problems in the collected submissions of a quiz.
grade-report: $(STAMP)
	cd autograded && ../$(BIN)/python -m painlab.grading.report $(QUIZ) $(FIX)

clean:
	rm -rf autograded/release autograded/submitted autograded/graded autograded/feedback \
	       autograded/gradebook.db autograded/set-aside test-artifacts
