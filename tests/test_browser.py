"""The collection as a learner sees it: in JupyterLab, and as the static site, in headless Chromium.

* JupyterLab (one server for the module, from this environment, on a scratch copy of notebooks/):
  every committed notebook, both scripts, is opened, cleared and run with Run > Run All Cells;
  no output may show an error, every slider of every interactive figure is moved with the keyboard
  and the figure's image must change.  Screenshots: test-artifacts/browser/<lang>/NN_name.png.
* The static site (``python -m tools.build_site`` into a temporary folder): a pure-Python check
  that nothing is loaded from another host and every local link resolves, then every page in
  Chromium over HTTP and from file:// with all other requests aborted: no console error, no
  failed or blocked request, math rendered, images loaded.  Screenshots: test-artifacts/site/.

Without Playwright or Chromium the browser tests skip; with CI=true they fail instead
(set-up: ``sh tools/install_browser.sh`` as root, ``pip install playwright``).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from _browser import (
    ROOT,
    JupyterLab,
    PageLog,
    artifact,
    chromium,
    cjk_families,
    copy_notebooks,
    platform_fonts,
    prompts_done,
    static_server,
)

from lossviz._meta import LANGS
from tools import build_site

NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_FILES = [p for lang in LANGS for p in build_site.notebook_paths(NOTEBOOKS)[lang]]
NOTEBOOK_IDS = [f"{p.parent.name}/{p.stem}" for p in NOTEBOOK_FILES]
SITE_PAGES = ["index.html", *(f"{lang}/index.html" for lang in LANGS),
              *(f"{p.parent.name}/{p.stem}.html" for p in NOTEBOOK_FILES)]
# From file:// as well (what a reader who downloaded the site opens): the indexes and the first
# notebook page of each script -- the other pages use the same assets the same way.
FILE_PAGES = SITE_PAGES[:3] + [f"{lang}/{paths[0].stem}.html"
                               for lang, paths in build_site.notebook_paths(NOTEBOOKS).items() if paths]
VIEWPORT = {"width": 1280, "height": 900}
RUN_TIMEOUT_S = 240  # one notebook, Run All to the last count (the budget is ~20 s; CI machines vary)
FIGURE_TIMEOUT_S = 30  # one slider move to a new picture


def _nb(path: Path):
    return nbformat.read(path, as_version=4)


def _widget_outputs(nb) -> int:
    return sum(build_site.is_widget_output(o) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def _png_outputs(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyterlab")
    server = JupyterLab(copy_notebooks(NOTEBOOKS, home / "root"), home)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_tab(browser, lab):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    tab = LabTab(context, lab)
    try:
        yield tab
    finally:
        tab.reset()
        context.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    t0 = time.perf_counter()
    build_site.build(out, NOTEBOOKS, log=lambda *args: None)
    print(f"site built in {time.perf_counter() - t0:.1f} s")
    return out


@pytest.fixture(scope="module")
def site_url(site):
    with static_server(site) as url:
        yield url


# ---------------------------------------------------------------------------------------------
# JupyterLab
# ---------------------------------------------------------------------------------------------

JS_PROMPTS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim())"""

# Error outputs: tracebacks (rendered as stderr text in JupyterLab 4), error mime types, widget failures.
JS_ERRORS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const out = [];
  for (const e of panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    if (/Error|Traceback/.test(e.textContent)) out.push(e.textContent.slice(0, 2000));
  }
  for (const e of panel.querySelectorAll('.jp-RenderedText[data-mime-type*="error"], [data-mime-type="application/vnd.jupyter.error"]')) {
    out.push(e.textContent.slice(0, 2000));
  }
  for (const e of panel.querySelectorAll('.jupyter-widgets')) {
    if (/Error displaying widget|Error rendering/.test(e.textContent)) out.push('widget: ' + e.textContent.slice(0, 500));
  }
  return [...new Set(out)];
}"""

# Everything written to stderr (warnings included), for the JSON log next to the screenshot.
JS_STDERR = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.textContent.slice(0, 500))"""

JS_RUN_FINISHED = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  if (!prompts.length || prompts.some(p => p.includes('*'))) return false;
  const counted = prompts.every(p => /^\\[\\d+\\]:$/.test(p));
  const failed = panel.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                                     + '.jp-RenderedText[data-mime-type*="error"]');
  return counted || (failed !== null && /Error|Traceback/.test(failed.textContent));
}"""

JS_IMAGE_CHANGED = """([box, before]) => {
  const img = box.querySelector('.widget-output img');
  return img !== null && img.complete && img.getAttribute('src') !== before;
}"""


def _menu(page, menu: str, command: str) -> None:
    """Click ``menu`` in the menu bar, then the item that runs ``command``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').click()


