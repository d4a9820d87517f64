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

# JupyterLab refuses to run as root unless told; containers often run as root. Kept apart from
# LAB_FLAGS so that a user's own flags do not drop it.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Your own JupyterLab flags, e.g. make lab LAB_FLAGS="--port=8899 --no-browser"
LAB_FLAGS ?=
# make lab VIEW=student keeps nbgrader's Assignments tab (a class with an exchange on this machine).
VIEW ?= self-study
# The whole module is served (lessons, my-quizzes, SELF-STUDY.md, assets, autograded), with
# lesson 00 opened in it.
LAB_START := --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/lessons/00-start-here.ipynb

.PHONY: lab instructor test test-fast bench browser-deps selfgrade grade-report clean help

help:
	@echo "make lab         open the course in JupyterLab (self-study view), at lessons/00-start-here.ipynb"
	@echo "                   LAB_FLAGS=\"--port=8899 --no-browser\"  your own JupyterLab flags (port, headless)"
	@echo "                   VIEW=student  keep nbgrader's Assignments tab (a class with an exchange)"
	@echo "make instructor  open JupyterLab with nbgrader's instructor tools (formgrader); takes LAB_FLAGS"
	@echo "make test        install everything the tests need and run the whole suite"
	@echo "make test-fast   unit tests, registry and hygiene checks only (seconds)"
	@echo "make bench       measure what users wait for; prints a table"
	@echo "make browser-deps  install Debian's chromium for the browser tests, where possible"
	@echo "make sandbox-deps  install Debian's bubblewrap, the sandbox of autograding, where possible"
	@echo "make hub-deps    install what the JupyterHub test needs (root: python3-venv, configurable-http-proxy)"
	@echo "make selfgrade QUIZ=00-appraisal-basics   grade your own quiz without an instructor"
	@echo "make grade-report QUIZ=00-appraisal-basics [FIX=--fix]   problems in collected submissions"
	@echo "make clean       remove nbgrader's build output and test artefacts"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m painlab.setup_views student
	touch $@

lab: $(STAMP)
	$(BIN)/python -m painlab.setup_views $(VIEW)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_START) $(LAB_FLAGS)

instructor: $(STAMP)
	$(BIN)/python -m painlab.setup_views instructor
	cd autograded && ../$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_FLAGS)

# Debian's chromium for the browser tests; skipped (with a message) where it cannot be installed.
# $(call debian_package,COMMAND,PACKAGE,WHAT IS MISSED WITHOUT IT): install a Debian package
# where its command is missing and this user may (root, or sudo without a password); otherwise
# say what is missed and how to install it.
define debian_package
@command -v $(1) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "$(1) not found: $(3) (install it with: sudo apt-get install $(2))"; \
  fi; }
endef

browser-deps:
	$(call debian_package,chromium,chromium,the browser tests will skip)

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
	       autograded/gradebook.db autograded/set-aside autograded/sandbox-log test-artifacts

# Debian's bubblewrap, the sandbox of autograding (painlab/grading/sandbox.py); without it the
# sandbox tests skip with a message (and fail under CI=true).
sandbox-deps:
	$(call debian_package,bwrap,bubblewrap,autograding is not sandboxed and the sandbox tests skip)
test: sandbox-deps
.PHONY: sandbox-deps

# What the JupyterHub test needs (tests/hub/): Debian's python3-venv (the course's shared
# environment is built from /usr/bin/python3, which every user can run), bubblewrap and
# configurable-http-proxy from npm. Root only (it installs system packages); elsewhere the hub
# test skips with a message.
CHP_VERSION := 5.3.0
hub-deps: sandbox-deps
	@if [ "$$(id -u)" = 0 ]; then \
	  if ! /usr/bin/python3 -c "import ensurepip" >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  fi; \
	  command -v configurable-http-proxy >/dev/null 2>&1 || { \
	    command -v npm >/dev/null 2>&1 && npm install --global --silent configurable-http-proxy@$(CHP_VERSION) >/dev/null; } || \
	    echo "configurable-http-proxy could not be installed: the hub test will skip"; \
	 else \
	  echo "not root: the JupyterHub test (it creates system users) will skip"; \
	 fi
test: hub-deps
.PHONY: hub-deps
