# Two commands do all the set-up on a fresh machine:
#   make lab    create .venv, install everything, open JupyterLab on notebooks/
#   make test   create .venv, install everything, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.lossviz-installed
LABSTAMP = $(VENV)/.lossviz-lab-setup

.PHONY: install browser lab test notebooks check-notebooks site slides bench lint clean

install: $(STAMP) $(LABSTAMP)

# torch first, pinned: this exact CPU build is on local disk; an unpinned torch would pull
# a multi-GB CUDA build.  Then the project and its dev tools at the pinned versions.
$(STAMP): pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c requirements-dev.txt -e '.[dev]'
	touch $(STAMP)

# For `make lab`, inside .venv: the python3 kernelspec with the notebooks' display name, and
# JupyterLab settings overrides that turn off the news pop-up and update checks (tools/lab_setup.py).
$(LABSTAMP): $(STAMP) tools/lab_setup.py tools/build_notebooks.py
	$(BIN)/python -m tools.lab_setup >/dev/null
	touch $(LABSTAMP)

# Debian's Chromium (+ Noto CJK for the browser's own text) for the browser tests; idempotent,
# installs only as root and only what is missing (the tests skip without it, except under CI).
browser:
	sh tools/install_browser.sh

# (JupyterLab refuses to run as root without --allow-root: containers and Colab-like boxes are root)
lab: install
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# One pytest run: the package tests and strict nbval (tests/nbval.args) on every committed
# notebook, with fresh matplotlib and font caches (tools/run_tests.sh says why).
test: install browser
	BIN=$(BIN) sh tools/run_tests.sh

notebooks: install
	$(BIN)/python -m tools.build_notebooks
	$(BIN)/python -m tools.build_guides
	$(BIN)/python -m tools.readme

check-notebooks: install
	$(BIN)/python -m tools.build_notebooks --check
	$(BIN)/python -m tools.build_guides --check
	$(BIN)/python -m tools.readme --check

site: install
	$(BIN)/python -m tools.build_site --out _site

# reveal.js decks of the executed notebooks, both scripts, offline (reveal.js: npm pack, once)
slides: install
	$(BIN)/python -m tools.build_slides --out _slides

bench: install
	$(BIN)/python -m lossviz.bench losses
	$(BIN)/python -m lossviz.bench sliders

lint: install
	$(BIN)/ruff check lossviz tests tools

clean:
	rm -rf $(VENV) .venv-colab _site _slides build/npm test-artifacts .pytest_cache .ruff_cache .hypothesis