class LabTab:
    """One JupyterLab page that opens the notebooks one after the other.

    The first notebook is opened by URL (the app loads, ~10 s); the next ones with File > Open from
    Path in the same app (~3 s) after the previous tab is closed with its changes discarded.  After
    a failure the page is thrown away and the next notebook loads the app anew.
    """

    def __init__(self, context, lab: JupyterLab):
        self.context, self.lab = context, lab
        self.page = None
        self.log: PageLog | None = None
        self.loads = 0

    def open(self, rel: str, n_cells: int) -> None:
        fresh = self.page is None
        if fresh:
            self.page = self.context.new_page()
            self.log = PageLog(self.page, (self.lab.base,))
            self.loads += 1
            self.page.goto(self.lab.url(rel, workspace=f"lossviz-test-{self.loads}"))
        else:
            self.log.clear()
            _menu(self.page, "File", "filebrowser:open-path")
            self.page.locator(".jp-Dialog input").fill(rel)
            self.page.keyboard.press("Enter")
        page = self.page
        page.wait_for_function(
            f"document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length >= {n_cells}")
        # the kernel is up and idle (status bar: "Python 3 (ipykernel) | Idle")
        page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first.wait_for()
        if page.locator(".jp-FileBrowser:visible").count():
            page.keyboard.press("Control+b")  # hide the file browser: more room for the notebook

    def close(self, ok: bool) -> None:
        """Shut the kernel down and close the tab without saving (or drop the page)."""
        self.lab.shutdown_kernels()
        if self.page is None:
            return
        if ok:
            try:
                _menu(self.page, "File", "application:close")
                self.page.locator(".jp-Dialog button.jp-mod-warn").click(timeout=10_000)  # Discard
                self.page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=10_000)
                return
            except Exception:  # any trouble: start from a fresh page
                pass
        self.reset()

    def reset(self) -> None:
        if self.page is not None:
            self.page.close()
        self.page, self.log = None, None


def _press_until_readout_changes(slider, handle, max_presses: int = 25) -> tuple[str, str, str]:
    """Arrow keys on the focused handle until the slider's readout shows a new value.

    Right first, left when the slider sits at its maximum.  Returns (key, before, after).
    """
    readout = slider.locator(".widget-readout")
    before = readout.inner_text().strip()
    for key in ("ArrowRight", "ArrowLeft"):
        handle.focus()
        for _ in range(max_presses):
            handle.press(key)
            after = readout.inner_text().strip()
            if after != before:
                return key, before, after
    return "", before, before


