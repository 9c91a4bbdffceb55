"""The reveal.js decks (``make slides``, tools/build_slides.py) and the slide types they are made of.

* Slide types: tools/build_notebooks.py writes ``slideshow.slide_type`` into every built cell by a
  rule (headings start slides, setup / exercise / widget cells are skipped) that a source may
  override per cell; the committed notebooks carry exactly what the rule gives.
* Decks: the decks of one notebook in each script are built into a temporary folder and opened in
  headless Chromium from file:// with every other request aborted: reveal.js must be ready with
  more than 5 slides, math typeset without errors, no console error, no failed or remote request.

reveal.js comes from the npm registry (``npm pack``) the first time; without npm and without the
cached package (build/npm/) the deck tests skip, and fail under CI=true.  The browser part skips
without Chromium like tests/test_browser.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from _browser import PageLog, artifact, chromium, cjk_families, platform_fonts, unavailable

from lossviz._meta import LANGS
from tools import build_notebooks as bn
from tools import build_site, build_slides

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = bn.source_paths()
DECK_NOTEBOOK = "01"  # the decks the browser test opens: this notebook in each script


# --- slide types in the build --------------------------------------------------------------------


def test_split_at_headings_cuts_before_each_heading_outside_code_fences():
    text = "intro\n\n## A\ntext a\n```\n## not a heading\n```\n### B\n#### small stays"
    assert bn.split_at_headings(text) == ["intro", "## A\ntext a\n```\n## not a heading\n```",
                                          "### B\n#### small stays"]
    assert bn.split_at_headings("## only") == ["## only"]


def test_slide_type_rule_and_overrides():
    cells = [("markdown", "# T\nintro", []), ("code", "setup", []), ("markdown", "## 1. A", []),
             ("code", "x = 1", []), ("markdown", "after code", []), ("markdown", "### sub", []),
             ("code", "interactive(live)", ["nbval-ignore-output"]), ("code", "strip(...)", []),
             ("markdown", "## 練習", []), ("code", "answer_1 = None", ["exercise"]), ("markdown", "task 2", []),
             ("code", "print(1)", [])]
    chosen = [None] * len(cells)
    assert bn.slide_types(cells, chosen, setup_index=1) == [
        "slide", "skip", "slide", "-", "subslide", "subslide", "skip", "-", "slide", "skip", "-", "-"]
    chosen[11] = "fragment"
    chosen[4] = "-"
    types = bn.slide_types(cells, chosen, setup_index=1)
    assert types[11] == "fragment" and types[4] == "-"


def test_a_source_override_reaches_the_notebook_and_bad_ones_are_refused(tmp_path):
    head = "---\njupytext:\n  text_representation: {extension: .md, format_name: myst}\n---\n\n# 99 標題\n\n"
    src = tmp_path / "99_demo.md"
    src.write_text(head + '```{code-cell} ipython3\n:slideshow: {"slide_type": "subslide"}\nx = 1\n```\n\n'
                   '+++ {"slideshow": {"slide_type": "skip"}}\n\n說明\n\n## 1. 一節\n', encoding="utf-8")
    for nb in bn.build_inputs(src).values():
        assert [bn.slide_type(c) for c in nb.cells] == ["slide", "skip", "subslide", "skip", "slide"]
    src.write_text(head + '```{code-cell} ipython3\n:slideshow: {"slide_type": "big"}\nx = 1\n```\n',
                   encoding="utf-8")
    with pytest.raises(bn.BuildError, match="slide_type"):
        bn.build_inputs(src)


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_committed_notebooks_carry_the_slide_types_of_the_build(source):
    for lang, expected in bn.build_inputs(source).items():
        committed = nbformat.read(NOTEBOOKS / lang / f"{source.stem}.ipynb", as_version=4)
        types = [bn.slide_type(c) for c in committed.cells]
        assert types == [bn.slide_type(c) for c in expected.cells], f"{lang}/{source.stem}: rebuild it"
        assert types[0] == "slide" and types.count("slide") >= 5
        for cell in committed.cells:
            if {bn.EXERCISE_TAG, bn.WIDGET_TAG} & set(cell.metadata.get("tags", [])):
                assert bn.slide_type(cell) == "skip"


# --- the decks ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides") / "_slides"
    t0 = time.perf_counter()
    try:
        build_slides.build(out, [DECK_NOTEBOOK], NOTEBOOKS, log=lambda *a: None)
    except build_slides.SlidesError as exc:
        if "npm" not in str(exc):
            raise
        unavailable(str(exc))
    print(f"decks built in {time.perf_counter() - t0:.1f} s")
    return out


DECKS = [f"{lang}/{p.stem}.html" for lang, paths in build_site.notebook_paths(NOTEBOOKS).items()
         for p in paths if p.stem.startswith(DECK_NOTEBOOK)]


def test_decks_are_offline_files(decks: Path):
    assert sorted(p.relative_to(decks).as_posix() for p in decks.glob("*/*.html")) == sorted(DECKS)
    assert len(DECKS) == len(LANGS)
    for rel in DECKS:
        text = (decks / rel).read_text(encoding="utf-8")
        assert build_site.remote_references(text) == [], rel
        refs = build_site.references(text)
        for tag, attr, url in refs.loads:
            if not url.startswith("data:"):
                target = (decks / rel).parent / url.split("?")[0]
                assert target.resolve().is_file(), f"{rel}: <{tag} {attr}={url!r}> is not a file of the decks"
    theme = (decks / "assets/reveal.js/dist/theme/white.css").read_text(encoding="utf-8")
    assert "@import" not in theme and "fonts.googleapis" not in theme


JS_DECK_STATE = """() => ({
  ready: typeof Reveal !== 'undefined' && Reveal.isReady(),
  slides: typeof Reveal !== 'undefined' ? Reveal.getTotalSlides() : 0,
  math: document.querySelectorAll('.MathJax, .MathJax_Display').length,
  mathErrors: document.querySelectorAll('.MathJax .merror, .MathJax_Error').length,
  images: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 60)),
})"""


@pytest.mark.parametrize("rel", DECKS)
def test_deck_in_browser(decks: Path, rel: str):
    """From file://, everything else aborted: reveal ready, > 5 slides, math typeset, no error."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        base = decks.resolve().as_uri() + "/"
        log = PageLog(page, (base,))
        try:
            page.goto(base + rel)
            page.wait_for_selector('html[data-reveal="ready"]', state="attached", timeout=60_000)
            page.wait_for_selector('html[data-mathjax="done"]', state="attached", timeout=90_000)
            state = page.evaluate(JS_DECK_STATE)
            fonts = platform_fonts(page, ".reveal .slides section h1")
            page.keyboard.press("ArrowRight")  # the next slide: MathJax re-typesets it, nothing breaks
            page.wait_for_timeout(300)
            page.screenshot(path=artifact("slides", *rel.removesuffix(".html").split("/")).with_suffix(".png"))
        finally:
            page.close()
    log.assert_clean(rel)
    assert state["ready"] and state["slides"] > 5, state
    assert state["math"] > 0 and state["mathErrors"] == 0, state
    assert not state["images"], f"{rel}: images that did not load: {state['images']}"
    families = cjk_families(rel.split("/")[0])
    if families:  # the title is drawn with a Chinese font (not boxes)
        assert set(fonts) & families, f"{rel}: title drawn with {fonts}"
