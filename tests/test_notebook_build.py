"""The notebook build: committed notebooks match their zh-TW sources, in both scripts.

Every test that looks at notebooks runs over every ``notebooks/src/*.md`` (reading the committed
``notebooks/<lang>/*.ipynb``) and over ``tests/fixtures/99_build_fixture.md`` (built, without
execution, into a temporary folder), so the tests never run empty.  The end-to-end test executes
the fixture and runs strict nbval on the result.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import re
import shutil
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from lossviz._meta import DEFAULT_BRANCH, LANGS, REPOSITORY_URL
from tools import build_notebooks as bn
from tools.convert import mask_cjk, simplified_chars, traditional_chars

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "99_build_fixture.md"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.md"))
CASES = [pytest.param(p, id=p.stem) for p in SOURCES] + [pytest.param(FIXTURE, id="fixture")]
TW, CN = LANGS
WIDGET_REPR = re.compile(r"^(?:interactive|[A-Z]\w*(?:Slider|Box|Button|Dropdown|Output|Text|Checkbox|"
                         r"Play|Label|HTML|Tab|Accordion|Image|Widget))\(")
HAVE_NOTEBOOK_HELPERS = importlib.util.find_spec("lossviz.notebook") is not None


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory):
    """The fixture built without execution, as if it were committed there."""
    root = tmp_path_factory.mktemp("built")
    bn.build([FIXTURE], out_root=root, run=False, log=lambda *_: None)
    return root


@pytest.fixture(params=CASES)
def case(request, fixture_root):
    """(source, folder holding <lang>/<stem>.ipynb, {lang: committed notebook})."""
    source = request.param
    root = fixture_root if source == FIXTURE else ROOT / "notebooks"
    notebooks = {}
    for lang in LANGS:
        path = root / lang / f"{source.stem}.ipynb"
        if not path.is_file():  # test_not_stale fails for it, once
            pytest.skip(f"{path} is missing: run python -m tools.build_notebooks {source.stem}")
        notebooks[lang] = nbformat.read(path, as_version=4)
    return source, root, notebooks


def _tags(cell):
    return list(cell.get("metadata", {}).get("tags", []))


def _texts(cell):
    """Source and every text output of a cell."""
    yield "source", cell.source
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            yield "output", out.text
        elif out.output_type == "error":
            yield "output", "\n".join([out.ename, out.evalue, *out.traceback])
        else:
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/"):
                    yield "output", value if isinstance(value, str) else "".join(value)


# --- stale check -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", CASES)
def test_not_stale(source, fixture_root):
    root = fixture_root if source == FIXTURE else ROOT / "notebooks"
    messages = bn.stale_report(source, out_root=root)
    if messages:
        pytest.fail("\n\n".join(messages), pytrace=False)


def test_no_notebook_without_source():
    assert bn.orphans() == []


def test_source_names_are_ascii():
    for path in [*SOURCES, FIXTURE]:
        assert bn.NAME.match(path.stem), path.name


def test_check_cli(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FIXTURE, src / FIXTURE.name)
    out = tmp_path / "notebooks"
    args = ["--src-dir", str(src), "--out-dir", str(out)]
    assert bn.main([*args, "--no-execute"]) == 0
    assert bn.main([*args, "--check"]) == 0
    text = (src / FIXTURE.name).read_text(encoding="utf-8")
    (src / FIXTURE.name).write_text(text.replace("data = [1.0, 2.0, 3.0, 4.0]", "data = [1.0, 2.0]"),
                                    encoding="utf-8")
    capsys.readouterr()
    assert bn.main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    for lang in LANGS:
        assert f"{lang}/{FIXTURE.stem}.ipynb is stale" in err
    assert "-data = [1.0, 2.0, 3.0, 4.0]" in err and "+data = [1.0, 2.0]" in err
    (out / TW / "00_orphan.ipynb").write_text("{}", encoding="utf-8")
    assert bn.main([*args, "--check"]) == 1
    assert "00_orphan.ipynb has no source" in capsys.readouterr().err


def test_cli_runs_one_job_only():
    with pytest.raises(SystemExit):
        bn.main(["--jobs", "2", "--check"])


def test_inputs_are_deterministic(tmp_path):
    for root in (tmp_path / "a", tmp_path / "b"):
        bn.build([FIXTURE], out_root=root, run=False, log=lambda *_: None)
    for lang in LANGS:
        name = f"{lang}/{FIXTURE.stem}.ipynb"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# --- script purity -----------------------------------------------------------------------------


def test_script_purity(case):
    source, _, notebooks = case
    problems = []
    for lang, nb in notebooks.items():
        detect = traditional_chars if lang == CN else simplified_chars
        for number, cell in enumerate(nb.cells, start=1):
            for where, text in _texts(cell):
                found = detect(text)
                if found:
                    problems.append(f"{lang} cell {number} {where}: {''.join(found)}")
    assert problems == [], f"{source.stem}: characters of the other script:\n" + "\n".join(problems)


# --- the badge and the setup cell --------------------------------------------------------------


def _expected_badge_url(lang, stem):
    owner, repo = urllib.parse.urlsplit(REPOSITORY_URL).path.strip("/").removesuffix(".git").split("/")
    return (f"https://colab.research.google.com/github/{owner}/{repo}/blob/{DEFAULT_BRANCH}/"
            f"notebooks/{lang}/{stem}.ipynb")


def _install_argv(setup_cell_source):
    call = next(node for node in ast.walk(ast.parse(re.sub(r"^%.*$", "", setup_cell_source, flags=re.M)))
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run")
    argv = call.args[0]
    assert isinstance(argv, ast.List) and ast.unparse(argv.elts[0]) == "sys.executable"
    assert any(k.arg == "check" and k.value.value is True for k in call.keywords)
    return [ast.literal_eval(element) for element in argv.elts[1:]]


def test_badge_and_install_url(case):
    source, _, notebooks = case
    for lang, nb in notebooks.items():
        url = _expected_badge_url(lang, source.stem)
        first = nb.cells[0]
        assert first.cell_type == "markdown"
        assert first.source.startswith(f"[![Open In Colab](https://colab.research.google.com/assets/"
                                       f"colab-badge.svg)]({url})"), (lang, first.source[:200])
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        setup = code[0].source
        assert f'nb = setup("{lang}")' in setup and "from lossviz.notebook import fmt, setup, within" in setup
        assert 'find_spec("google.colab")' in setup and "%matplotlib inline" in setup
        argv = _install_argv(setup)
        assert argv[:3] == ["-m", "pip", "install"] and f"git+{REPOSITORY_URL}" in argv[-1], argv
        everything = "\n".join(cell.source for cell in nb.cells)
        assert everything.count("colab.research.google.com/github/") == 1
        assert everything.count("pip") == 1 and everything.count("lossviz.notebook import") == 1
        other = LANGS[1 - LANGS.index(lang)]
        assert f"notebooks/{other}/" not in first.source


@pytest.mark.skipif(not HAVE_NOTEBOOK_HELPERS, reason="lossviz.notebook is not importable yet")
def test_install_command_is_lossviz_notebooks(case):
    from lossviz.notebook import colab_install_command

    _, _, notebooks = case
    for nb in notebooks.values():
        setup = next(cell for cell in nb.cells if cell.cell_type == "code").source
        assert _install_argv(setup) == colab_install_command(REPOSITORY_URL)[1:]


# --- the two scripts side by side --------------------------------------------------------------


def test_code_cells_match_across_scripts(case):
    source, _, notebooks = case
    tw, cn = notebooks[TW], notebooks[CN]
    assert [(c.cell_type, _tags(c)) for c in tw.cells] == [(c.cell_type, _tags(c)) for c in cn.cells]
    for number, (a, b) in enumerate(zip(tw.cells, cn.cells, strict=True), start=1):
        if a.cell_type == "code":
            swapped = a.source.replace(f'"{TW}"', f'"{CN}"').replace(f"'{TW}'", f"'{CN}'")
            assert mask_cjk(swapped) == mask_cjk(b.source), f"{source.stem} cell {number}"
            assert bn.cjk_outside_literals(a.source) == [] and bn.cjk_outside_literals(b.source) == []
        else:
            swapped = a.source.replace(f"notebooks/{TW}/", f"notebooks/{CN}/", 1) if number == 1 else a.source
            assert mask_cjk(swapped) == mask_cjk(b.source), f"{source.stem} cell {number}"


def test_notebook_metadata_is_clean(case):
    source, _, notebooks = case
    for lang, nb in notebooks.items():
        assert nb.metadata.kernelspec == bn.KERNELSPEC
        assert "version" not in nb.metadata.language_info and "jupytext" not in nb.metadata
        assert "widgets" not in nb.metadata
        assert nb.metadata.lossviz["lang"] == lang
        ids = [cell.id for cell in nb.cells]
        assert ids == [f"cell-{i:03d}" for i in range(len(ids))]
        for cell in nb.cells:
            assert set(cell.metadata) <= {"tags", "slideshow"}, (source.stem, lang, dict(cell.metadata))
            assert cell.metadata.slideshow["slide_type"] in bn.SLIDE_TYPES
            for out in cell.get("outputs", []):
                assert "transient" not in out
                assert bn.WIDGET_VIEW not in out.get("data", {})


def test_widget_cells_ignore_their_output(case):
    source, _, notebooks = case
    for lang, nb in notebooks.items():
        for number, cell in enumerate(nb.cells, start=1):
            shows_widget = any(WIDGET_REPR.match("".join(out.get("data", {}).get("text/plain", "")))
                               for out in cell.get("outputs", []))
            if shows_widget:
                assert "nbval-ignore-output" in _tags(cell), f"{source.stem} [{lang}] cell {number}"


# --- exercises and their solutions ----------------------------------------------------------


def test_solutions_variant_swaps_the_twin_cells(fixture_root):
    for lang in LANGS:
        learner = nbformat.read(fixture_root / lang / f"{FIXTURE.stem}.ipynb", as_version=4)
        solved = nbformat.read(fixture_root / "solutions" / lang / f"{FIXTURE.stem}.ipynb", as_version=4)
        assert len(learner.cells) == len(solved.cells)
        assert [_tags(c) for c in learner.cells][-1] == [bn.EXERCISE_TAG]
        assert [_tags(c) for c in solved.cells][-1] == [bn.SOLUTION_TAG]
        assert "answer_1 = None" in learner.cells[-1].source and "answer_1 = 2.5" in solved.cells[-1].source
        assert [c.source for c in learner.cells[1:-1]] == [c.source for c in solved.cells[1:-1]]
        assert f"/notebooks/solutions/{lang}/{FIXTURE.stem}.ipynb" in solved.cells[0].source
        assert f"/notebooks/{lang}/{FIXTURE.stem}.ipynb" in learner.cells[0].source


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_source_has_solutions_and_learners_have_none(source):
    src = bn.read_source(source)
    assert any(bn.SOLUTION_TAG in _tags(c) for c in src.cells), source.name
    for lang in LANGS:
        learner = nbformat.read(ROOT / "notebooks" / lang / f"{source.stem}.ipynb", as_version=4)
        solved = nbformat.read(ROOT / "notebooks" / "solutions" / lang / f"{source.stem}.ipynb", as_version=4)
        assert not any(bn.SOLUTION_TAG in _tags(c) for c in learner.cells)
        assert not any(bn.EXERCISE_TAG in _tags(c) for c in solved.cells)


@pytest.mark.parametrize("cells, message", [
    ([("code", ["solution"])], "must directly follow"),
    ([("code", ["exercise"])], "must be directly followed"),
    ([("code", ["exercise"]), ("markdown", []), ("code", ["solution"])], "must be directly followed"),
    ([("markdown", ["exercise"])], "only code cells"),
    ([("code", ["exercise", "solution"])], "not both"),
])
def test_twin_cells_are_checked(cells, message):
    from nbformat.v4 import new_code_cell, new_markdown_cell
    made = [(new_code_cell if kind == "code" else new_markdown_cell)("x = 1", metadata={"tags": tags})
            for kind, tags in cells]
    with pytest.raises(bn.BuildError, match=message):
        bn.select_cells(made, "learner")
    with pytest.raises(bn.BuildError, match="variant must be one of"):
        bn.select_cells([], "teacher")


# --- what the build refuses ------------------------------------------------------------------


@pytest.mark.parametrize("body, message", [
    ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)\n", "Colab badge"),
    ("```{code-cell} ipython3\nfrom lossviz.notebook import setup\n```\n", "setup code"),
    ("```{code-cell} ipython3\n損失 = 1.0\n```\n", "Chinese outside comments and strings"),
])
def test_build_refuses(tmp_path, body, message):
    path = tmp_path / "01_bad.md"
    path.write_text("# 標題\n\n" + body, encoding="utf-8")
    with pytest.raises(bn.BuildError, match=message):
        bn.build_inputs(path)


def test_build_refuses_non_ascii_names(tmp_path):
    path = tmp_path / "01_損失.md"
    path.write_text("# 標題\n", encoding="utf-8")
    with pytest.raises(bn.BuildError, match="NN_name.md"):
        bn.build_inputs(path)


def test_cjk_inside_literals_is_fine():
    code = '%matplotlib inline\nx = f"{1 + 1} 個"  # 註解\nprint("""多行\n字串""")\n!echo 你好\n'
    assert bn.cjk_outside_literals(code) == []
    assert bn.cjk_outside_literals("變數 = 1\n") == ["變數"]


def test_source_without_title_gets_a_badge_cell(tmp_path):
    path = tmp_path / "01_plain.md"
    path.write_text("```{code-cell} ipython3\nprint('zh-TW')\n```\n", encoding="utf-8")
    nbs = bn.build_inputs(path)
    for lang, nb in nbs.items():
        assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
        assert nb.cells[0].source == bn.badge(lang, "01_plain")
    assert nbs[CN].cells[2].source == "print('zh-CN')"


def test_language_tag_is_replaced_only_in_code(fixture_root):
    cn = nbformat.read(fixture_root / CN / f"{FIXTURE.stem}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in cn.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in cn.cells if c.cell_type == "code")
    assert '`"zh-TW"`' in markdown  # prose keeps the literal it talks about
    assert '"zh-TW"' not in code and 'lang = "zh-CN"' in code


# --- nbval sanitising ----------------------------------------------------------------------------


def _sanitize(text):
    from nbval.plugin import get_sanitize_patterns

    for regex, replace in get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8")):
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize("raw, clean", [
    ("<Figure at 0x7f3a2b1c>", "<Figure at 0xADDRESS>"),
    ("took 1.23 s", "took TIME"),
    ("12 ms per step, 3.4 µs, 5ns, 2 seconds", "TIME per step, TIME, TIME, TIME"),
    ("用了 1.5 秒", "用了 TIME"),
    ("saved to /tmp/pytest-3/run/x.png", "saved to TMPPATH"),
    ("/var/folders/ab/cd/T/tmpx/f.txt", "TMPPATH"),
    ("/home/u/.venv/lib/python3.11/site-packages/matplotlib/text.py:12: UserWarning",
     "SITE-PACKAGES/matplotlib/text.py: UserWarning"),
    ("3 samples, loss 0.25, 10 steps", "3 samples, loss 0.25, 10 steps"),
])
def test_sanitize_config(raw, clean):
    assert _sanitize(raw) == clean


# --- end to end --------------------------------------------------------------------------------


def _without_ignored_outputs(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "nbval-ignore-output" in _tags(cell):
            cell.outputs = []
    return nb


@pytest.mark.skipif(not HAVE_NOTEBOOK_HELPERS, reason="lossviz.notebook is not importable yet")
def test_end_to_end_build_and_nbval(tmp_path):
    lines = []
    times = bn.build([FIXTURE], out_root=tmp_path, run=True, log=lines.append)
    assert set(times) == {(label, lang) for label in (FIXTURE.stem, f"{FIXTURE.stem} solutions")
                          for lang in LANGS}
    assert all(f"[{lang}] executed in" in "\n".join(lines) for lang in LANGS)
    assert all(seconds < bn.BUDGET_S for seconds in times.values()), times

    built = {lang: nbformat.read(tmp_path / lang / f"{FIXTURE.stem}.ipynb", as_version=4) for lang in LANGS}
    assert TW in built[TW].cells[1].outputs[0].text and CN in built[CN].cells[1].outputs[0].text
    assert built[CN].cells[2].outputs[0].text == "方差： 1.250\n"
    assert bn.stale_report(FIXTURE, out_root=tmp_path) == []
    solved = nbformat.read(tmp_path / "solutions" / TW / f"{FIXTURE.stem}.ipynb", as_version=4)
    assert "你的答案： None" in built[TW].cells[-1].outputs[0].text
    assert "你的答案： 2.5" in solved.cells[-1].outputs[0].text

    # executing again gives the same file (git diff stays quiet), outside cells tagged to differ
    again = bn.build_inputs(FIXTURE)[TW]
    bn.execute(again, cwd=tmp_path / TW)
    bn.clean_outputs(again, TW, FIXTURE)
    assert _without_ignored_outputs(again) == _without_ignored_outputs(built[TW])

    # strict nbval passes on both, and fails on a notebook whose output was tampered with
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    bad = copy.deepcopy(built[CN])
    bad.cells[2].outputs[0].text = "方差： 1.251\n"
    nbformat.write(bad, tampered / f"{FIXTURE.stem}.ipynb")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    report = tmp_path / "nbval.xml"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(tmp_path / "pytest.ini"),
         "--rootdir", str(tmp_path), "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), "--junitxml", str(report),
         str(tmp_path / TW), str(tmp_path / CN), str(tampered)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    failed = {case.get("classname", "") + "::" + case.get("name", "")
              for case in ET.parse(report).iter("testcase")
              if case.find("failure") is not None or case.find("error") is not None}
    assert failed and all("tampered" in name for name in failed), result.stdout[-3000:]
