"""The collection as a learner sees it: in JupyterLab, and as the static site, in headless Chromium.

* JupyterLab (one server for the module, from this environment, on a scratch copy of notebooks/):
  every committed notebook, both scripts, is opened, cleared and run with Run > Run All Cells;
  no output may show an error, every slider of every interactive figure is moved with the keyboard
  and the figure's image must change.  Screenshots: test-artifacts/browser/<lang>/NN_name.png.
* Slider latency (a benchmark, not a timing limit): in a few notebooks, key press -> new image in the
  page for single steps, and the settle time after a burst of key presses (10 ms apart, dispatched
  in the page), which must end on the final value's frame.  Reported as lines and in test-artifacts/browser/latency-<label>.json
  (``LOSSVIZ_BENCH_LABEL``; ``LOSSVIZ_BENCH_KERNEL_PATH`` = the PYTHONPATH of the server and its
  kernels, e.g. an export of an older commit, to measure that one under the same conditions).
* The static site (``python -m tools.build_site`` into a temporary folder): a pure-Python check
  that nothing is loaded from another host and every local link resolves, then every page in
  Chromium over HTTP and from file:// with all other requests aborted: no console error, no
  failed or blocked request, math rendered, images loaded; every slider of the site's draggable
  figures is moved with the keyboard (no kernel) and the frame image must change.
  Screenshots: test-artifacts/site/.

Without Playwright or Chromium the browser tests skip; with CI=true they fail instead
(set-up: ``sh tools/install_browser.sh`` as root, ``pip install playwright``).
"""

from __future__ import annotations

import json
import os
import re
import statistics
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


def _slider_figures(nb) -> int:
    """Widget outputs that are slider figures (they carry the slider record the site draws frames
    from); the loss explorer of 11 is a widget without one: the site shows its static grid."""
    return sum(build_site.slider_spec_of(o) is not None for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))


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
    server = JupyterLab(copy_notebooks(NOTEBOOKS, home / "root"), home,
                        python_path=os.environ.get("LOSSVIZ_BENCH_KERNEL_PATH") or None)
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

# An interactive figure: a VBox whose first child holds the sliders; its picture is the one <img>
# inside (an ipywidgets Image; before, an <img> in an Output).
FIGURE_BOX = ".jp-NotebookPanel:not(.lm-mod-hidden) .widget-vbox:has(> .widget-hbox > .widget-slider)"