def _move_sliders(page, box, log: list[str]) -> int:
    """Move every slider of one interactive figure; each move must change the figure's image."""
    sliders = box.locator(".widget-slider")
    img = box.locator(".widget-output img")
    img.wait_for()
    for j in range(sliders.count()):
        slider = sliders.nth(j)
        label = slider.locator("label").inner_text().strip()
        handle = slider.locator(".noUi-handle")
        src = img.get_attribute("src")
        handle.scroll_into_view_if_needed()
        key, before, after = _press_until_readout_changes(slider, handle)
        assert key, f"slider {label!r}: the arrow keys did not change its value {before}"
        try:
            page.wait_for_function(JS_IMAGE_CHANGED, arg=[box.element_handle(), src],
                                   timeout=FIGURE_TIMEOUT_S * 1000)
        except Exception as exc:  # playwright TimeoutError: say which slider
            raise AssertionError(f"slider {label!r} moved {before} -> {after}, but the figure's image "
                                 f"did not change within {FIGURE_TIMEOUT_S} s") from exc
        log.append(f"slider {label!r}: {key} {before} -> {after}, image changed")
    return sliders.count()


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=NOTEBOOK_IDS)
def test_notebook_runs_in_jupyterlab(path: Path, lab_tab: LabTab):
    """Run All Cells in JupyterLab: no error output; every slider moves its figure."""
    lang, stem = path.parent.name, path.stem
    rel = f"{lang}/{path.name}"
    nb = _nb(path)
    n_widgets = _widget_outputs(nb)
    notes: list[str] = []
    stderr: list[str] = []
    times: dict[str, float] = {}
    ok = False
    t0 = time.perf_counter()
    try:
        lab_tab.open(rel, len(nb.cells))
        page = lab_tab.page
        times["open"] = time.perf_counter() - t0
        _menu(page, "Edit", "editmenu:clear-all")  # the committed counts must not count as a run
        page.wait_for_function(f"({JS_PROMPTS})().every(p => !/\\d/.test(p))")
        t1 = time.perf_counter()
        _menu(page, "Run", "runmenu:run-all")
        page.wait_for_function(JS_RUN_FINISHED, timeout=RUN_TIMEOUT_S * 1000, polling=250)
        times["run"] = time.perf_counter() - t1
        page.evaluate("document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"
                      "?.scrollTo(0, 0)")
        page.screenshot(path=artifact("browser", lang, f"{stem}.png"))

        stderr = page.evaluate(JS_STDERR)
        errors = page.evaluate(JS_ERRORS)
        assert not errors, f"{rel}: error output(s) after Run All:\n" + "\n---\n".join(errors)
        prompts = page.evaluate(JS_PROMPTS)
        assert prompts_done(prompts), f"{rel}: cells without an execution count after Run All: {prompts}"

        boxes = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-vbox:has(> .widget-output)")
        assert boxes.count() == n_widgets, (
            f"{rel}: {n_widgets} interactive figure(s) in the committed notebook, "
            f"{boxes.count()} slider box(es) rendered in JupyterLab")
        t2 = time.perf_counter()
        sliders = 0
        for i in range(n_widgets):
            sliders += _move_sliders(page, boxes.nth(i), notes)
            if i == 0:
                boxes.nth(i).screenshot(path=artifact("browser", lang, f"{stem}-widget.png"))
        times["sliders"] = time.perf_counter() - t2
        if n_widgets:
            assert sliders > 0, f"{rel}: interactive figures without sliders"
        ok = True
    finally:
        times["total"] = time.perf_counter() - t0
        log = lab_tab.log
        artifact("browser", lang, f"{stem}.json").write_text(json.dumps({
            "notebook": rel, "seconds": {k: round(v, 1) for k, v in times.items()}, "notes": notes,
            "stderr": stderr, "console_errors": log.errors if log else [], "blocked_requests": log.blocked if log else [],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        lab_tab.close(ok)
    print(f"{rel}: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()) + f"; {len(notes)} slider(s)")


# ---------------------------------------------------------------------------------------------
# The static site: pure Python
# ---------------------------------------------------------------------------------------------


def _local_target(page: Path, url: str) -> tuple[Path, str] | None:
    """(file, fragment) that a relative URL in ``page`` points to; None for a remote or data URL."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    return target, parts.fragment


def test_site_is_offline_and_its_links_resolve(site: Path):
    pages = sorted(site.rglob("*.html"))
    # the teacher's guide pages (<lang>/guides/) are checked in tests/test_guides.py; their links here
    assert {p.relative_to(site).as_posix() for p in pages if p.parent.name != "guides"} == set(SITE_PAGES)
    ids = {p.resolve(): build_site.references(p.read_text(encoding="utf-8")).ids for p in pages}
    problems = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        problems += [f"{rel}: remote {r}" for r in build_site.remote_references(text)]
        refs = build_site.references(text)
        for tag, attr, url in refs.loads:
            if url.startswith("data:"):
                continue
            target = _local_target(page, url)
            if target is None or not target[0].is_file():
                problems.append(f"{rel}: <{tag} {attr}={url!r}> does not resolve to a file of the site")
            elif site.resolve() not in target[0].parents:
                problems.append(f"{rel}: <{tag} {attr}={url!r}> points outside the site")
        for url in refs.links:
            target = _local_target(page, url)
            if target is None:
                continue  # a link out (Colab): followed by the reader, never loaded by the page
            file, fragment = target
            if not file.is_file():
                problems.append(f"{rel}: <a href={url!r}> does not resolve")
            elif fragment and file.suffix == ".html" and not {fragment, unquote(fragment)} & ids.get(file, set()):
                # a browser matches the fragment as written, then percent-decoded (nbconvert encodes both)
                problems.append(f"{rel}: <a href={url!r}>: no id {fragment!r} in {file.name}")
    assert not problems, "\n".join(problems)


def test_site_pages_link_to_the_other_script(site: Path):
    for rel in SITE_PAGES:
        text = (site / rel).read_text(encoding="utf-8")
        switches = re.findall(r'<a class="lossviz-lang" href="([^"]+)"', text)
        if rel == "index.html":
            assert switches == [f"{lang}/index.html" for lang in LANGS], switches
            continue
        lang, name = rel.split("/")
        other = LANGS[1 - LANGS.index(lang)]
        expected = f"../{other}/{name}" if (site / other / name).is_file() else f"../{other}/index.html"
        assert expected in switches, f"{rel}: language switch {switches}, expected {expected}"


def test_site_index_lists_notebooks_guide_and_glossary(site: Path):
    from bs4 import BeautifulSoup

    import lossviz
    from tools.convert import read_glossary, simplified_chars, traditional_chars

    n_terms = len(read_glossary())
    for lang in LANGS:
        soup = BeautifulSoup((site / lang / "index.html").read_text(encoding="utf-8"), "html.parser")
        listed = [a["href"] for a in soup.select("ol.lossviz-notebooks a")]
        assert listed == [f"{p.stem}.html" for p in build_site.notebook_paths(NOTEBOOKS)[lang]]
        for a, path in zip(soup.select("ol.lossviz-notebooks a"), build_site.notebook_paths(NOTEBOOKS)[lang],
                           strict=True):
            assert a.get_text() == build_site.notebook_title(_nb(path), path.stem)
        assert len(soup.select("table.lossviz-guide tbody tr")) == len(lossviz.catalog())
        assert len(soup.select("table.lossviz-glossary tbody tr")) == n_terms
        # the site's own text is in the page's script (the other script only where marked lang=...)
        for tag in soup.select('[lang="zh-TW"], [lang="zh-CN"], code, table.lossviz-glossary'):
            tag.decompose()
        text = soup.get_text(" ")
        wrong = simplified_chars(text) if lang == "zh-TW" else traditional_chars(text)
        assert not wrong, f"{lang}/index.html: characters of the other script: {sorted(set(wrong))}"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=NOTEBOOK_IDS)
def test_site_notebook_page_has_figures_and_no_widget_view(site: Path, path: Path):
    nb = _nb(path)
    text = (site / path.parent.name / f"{path.stem}.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', text)) == _png_outputs(nb)
    assert text.count('class="lossviz-widget-note"') == _widget_outputs(nb)
    assert "application/vnd.jupyter.widget-view+json" not in text
    assert "require.min.js" not in text and "unpkg.com" not in text


# ---------------------------------------------------------------------------------------------
# The static site in Chromium
# ---------------------------------------------------------------------------------------------

JS_PAGE_STATE = """() => ({
  math: document.querySelectorAll('.MathJax, .MathJax_Display').length,
  mathErrors: document.querySelectorAll('.MathJax .merror, .MathJax_Error').length,
  images: [...document.images].map(i => ({src: i.getAttribute('src').slice(0, 60), ok: i.complete && i.naturalWidth > 0})),
  tables: document.querySelectorAll('table').length,
  switchLink: document.querySelector('a.lossviz-lang')?.getAttribute('href') ?? null,
})"""


@pytest.mark.parametrize(("rel", "mode"), [(rel, "http") for rel in SITE_PAGES] + [(rel, "file") for rel in FILE_PAGES])
def test_site_page_in_browser(browser, site: Path, site_url: str, rel: str, mode: str):
    """Every page over HTTP and from disk: no error, nothing fetched from elsewhere, math typeset."""
    page = browser.new_page(viewport=VIEWPORT)
    base = site_url if mode == "http" else site.resolve().as_uri() + "/"
    log = PageLog(page, (base,))
    try:
        page.goto(base + rel)
        page.wait_for_selector('html[data-mathjax="done"]', state="attached", timeout=90_000)
        state = page.evaluate(JS_PAGE_STATE)
        heading_fonts = platform_fonts(page, "h1") if rel != "index.html" else []
        if mode == "http":
            page.screenshot(path=artifact("site", *rel.removesuffix(".html").split("/")).with_suffix(".png"))
    finally:
        page.close()
    assert not log.blocked, f"{rel}: requests to other hosts: {log.blocked}"
    assert not log.failed, f"{rel}: failed requests: {log.failed}"
    assert not log.errors, f"{rel}: console errors: {log.errors}"
    assert state["switchLink"], f"{rel}: no language switch"
    broken = [i["src"] for i in state["images"] if not i["ok"]]
    assert not broken, f"{rel}: images that did not load: {broken}"
    assert state["mathErrors"] == 0, f"{rel}: {state['mathErrors']} formula(s) MathJax could not typeset"
    if rel != "index.html":
        assert state["math"] > 0, f"{rel}: no typeset math"
        families = cjk_families(rel.split("/")[0])
        if families is not None:  # Chinese drawn with a Chinese font, not as boxes
            assert families, f"no {rel.split('/')[0]} font on this machine: sh tools/install_browser.sh"
            assert set(heading_fonts) & families, (
                f"{rel}: the heading is drawn with {heading_fonts}, none of them a Chinese font "
                f"({sorted(families)[:4]}...): Chinese shows as boxes")
    if rel.endswith("/index.html"):
        assert state["tables"] > 0
    elif rel != "index.html":
        nb = _nb(NOTEBOOKS / rel.replace(".html", ".ipynb"))
        assert len(state["images"]) >= _png_outputs(nb), f"{rel}: figures missing"
