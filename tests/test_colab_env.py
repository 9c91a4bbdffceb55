"""Every notebook, both scripts, the Colab way: Colab's versions, no lossviz, no CJK font (tools/colab_sim.py).

The session fixture builds (once; cached in ``.venv-colab``) or reuses the Colab-like environment
and executes every committed notebook there, taking the Colab path of the first cell: the
unchanged ``pip install git+https://github.com/lossviz/lossviz`` installs a snapshot of this
working tree.  Outside CI, a machine where the environment cannot be made (no Python 3.11, PyPI
unreachable) skips these tests with the reason; under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import colab_sim, nbrun

IN_CI = os.environ.get("CI", "").lower() == "true"
NOTEBOOKS = nbrun.all_notebooks()
IDS = [f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS]


@pytest.fixture(scope="session")
def colab_report() -> colab_sim.Report:
    try:
        return colab_sim.simulate(log=print)
    except colab_sim.EnvUnavailable as exc:
        if IN_CI:
            pytest.fail(f"CI must be able to make the Colab-like environment: {exc}")
        pytest.skip(f"the Colab-like environment cannot be made on this machine: {exc}")


def _result(report: colab_sim.Report, path: Path) -> colab_sim.NotebookResult:
    found = [nb for nb in report.notebooks if nb.path == path]
    assert len(found) == 1, f"{path} must have been executed once, got {len(found)}"
    return found[0]


def test_there_are_notebooks_in_both_scripts():
    assert {p.parent.name for p in NOTEBOOKS} == set(nbrun.LANGS), NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_the_colab_way(colab_report, path):
    res = _result(colab_report, path)
    assert not res.problems, f"{path.name} on the Colab-like machine:\n" + "\n".join(res.problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernel_sees_colab_versions_and_the_cjk_face(colab_report, path):
    probe = _result(colab_report, path).probe
    assert probe is not None, "the probe cell after the last cell did not run"
    assert probe["matplotlib"] == "3.10.0"
    assert probe["python"].startswith("{}.{}.".format(*colab_sim.PYTHON_VERSION))
    assert probe["in_colab"] and probe["google"] and probe["google.colab"]
    family = {"zh-TW": "Noto Sans CJK TC", "zh-CN": "Noto Sans CJK SC"}[path.parent.name]
    assert probe["sans-serif"][0] == family


def test_install_adds_lossviz_and_the_font_and_changes_nothing_else(colab_report):
    assert not colab_report.problems, "\n".join(colab_report.problems)
    assert set(colab_report.installed) == colab_sim.ALLOWED_NEW, colab_report.installed


# ---------------------------------------------------------------------------------------------
# The pieces of the simulation, without the environment (fast)
# ---------------------------------------------------------------------------------------------


def test_fake_google_colab_is_found_as_on_colab(tmp_path):
    fake = colab_sim._fake_colab(tmp_path / "fake")
    assert not (fake / "google" / "__init__.py").exists()  # a namespace package, as on Colab
    code = ("import importlib.util, json; import lossviz.notebook as n; print(json.dumps(["
            "importlib.util.find_spec('google') is not None, "
            "importlib.util.find_spec('google.colab') is not None, n.in_colab()]))")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert json.loads(out.stdout) == [True, True, True]


def test_redirect_makes_git_clone_the_snapshot(tmp_path):
    repo, commit = colab_sim.snapshot_repository(tmp_path / "snap", skip=[colab_sim.DEFAULT_ENV])
    assert (repo / "lossviz" / "_meta.py").is_file() and (repo / "pyproject.toml").is_file()
    assert not (repo / ".venv").exists() and not (repo / ".venv-colab").exists()
    url = colab_sim.repository_url()
    config = colab_sim._redirect_config(tmp_path / "gitconfig", url, repo)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(config), "GIT_TERMINAL_PROMPT": "0"}
    out = subprocess.run(["git", "ls-remote", url, "HEAD"], capture_output=True, text=True, env=env,
                         timeout=60, check=True)
    assert out.stdout.split()[0] == commit


def test_snapshot_holds_untracked_files_of_the_work_tree(tmp_path):
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=colab_sim.ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    repo, _ = colab_sim.snapshot_repository(tmp_path / "snap")
    files = [name for name in listed if (colab_sim.ROOT / name).is_file()]
    assert all((repo / name).is_file() for name in files), files


def test_freeze_check_allows_only_lossviz_and_the_font():
    url, commit = "https://github.com/lossviz/lossviz", "a" * 40
    before = {"numpy": "numpy==2.1.3", "matplotlib": "matplotlib==3.10.0"}
    good = {**before, "lossviz": f"lossviz @ git+{url}@{commit}",
            "noto-cjk-sans-otc": "noto-cjk-sans-otc==0.0.1"}
    assert colab_sim.freeze_problems(before, good, url, commit) == []
    bad = {**good, "numpy": "numpy==2.4.6", "fonttools": "fonttools==4.68.0"}
    del bad["matplotlib"]
    problems = "\n".join(colab_sim.freeze_problems(before, bad, url, commit))
    assert "numpy==2.1.3" in problems and "numpy==2.4.6" in problems
    assert "added 'fonttools==4.68.0'" in problems and "removed 'matplotlib==3.10.0'" in problems
    assert "not installed" in "\n".join(colab_sim.freeze_problems(before, before, url, commit))


def test_notebook_selection():
    first = NOTEBOOKS[0]
    number = first.stem.split("_", 1)[0]
    both = nbrun.select_notebooks([number])
    assert {p.parent.name for p in both} <= set(nbrun.LANGS) and first in both
    assert nbrun.select_notebooks([f"{first.parent.name}/{first.stem}"]) == [first]
    with pytest.raises(nbrun.RunError, match="must match"):
        nbrun.select_notebooks(["no_such_notebook"])


def test_the_env_recipe_pins_colab_matplotlib_and_cpu_torch():
    assert "matplotlib==3.10.0" in colab_sim.COLAB_PACKAGES
    assert "ipywidgets==7.7.1" in colab_sim.COLAB_PACKAGES
    assert "torch==2.13.0" in colab_sim.COLAB_PACKAGES  # the CPU wheel on disk; never an unpinned torch


def _executed(tmp_path, outputs_per_cell, probe=None, pre=None):
    cells = []
    if pre is not None:
        cells.append({"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": colab_sim.PRE_TAG + json.dumps(pre) + "\n"}]})
    cells += [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outs} for outs in outputs_per_cell]
    if probe is not None:
        cells.append({"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": colab_sim.PROBE_TAG + json.dumps(probe) + "\n"}]})
    path = tmp_path / "executed.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return {"src": str(tmp_path / "zh-TW" / "01_x.ipynb"), "out": str(path), "wall_s": 12.0, "error": None}


def _good_probe(site):
    return {"python": "3.11.7", "executable": "x", "matplotlib": "3.10.0", "numpy": "2.1.3",
            "torch": "2.13.0+cpu", "ipywidgets": "7.7.1", "IPython": "7.34.0",
            "lossviz": str(site / "lossviz" / "__init__.py"), "google": True, "google.colab": True,
            "in_colab": True, "sans-serif": ["Noto Sans CJK TC", "DejaVu Sans"], "fonts": [], "xdg": None,
            "cjk_registered": ["Noto Sans CJK TC"]}


def test_check_notebook_passes_a_clean_run(tmp_path):
    site = tmp_path / "site-packages"
    result = _executed(tmp_path, [[{"output_type": "stream", "name": "stdout", "text": "ok\n"}]],
                       probe=_good_probe(site), pre={"lossviz": False})
    assert colab_sim.check_notebook(result, "zh-TW", site, first=True).problems == []


def test_check_notebook_catches_errors_glyphs_versions_and_time(tmp_path):
    site = tmp_path / "site-packages"
    probe = {**_good_probe(site), "matplotlib": "3.11.2", "lossviz": "/work/main/lossviz/__init__.py",
             "sans-serif": ["DejaVu Sans"], "in_colab": False}
    outputs = [
        [{"output_type": "error", "ename": "ModuleNotFoundError", "evalue": "No module named 'sklearn'",
          "traceback": ["\x1b[0;31mModuleNotFoundError\x1b[0m: No module named 'sklearn'"]}],
        [{"output_type": "stream", "name": "stderr",
          "text": "UserWarning: Glyph 25613 (\\N{CJK UNIFIED IDEOGRAPH-640D}) missing from font(s) DejaVu Sans.\n"}],
        [{"output_type": "stream", "name": "stderr",
          "text": "findfont: Font family 'Noto Sans CJK TC' not found.\n"}],
    ]
    result = {**_executed(tmp_path, outputs, probe=probe, pre={"lossviz": True}), "wall_s": 75.0}
    problems = "\n".join(colab_sim.check_notebook(result, "zh-TW", site, first=True).problems)
    for expected in ("No module named 'sklearn'", "missing from font", "findfont", "matplotlib 3.10.0",
                     "importable before the first cell", "pip install in", "Noto Sans CJK TC",
                     "in_colab", "budget is 60 s"):
        assert expected in problems, (expected, problems)


def test_check_notebook_reports_a_probe_that_did_not_run(tmp_path):
    result = _executed(tmp_path, [[]])
    problems = colab_sim.check_notebook(result, "zh-CN", tmp_path, first=False).problems
    assert problems == ["the probe cell after the last cell did not run"]
