# Two commands do all the set-up on a fresh machine:
#   make lab    create .venv, install everything, open JupyterLab on notebooks/
#   make test   create .venv, install everything, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.lossviz-installed

.PHONY: install browser lab test notebooks check-notebooks site bench lint clean

install: $(STAMP)

# torch first, pinned: this exact CPU build is on local disk; an unpinned torch would pull
# a multi-GB CUDA build.  Then the project and its dev tools at the pinned versions.
$(STAMP): pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c requirements-dev.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (lossviz)" >/dev/null
	touch $(STAMP)

# Debian's Chromium (+ Noto CJK for the browser's own text) for the browser tests; idempotent,
# installs only as root and only what is missing (the tests skip without it, except under CI).
browser:
	sh tools/install_browser.sh

# (JupyterLab refuses to run as root without --allow-root: containers and Colab-like boxes are root)
lab: install
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# One pytest run: the package tests and strict nbval on every committed notebook, both scripts.
NBVAL = --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 120

test: install browser
	$(BIN)/ruff check lossviz tests tools
	$(BIN)/python -m pytest tests notebooks/zh-TW notebooks/zh-CN notebooks/solutions/zh-TW notebooks/solutions/zh-CN $(NBVAL)

notebooks: install
	$(BIN)/python -m tools.build_notebooks
	$(BIN)/python -m tools.readme

check-notebooks: install
	$(BIN)/python -m tools.build_notebooks --check
	$(BIN)/python -m tools.readme --check

site: install
	$(BIN)/python -m tools.build_site --out _site

bench: install
	$(BIN)/python -m lossviz.bench losses
	$(BIN)/python -m lossviz.bench sliders

lint: install
	$(BIN)/ruff check lossviz tests tools

clean:
	rm -rf $(VENV) .venv-colab _site test-artifacts .pytest_cache .ruff_cache .hypothesis