JS_IMAGE_CHANGED = """([box, before]) => {
  const img = box.querySelector('img');
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
    img = box.locator("img")
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

        boxes = page.locator(FIGURE_BOX)
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
# Slider latency in JupyterLab (a benchmark: reported, not a pass/fail timing)
# ---------------------------------------------------------------------------------------------

# (notebook, which interactive figure): 04's first figure has two sliders
LATENCY_FIGURES = [("zh-TW/04_focal_loss.ipynb", 0), ("zh-TW/05_infonce.ipynb", 0)]
LATENCY_STEPS = 15
LATENCY_BURST = 20
QUIET_S = 1.5  # no new picture for this long after a burst: it has settled

# Watches one figure: every new picture (src change, or a new <img>) once decoded, and every keydown.
JS_WATCH = """(box) => {
  const w = {keys: [], frames: [], last: box.querySelector('img')?.getAttribute('src') ?? null};
  box.addEventListener('keydown', () => w.keys.push(performance.now()), true);
  const seen = () => {
    const img = box.querySelector('img');
    const src = img?.getAttribute('src') ?? null;
    if (src === null || src === w.last) return;
    w.last = src;
    const n = w.frames.push(null) - 1;
    img.decode().catch(() => null).then(() => { w.frames[n] = performance.now(); });
  };
  new MutationObserver(seen).observe(box, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  window.__lossvizWatch = w;
}"""
# A burst: key presses BURST_GAP_MS apart (a held arrow key repeats about every 33 ms), dispatched in
# the page, where the slider's own keydown handler takes them; resolves after the last one.
BURST_GAP_MS = 10
JS_BURST = """([box, key, n, gap]) => new Promise(done => {
  const handle = box.querySelector('.widget-slider .noUi-handle');
  let i = 0;
  const press = () => {
    handle.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true, cancelable: true}));
    if (++i < n) setTimeout(press, gap); else done();
  };
  press();
})"""
JS_WATCH_STATE = "() => ({keys: window.__lossvizWatch.keys.length, frames: window.__lossvizWatch.frames.length, " \
    "decoded: window.__lossvizWatch.frames.filter(t => t !== null).length, now: performance.now()})"
JS_WATCH_TIMES = ("() => ({keys: window.__lossvizWatch.keys, frames: window.__lossvizWatch.frames, "
                  "origin: performance.timeOrigin})")
# FNV-1a of the shown picture's bytes (blob: or data: URL)
JS_PICTURE_HASH = """async (box) => {
  const img = box.querySelector('img');
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let h = 0x811c9dc5;
  for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16) + ':' + bytes.length;
}"""


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _wait_frames(page, count: int, what: str) -> None:
    try:
        page.wait_for_function(f"window.__lossvizWatch.frames.filter(t => t !== null).length >= {count}",
                               timeout=FIGURE_TIMEOUT_S * 1000, polling="raf")
    except Exception as exc:
        raise AssertionError(f"{what}: the figure's image did not change within {FIGURE_TIMEOUT_S} s") from exc


def _wait_quiet(page, what: str) -> None:
    deadline = time.monotonic() + FIGURE_TIMEOUT_S
    last = None
    while time.monotonic() < deadline:
        state = page.evaluate(JS_WATCH_STATE)
        if state["frames"] == state["decoded"]:
            if last is not None and last[0] == state["frames"] and state["now"] - last[1] >= QUIET_S * 1000:
                return
            if last is None or last[0] != state["frames"]:
                last = (state["frames"], state["now"])
        time.sleep(0.1)
    raise AssertionError(f"{what}: the figure kept changing for {FIGURE_TIMEOUT_S} s")


def _latency(page, box, label: str) -> dict:
    """Single steps and a burst on the first slider of ``box``; times in ms."""
    slider = box.locator(".widget-slider").first
    handle = slider.locator(".noUi-handle")
    readout = slider.locator(".widget-readout")
    handle.scroll_into_view_if_needed()
    page.evaluate(JS_WATCH, box.element_handle())
    handle.focus()
    # single steps, one direction, turning at the end of the range
    key = "ArrowRight"
    singles = []
    for i in range(LATENCY_STEPS):
        before = readout.inner_text().strip()
        handle.press(key)
        if readout.inner_text().strip() == before:  # at the end of the range: turn
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            handle.press(key)
        _wait_frames(page, i + 1, f"{label}: step {i + 1} ({key})")
        times = page.evaluate(JS_WATCH_TIMES)
        singles.append(times["frames"][i] - times["keys"][-1])
        page.wait_for_timeout(120)  # nothing else in flight
    _wait_quiet(page, f"{label}: after the single steps")
    n_frames = page.evaluate(JS_WATCH_STATE)["frames"]
    # the burst: back the other way (20 steps fit: the single steps went 15 the first way)
    burst_key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    start = readout.inner_text().strip()
    page.evaluate(JS_BURST, [box.element_handle(), burst_key, LATENCY_BURST, BURST_GAP_MS])
    final = readout.inner_text().strip()
    assert final != start, f"{label}: a burst of {LATENCY_BURST} {burst_key} did not move the slider ({start})"
    _wait_frames(page, n_frames + 1, f"{label}: burst of {LATENCY_BURST} {burst_key}")
    _wait_quiet(page, f"{label}: after the burst")
    times = page.evaluate(JS_WATCH_TIMES)
    burst_frames = len(times["frames"]) - n_frames
    settle = times["frames"][-1] - times["keys"][-1]
    settled = page.evaluate(JS_PICTURE_HASH, box.element_handle())
    # the final value's own frame: one step away and back must draw the very same picture
    n_frames = len(times["frames"])
    handle.press(key)
    _wait_frames(page, n_frames + 1, f"{label}: one step away")
    handle.press(burst_key)
    _wait_frames(page, n_frames + 2, f"{label}: one step back")
    assert readout.inner_text().strip() == final
    again = page.evaluate(JS_PICTURE_HASH, box.element_handle())
    assert settled == again, (f"{label}: after a burst of {LATENCY_BURST} key presses the figure settled on a "
                              f"picture that is not the final value's ({final})")
    return {"single_median_ms": round(statistics.median(singles), 1), "single_p95_ms": round(_quantile(singles, 0.95), 1),
            "single_max_ms": round(max(singles), 1), "burst_settle_ms": round(settle, 1),
            "burst_frames": burst_frames, "single_ms": [round(x, 1) for x in singles],
            "page_times_ms": {k: times[k] for k in ("origin", "keys", "frames")}}


@pytest.mark.parametrize(("rel", "figure"), LATENCY_FIGURES, ids=[r for r, _ in LATENCY_FIGURES])
def test_slider_latency(rel: str, figure: int, lab_tab: LabTab):
    """Key press -> new picture in the page; reported, never judged by time (the machine varies)."""
    label = os.environ.get("LOSSVIZ_BENCH_LABEL", "current")
    nb = _nb(NOTEBOOKS / rel)
    ok = False
    try:
        lab_tab.open(rel, len(nb.cells))
        page = lab_tab.page
        _menu(page, "Run", "runmenu:run-all")
        page.wait_for_function(JS_RUN_FINISHED, timeout=RUN_TIMEOUT_S * 1000, polling=250)
        box = page.locator(FIGURE_BOX).nth(figure)
        box.locator("img").wait_for()
        page.wait_for_timeout(1000)  # the kernel idle again after Run All
        result = _latency(page, box, f"{rel} figure {figure}")
        ok = True
    finally:
        lab_tab.close(ok)
    result = {"notebook": rel, "figure": figure, "label": label, **result}
    path = artifact("browser", f"latency-{label}.json")
    rows = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    rows = [r for r in rows if (r["notebook"], r["figure"]) != (rel, figure)] + [result]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"latency [{label}] {rel} figure {figure}: single step median {result['single_median_ms']} ms, "
          f"p95 {result['single_p95_ms']} ms, max {result['single_max_ms']} ms; burst of {LATENCY_BURST}: "
          f"settled {result['burst_settle_ms']} ms after the last key, {result['burst_frames']} frames")


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
    log.assert_clean(rel)
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


JS_SITE_SLIDERS = """() => [...document.querySelectorAll('.lossviz-slider')].map(b => ({
  figure: b.dataset.figure, inputs: b.querySelectorAll('input[type=range]').length}))"""
JS_FRAME_SHOWN = """([i, before]) => {
  const img = document.querySelectorAll('.lossviz-slider')[i].querySelector('img');
  return img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
}"""
SLIDER_PAGES = [rel for rel in SITE_PAGES if rel.count("/") == 1 and not rel.endswith("index.html")
                and _slider_figures(_nb(NOTEBOOKS / rel.replace(".html", ".ipynb")))]


@pytest.mark.parametrize(("rel", "mode"), [(rel, "http") for rel in SLIDER_PAGES]
                         + [(rel, "file") for rel in FILE_PAGES if rel in SLIDER_PAGES])
def test_site_sliders_drag(browser, site: Path, site_url: str, rel: str, mode: str):
    """Every slider of every draggable figure, moved with the keyboard: a new frame, loaded locally."""
    nb = _nb(NOTEBOOKS / rel.replace(".html", ".ipynb"))
    page = browser.new_page(viewport=VIEWPORT)
    base = site_url if mode == "http" else site.resolve().as_uri() + "/"
    log = PageLog(page, (base,))
    moved = []
    try:
        page.goto(base + rel)
        figures = page.evaluate(JS_SITE_SLIDERS)
        assert len(figures) == _slider_figures(nb), f"{rel}: {len(figures)} draggable figure(s), " \
            f"{_slider_figures(nb)} slider figure(s) in the notebook"
        boxes = page.locator(".lossviz-slider")
        for i, fig in enumerate(figures):
            assert fig["inputs"] > 0, f"{rel}: figure {fig['figure']} without a slider"
            img = boxes.nth(i).locator("img.lossviz-slider-frame")
            for j in range(fig["inputs"]):
                rng = boxes.nth(i).locator('input[type="range"]').nth(j)
                rng.scroll_into_view_if_needed()
                before_src, before_value = img.get_attribute("src"), rng.input_value()
                rng.focus()
                rng.press("End" if before_value != rng.get_attribute("max") else "Home")
                try:
                    page.wait_for_function(JS_FRAME_SHOWN, arg=[i, before_src], timeout=10_000)
                except Exception as exc:
                    raise AssertionError(f"{rel}: {fig['figure']} slider {j + 1}: the frame did not change "
                                         f"(value {before_value} -> {rng.input_value()})") from exc
                moved.append(f"{fig['figure']}[{j}] {before_value}->{rng.input_value()}")
        if mode == "http" and figures:
            boxes.first.screenshot(path=artifact("site", *rel.removesuffix(".html").split("/")).with_name(
                f"{Path(rel).stem}-slider.png"))
    finally:
        page.close()
    log.assert_clean(rel)
    print(f"{rel} ({mode}): moved {', '.join(moved)}")
