"""Build the static HTML site of the collection, in both scripts, readable offline.

Usage (from the repository root)::

    python -m tools.build_site              # -> _site/
    python -m tools.build_site --out DIR    # -> DIR/ (created; an old site there is replaced)

What it writes::

    index.html                 language chooser (繁體中文 / 简体中文)
    zh-TW/index.html           the map of the collection: notebooks, selection guide, glossary
    zh-TW/NN_name.html         one page per committed notebook (notebooks/zh-TW/NN_name.ipynb)
    zh-TW/guides/NN_name.html  one page per teacher's guide (notebooks/guides/zh-TW/NN_name.md)
    zh-CN/...                  the same in zh-CN
    assets/                    site.css, sliders.js, the Colab badge, MathJax 2.7 with its STIX-Web fonts
    assets/frames/<id>-<key>/  the precomputed frames of one slider figure in one script: N.png

The notebook pages are the committed, executed notebooks rendered by nbconvert's ``HTMLExporter``
(template "lab"); nothing is re-executed.  Figures are the PNGs embedded in the notebooks, the
static companions included.  Every page links to the same page in the other script.

Offline: nothing is fetched from another host at view time.  MathJax 2.7 is copied from the PyPI
package ``jupyter-server-mathjax`` into ``assets/mathjax``: TeX input, HTML-CSS output with the
STIX-Web web fonts (the woff files, copied too and loaded from the site's own folder, which works
from ``file://``); its two defaults that would fetch fonts the package does not ship (the blank
test font, the NativeMML TeX fonts) are pointed at ``local()`` faces.  nbconvert's require.js,
mermaid and widget-manager scripts (CDN URLs) are left out; the remote Colab badge image is
replaced by a local SVG (the link to Colab stays); widget outputs, which carry no widget state
in the committed notebooks, become draggable figures (below) or, without a slider record, a
short note.  The build refuses (exit 1) to write a page that would still load anything from
another host.  The site ships no CJK font: site.css asks for system-ui,
then Noto Sans CJK TC/SC, Noto Sans TC/SC, sans-serif (the reader's own fonts).

Sliders without a kernel: ``lossviz.widgets.interactive`` leaves in each widget output a record
(``application/vnd.lossviz.slider+json``: the registered figure id, the keyword arguments it was
made with, e.g. ``lang``, and the sliders).  For each record the build draws the figure with
``lossviz.plots`` at every point of a grid over the sliders (every step of a single slider, a
coarser grid for two or more: about ``FRAME_BUDGET`` frames per figure), as 256-colour PNGs
(the picture, readout text included, looks the same) under ``assets/frames/``, one folder per
figure and script, shared by every page that shows it.  Frames are kept in a cache
(``$XDG_CACHE_HOME/lossviz/site-frames``, or ``$LOSSVIZ_FRAMES_CACHE``) under a key made of the
figure's record, the grid budget and the source of the lossviz package (plus the matplotlib and
Pillow versions): a rebuild after a text change copies them instead of drawing them again.
The page gets one range input per slider and the frame image; ``assets/sliders.js`` (a few
lines, no library) swaps the image.
The static strip below it stays (print, GitHub).  ``--no-frames`` builds without them.

The site's CSS, the slider script, the badge SVG, the MathJax configuration and the two HTML
templates (a notebook page, extending nbconvert's; a page of the site's own) are files in
``tools/site/``, read at import.
Text of the site itself is written in zh-TW below; the zh-CN text is made from it by
:func:`tools.convert.to_zh_cn` (OpenCC tw2sp + the glossary), never by hand.

Why one module of ~600 lines: the site's own zh-TW text, the page renderers and the offline
check belong to one build; the CSS, SVG and HTML templates are files in tools/site/.
"""

from __future__ import annotations

import argparse
import copy
import functools
import hashlib
import html
import itertools
import json
import logging
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from nbformat import NotebookNode

from lossviz._catalog import FAMILY_NAMES
from lossviz._meta import LANGS

from .build_notebooks import BADGE_IMAGE, SLIDER_MIME, WIDGET_VIEW
from .convert import GLOSSARY_TSV, read_glossary, to_zh_cn

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "_site"
MARKER = ".lossviz-site"  # an output folder holding it may be replaced by the next build
NOTEBOOK_NAME = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
# The text/plain repr of a widget (what is left of it once the build strips the widget view).
WIDGET_REPR = re.compile(r"^(?:VBox|HBox|Box|GridBox|Accordion|Tab|Output|interactive|\w+Slider)\(")
SWITCH_LABEL = {"zh-TW": "繁體中文", "zh-CN": "简体中文"}  # each name in its own script
HTML_LANG = {"zh-TW": "zh-Hant-TW", "zh-CN": "zh-Hans-CN"}
NBCONVERT_ALT = "No description has been provided for this image"  # what nbconvert gives a figure
TEMPLATES = Path(__file__).resolve().parent / "site"  # the CSS, SVG and HTML templates, as files
FRAME_BUDGET = 121  # frames per slider figure at most (11 x 11 for two sliders)

__all__ = ["SiteError", "Page", "notebook_paths", "notebook_title", "is_widget_output", "remote_references",
           "references", "slider_spec_of", "slider_grid", "frames_folder", "render_frames", "build", "main"]


class SiteError(RuntimeError):
    """A notebook or asset the site cannot be built from, or a page that would go online."""


def _template(name: str) -> str:
    """tools/site/<name>, read at import time (a file ends with one newline, kept as written)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The site's own text: zh-TW here, zh-CN always through to_zh_cn
# ---------------------------------------------------------------------------------------------

TEXT = {
    "tagline": "看得見、摸得到的損失函數：給中文學習者的深度學習損失函數教材",
    "map": "教材地圖",
    "notebooks": "筆記本",
    "notebooks_intro": ("每本筆記本都已經執行過：公式、表格與圖都在頁面上。"
                        "互動圖的滑桿在頁面上就能拖動（預先算好的取值）；"
                        "要取任意值或改程式碼，請在 JupyterLab 或 Colab 中開啟。"),
    "guide": "哪個任務用哪個損失函數",
    "guide_intro": ("下表由 lossviz.catalog() 產生：依任務的家族列出每個損失函數、它的公式，"
                    "以及用到它的筆記本。"),
    "loss": "損失函數",
    "formula": "公式",
    "used_in": "筆記本",
    "glossary": "詞彙表",
    "glossary_intro": ("筆記本以繁體中文寫成，簡體中文版由 OpenCC tw2sp 加上這份詞彙表轉換而來；"
                       "兩者不同時以詞彙表為準。"),
    "note": "備註",
    "prev": "上一本",
    "next": "下一本",
    "widget_note": ("互動滑桿需在 Jupyter 中執行（JupyterLab 或 Colab）。"
                    "下面的靜態圖是同一張圖在幾組參數下的樣子。"),
    "slider_note": ("拖動滑桿，圖就跟著變：這些畫面是預先算好的，不需要 Python。"
                    "在 JupyterLab 或 Colab 中執行可取任意值；下面的靜態圖適合印出。"),
    "slider_alt": "可拖動的互動圖",
    "offline": "這個網站不需要網路：數學式、圖與表都在本機。",
    "figure": "程式碼輸出的圖",
    "count": "{n} 本筆記本",
    "guides": "教師手冊",
    "guides_intro": "給老師：每本筆記本的學習目標、45 與 90 分鐘的課程計畫、現場示範、討論問題與常見迷思。",
    "notebook": "筆記本",
}

FAMILY_TASKS = {
    "information": "一切的基礎：量化「驚訝」，以及兩個機率分佈差多少（熵、交叉熵、KL 散度）。",
    "regression": "預測一個數字（房價、氣溫）：看你多在乎離群值，選平方、絕對值，或介於兩者之間的損失。",
    "classification": "預測類別：交叉熵家族；類別不平衡或簡單樣本太多時用 Focal Loss，要留間隔時用鉸鏈損失。",
    "embedding": "學習向量表示：讓相似的樣本靠近、不相似的遠離（檢索、推薦、對比學習）。",
    "generative": "生成模型：GAN、VAE 與比較兩個分佈或兩張圖的損失。",
    "sequence": "序列：語言模型的下一個字預測，以及輸入與輸出長度不同的對齊（CTC）。",
    "image": "影像：分割的重疊程度（Dice、IoU）與結構相似性（SSIM）。",
    "practice": "實務技巧：正則化懲罰，以及多任務時怎麼替各個損失加權。",
}


@functools.cache
def _zh_cn(text: str) -> str:
    return to_zh_cn(text)


def tr(text: str, lang: str) -> str:
    """``text`` (zh-TW) in ``lang``: unchanged for zh-TW, converted for zh-CN."""
    if lang not in LANGS:
        raise SiteError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    return text if lang == LANGS[0] else _zh_cn(text)


def t(key: str, lang: str) -> str:
    return tr(TEXT[key], lang)


def _other(lang: str) -> str:
    return LANGS[1] if lang == LANGS[0] else LANGS[0]


# ---------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One notebook page: its script, file stem, title and the notebook it is made from."""

    lang: str
    stem: str
    title: str
    path: Path

    @property
    def href(self) -> str:
        return f"{self.stem}.html"


def notebook_paths(root: Path = NOTEBOOKS) -> dict[str, list[Path]]:
    """``{lang: [notebooks/<lang>/NN_name.ipynb, ...]}`` for the committed notebooks, sorted."""
    return {lang: sorted(p for p in (root / lang).glob("*.ipynb") if NOTEBOOK_NAME.match(p.stem))
            for lang in LANGS}


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def notebook_title(nb: NotebookNode, default: str) -> str:
    """The text of the first Markdown heading of the notebook (inline markup removed)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = _HEADING.search(cell.source)
        if match:
            text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1))
            return re.sub(r"(\*\*|__|`)", "", text).strip()
    return default


def _read(path: Path) -> NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # a broken notebook file: say which one
        raise SiteError(f"{path}: cannot be read as a notebook: {exc}") from exc


def is_widget_output(output: NotebookNode) -> bool:
    data = output.get("data", {})
    if WIDGET_VIEW in data:
        return True
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    if output.get("output_type") not in ("execute_result", "display_data"):
        return False
    # the build replaces a widget's repr by a note (tools.build_notebooks.WIDGET_NOTE_TW, both scripts)
    return bool(WIDGET_REPR.match(text)) or text in _WIDGET_NOTES


def _widget_notes() -> frozenset[str]:
    from tools.build_notebooks import WIDGET_NOTE_TW

    return frozenset({WIDGET_NOTE_TW, to_zh_cn(WIDGET_NOTE_TW)})


_WIDGET_NOTES = _widget_notes()


def slider_spec_of(output: NotebookNode) -> dict | None:
    """The ``SLIDER_MIME`` record of a widget output (figure id, kwargs, sliders), or None."""
    spec = output.get("data", {}).get(SLIDER_MIME)
    if spec is None:
        return None
    ok = (isinstance(spec, dict) and isinstance(spec.get("figure"), str)
          and isinstance(spec.get("kwargs"), dict)
          and isinstance(spec.get("sliders"), list) and spec["sliders"])
    if not ok:
        raise SiteError(f"a {SLIDER_MIME} output must hold figure, kwargs and sliders, got {spec!r}")
    return spec


def prepare(nb: NotebookNode, lang: str, badge_src: str, slider_html=None) -> NotebookNode:
    """A copy of ``nb`` fit for a static page: local badge, widget outputs replaced by a note.

    ``slider_html(spec)``: the HTML of a draggable figure for a widget output's slider record
    (or None: the note alone).
    """
    nb = copy.deepcopy(nb)
    local_badge = f'<img src="{badge_src}" alt="Open In Colab" width="117" height="20">'
    note = f'<p class="lossviz-widget-note">{html.escape(t("widget_note", lang))}</p>'
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace(f"![Open In Colab]({BADGE_IMAGE})", local_badge)
        elif cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                if is_widget_output(output):
                    spec = slider_spec_of(output)
                    live = slider_html(spec) if spec is not None and slider_html is not None else None
                    output = nbformat.v4.new_output("display_data", data={"text/html": live or note})
                outputs.append(output)
            cell.outputs = outputs
    nb.metadata.pop("widgets", None)  # no widget state: no widget manager script
    return nb


# ---------------------------------------------------------------------------------------------
# Slider frames
# ---------------------------------------------------------------------------------------------


def _decimals(x: float) -> int:
    """Decimal places of a slider step as written (0.05 -> 2, 2.0 -> 0)."""
    text = f"{x:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def slider_grid(sliders: Sequence[dict], budget: int = FRAME_BUDGET) -> list[list[float]]:
    """The values of each slider the site draws: about ``budget`` combinations in all.

    One slider: every step (or every k-th step when there are more than ``budget``); d sliders:
    about ``budget ** (1/d)`` values each, evenly spaced from the low end.  Every grid holds
    both ends of the range and the slider's starting value (the page opens on the notebook's
    picture).
    """
    if not sliders:
        raise ValueError("sliders must hold at least one slider, got []")
    budget = int(budget)
    if budget < 2 ** len(sliders):
        raise ValueError(f"budget must be >= 2**{len(sliders)} (both ends of every slider), got {budget}")
    per = max(2, int(budget ** (1 / len(sliders)) + 1e-9))
    grids = []
    for s in sliders:
        low, high, step, value = (float(s[k]) for k in ("low", "high", "step", "value"))
        if not (step > 0 and low <= value <= high):
            raise ValueError(f"slider {s.get('name')!r}: needs step > 0 and low <= value <= high, got {s}")
        steps = int(math.floor((high - low) / step + 1e-9))
        stride = max(1, math.ceil(steps / (per - 1)))
        digits = _decimals(step) + 2
        values = {round(low + k * stride * step, digits) for k in range(steps // stride + 1)}
        grids.append(sorted(values | {round(high, digits), round(value, digits)}))
    return grids


def _spec_key(spec: dict) -> str:
    return json.dumps({"figure": spec["figure"], "kwargs": spec["kwargs"], "sliders": spec["sliders"]},
                      sort_keys=True, ensure_ascii=True)


def frames_folder(spec: dict) -> str:
    """``<figure id>-<8 hex>``: one folder per figure, keyword arguments (lang) and sliders."""
    digest = hashlib.sha256(_spec_key(spec).encode()).hexdigest()[:8]
    return f"{re.sub(r'[^a-z0-9_]+', '_', spec['figure'].lower())}-{digest}"


def render_frames(spec: dict, folder: Path, budget: int = FRAME_BUDGET) -> int:
    """Draw the figure of ``spec`` at every point of its grid into ``folder``/N.png; bytes written."""
    from PIL import Image

    from lossviz.notebook import setup
    from lossviz.plots import FIGURES

    if spec["figure"] not in FIGURES:
        raise SiteError(f"slider figure {spec['figure']!r} is not in lossviz.plots.FIGURES "
                        f"(registered: {sorted(FIGURES)})")
    kwargs = dict(spec["kwargs"])
    setup(kwargs.get("lang", LANGS[0]))  # the notebook's fonts and figure defaults
    live = FIGURES[spec["figure"]].func(**kwargs)
    names = [s.name for s in live.sliders]
    if names != [s["name"] for s in spec["sliders"]]:
        raise SiteError(f"figure {spec['figure']!r} now has sliders {names}; the notebook recorded "
                        f"{[s['name'] for s in spec['sliders']]}: rebuild the notebooks")
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n, values in enumerate(itertools.product(*slider_grid(spec["sliders"], budget))):
        live.update(**dict(zip(names, values, strict=True)))
        frame = Image.fromarray(live.render_rgba()).convert("RGB")
        path = folder / f"{n}.png"
        # zlib level 6: 10 % larger than optimize=True, a fifth of its time
        frame.quantize(256, method=Image.Quantize.FASTOCTREE).save(path, format="png", compress_level=6)
        total += path.stat().st_size
    return total


def _render_frames_job(args: tuple[dict, str, int]) -> tuple[str, int, float]:
    spec, folder, budget = args
    t0 = time.perf_counter()
    partial = Path(f"{folder}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    size = render_frames(spec, partial, budget)
    try:
        partial.rename(folder)  # complete or absent: never a half-drawn figure in the cache
    except OSError:  # drawn meanwhile by another build
        shutil.rmtree(partial, ignore_errors=True)
    return folder, size, time.perf_counter() - t0


def frames_cache() -> Path:
    """Where drawn frames are kept between builds."""
    if os.environ.get("LOSSVIZ_FRAMES_CACHE"):
        return Path(os.environ["LOSSVIZ_FRAMES_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "lossviz" / "site-frames"


@functools.cache
def _code_stamp() -> str:
    """A digest of what draws the frames: every lossviz source file, matplotlib's and Pillow's versions."""
    import matplotlib
    import PIL

    import lossviz

    digest = hashlib.sha256(f"{matplotlib.__version__} {PIL.__version__} {FRAME_BUDGET}".encode())
    package = Path(lossviz.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def slider_html(spec: dict, lang: str, prefix: str, budget: int = FRAME_BUDGET) -> str:
    """The draggable figure: a range input per slider, the frame image, the note."""
    esc = html.escape
    grids = slider_grid(spec["sliders"], budget)
    base = f"{prefix}assets/frames/{frames_folder(spec)}/"
    start = []
    controls = []
    for s, grid in zip(spec["sliders"], grids, strict=True):
        i = min(range(len(grid)), key=lambda k: abs(grid[k] - float(s["value"])))
        start.append(i)
        digits = max(2, min(4, _decimals(grid[1] - grid[0] if len(grid) > 1 else s["step"])))
        shown = [f"{v:.{digits}f}" for v in grid]
        controls.append(
            f'<label><span>{esc(s["label"])}</span> '
            f'<input type="range" min="0" max="{len(grid) - 1}" step="1" value="{i}" '
            f'data-values="{",".join(shown)}" aria-label="{esc(s["label"])}">'
            f"<output>{shown[i]}</output></label>")
    n = 0
    for i, grid in zip(start, grids, strict=True):
        n = n * len(grid) + i
    return (f'<div class="lossviz-slider" data-frames="{base}" data-figure="{esc(spec["figure"])}">'
            f'<p class="lossviz-widget-note">{esc(t("slider_note", lang))}</p>'
            f'<div class="lossviz-slider-controls">{"".join(controls)}</div>'
            f'<img class="lossviz-slider-frame" src="{base}{n}.png" alt="{esc(t("slider_alt", lang))}">'
            "</div>")


def write_frames(out: Path, specs: Iterable[dict], budget: int = FRAME_BUDGET, jobs: int | None = None,
                 log=print) -> int:
    """Every distinct figure of ``specs`` under ``out``/assets/frames/ (from the cache, drawn
    there first when missing); bytes written."""
    wanted = {frames_folder(s): s for s in specs}
    if not wanted:
        return 0
    cache = frames_cache() / f"{_code_stamp()}-{budget}"
    cache.mkdir(parents=True, exist_ok=True)
    week = time.time() - 7 * 86400
    for old in cache.parent.iterdir():  # frames of older code, unused for a week
        if old != cache and old.is_dir() and old.stat().st_mtime < week:
            shutil.rmtree(old, ignore_errors=True)
    os.utime(cache)
    args = [(spec, str(cache / name), budget) for name, spec in sorted(wanted.items())
            if not (cache / name).is_dir()]
    # the costly figures first: the pool ends together
    args.sort(key=lambda a: -math.prod(len(g) for g in slider_grid(a[0]["sliders"], budget)))
    jobs = jobs or int(os.environ.get("LOSSVIZ_SITE_JOBS", 0)) or min(len(args), os.cpu_count() or 1)
    if len(wanted) > len(args):
        log(f"frames: {len(wanted) - len(args)} of {len(wanted)} figures from {cache}")
    if jobs <= 1:
        results = map(_render_frames_job, args)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        results = pool.map(_render_frames_job, args)
    try:
        for folder, size, seconds in results:
            log(f"frames {Path(folder).name}: {size / 1e6:.1f} MB ({seconds:.1f} s)")
    finally:
        if jobs > 1:
            pool.shutdown()
    total = 0
    for name in wanted:
        target = out / "assets" / "frames" / name
        shutil.copytree(cache / name, target)
        total += sum(p.stat().st_size for p in target.iterdir())
    return total


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

# MathJax 2.7 (TeX input, HTML-CSS output with the STIX-Web web fonts, which load from file:// too).
# Two of its defaults fetch fonts that jupyter-server-mathjax does not ship, or 'about:blank' (a CORS
# error from file://): the blank test font and the TeX fonts of the NativeMML styles, which the hidden
# assistive MathML would use.  They are pointed at local() faces: nothing is requested, nothing fails.
_NO_WEB_FONTS = {
    "@font-face /*1*/": ("MathJax_Caligraphic-WEB", "normal"),
    "@font-face /*2*/": ("MathJax_Caligraphic-WEB", "bold"),
    "@font-face /*3*/": ("MathJax_AMS-WEB", "normal"),
    "@font-face /*4*/": ("MathJax_Script-WEB", "normal"),
    "@font-face /*5*/": ("MathJax_Fraktur-WEB", "normal"),
    "@font-face /*6*/": ("MathJax_Fraktur-WEB", "bold"),
}
_NATIVE_STYLES = ", ".join(
    f'"{key}": {{"font-family": "{family}", "font-weight": "{weight}", src: "local(\'{family[:-4]}\')"}}'
    for key, (family, weight) in _NO_WEB_FONTS.items())
MATHJAX_CONFIG = _template("mathjax-config.html").rstrip("\n").replace("NATIVE_STYLES", _NATIVE_STYLES)


def _mathjax(prefix: str) -> str:
    src = f"{prefix}assets/mathjax/MathJax.js?config={MATHJAX_BUNDLE}"
    return f'{MATHJAX_CONFIG}\n<script src="{src}"></script>'


# A notebook page: nbconvert's "lab" template with the site's head, navigation and footer.
SITE_TEMPLATE = _template("notebook.html.j2")
# The chooser and the two maps; str.format fields {lang} {title} {prefix} {mathjax} {body}.
PAGE_TEMPLATE = _template("page.html")


@functools.cache
def _exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    loader = DictLoader({"lossviz_site.html.j2": SITE_TEMPLATE})
    quiet = logging.getLogger("tools.build_site.nbconvert")  # figures without alt text: set below
    quiet.setLevel(logging.ERROR)
    return HTMLExporter(template_name="lab", extra_loaders=[loader], template_file="lossviz_site.html.j2",
                        exclude_anchor_links=False, language_code="zh", log=quiet)


def _nav(page: Page, pages: Sequence[Page], other: Page | None) -> str:
    lang = page.lang
    other_lang = _other(lang)
    other_href = f"../{other_lang}/{other.href if other else 'index.html'}"
    index = pages.index(page)
    esc = html.escape
    links = [f'<a class="lossviz-home" href="index.html">{esc(t("map", lang))}</a>']
    if index > 0:
        links.append(f'<a class="lossviz-prev" href="{pages[index - 1].href}">← {esc(t("prev", lang))}</a>')
    if index + 1 < len(pages):
        links.append(f'<a class="lossviz-next" href="{pages[index + 1].href}">{esc(t("next", lang))} →</a>')
    links.append(f'<a class="lossviz-lang" href="{other_href}" hreflang="{other_lang}" lang="{other_lang}">'
                 f"{SWITCH_LABEL[other_lang]}</a>")
    return '<nav class="lossviz-nav">' + " ".join(links) + "</nav>"


_IPYNB_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|//|#)([^"#]*?)([0-9]{2}_[a-z0-9_]+)\.ipynb(#[^"]*)?"')
_GLOSSARY_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|//)[^"#]*GLOSSARY\.md"')


def _local_links(body: str) -> str:
    """Links between notebooks (NN_name.ipynb) and to GLOSSARY.md -> the pages of this site."""
    body = _IPYNB_LINK.sub(lambda m: f'href="{m.group(2)}.html{m.group(3) or ""}"', body)
    return _GLOSSARY_LINK.sub('href="index.html#glossary"', body)


def render_notebook(page: Page, pages: Sequence[Page], other: Page | None, frames: bool = False) -> str:
    """The page of one notebook; ``frames``: draggable figures (their frames written by the build)."""
    draggable = functools.partial(slider_html, lang=page.lang, prefix="../") if frames else None
    nb = prepare(_read(page.path), page.lang, "../assets/colab-badge.svg", draggable)
    nb.metadata["title"] = f"{page.title} · lossviz"
    site = {
        "mathjax": _mathjax("../") + '\n<script src="../assets/sliders.js" defer></script>',
        "nav": _nav(page, pages, other),
        "footer": f'<footer class="lossviz-footer">{_nav(page, pages, other)}</footer>',
    }
    body, _ = _exporter().from_notebook_node(nb, resources={"site": site})
    # nbconvert takes a bare ISO 639-1 code ("zh"); the script decides the CJK font, so say it
    body = re.sub(r'^(<!DOCTYPE html>\s*<html) lang="[^"]*"', rf'\1 lang="{HTML_LANG[page.lang]}"', body,
                  count=1)
    body = body.replace(f'alt="{NBCONVERT_ALT}"', f'alt="{html.escape(t("figure", page.lang))}"')
    return _local_links(body)


def _document(lang_attr: str, title: str, body: str, prefix: str) -> str:
    """A page of the site's own (the chooser, the maps): tools/site/page.html filled in."""
    return PAGE_TEMPLATE.format(lang=lang_attr, title=html.escape(title), prefix=prefix,
                                mathjax=_mathjax(prefix), body=body)


def _notebooks_using(entry_id: str, sources: dict[str, str]) -> list[str]:
    pattern = re.compile(rf"\blossviz\.{re.escape(entry_id)}\b")
    return [stem for stem, code in sources.items() if pattern.search(code)]


def render_index(lang: str, pages: Sequence[Page], sources: dict[str, str],
                 glossary_path: Path = GLOSSARY_TSV, guides: Path | None = None) -> str:
    import lossviz

    other_lang = _other(lang)
    esc = html.escape
    out = [
        '<nav class="lossviz-nav">'
        f'<a class="lossviz-home" href="../index.html">lossviz</a> '
        f'<a class="lossviz-lang" href="../{other_lang}/index.html" hreflang="{other_lang}" '
        f'lang="{other_lang}">{SWITCH_LABEL[other_lang]}</a></nav>',
        f"<h1>lossviz · {esc(t('map', lang))}</h1>",
        f"<p class=\"lossviz-tagline\">{esc(t('tagline', lang))}</p>",
        f"<p>{esc(t('offline', lang))}</p>",
        f'<h2 id="notebooks">{esc(t("notebooks", lang))}</h2>',
        f"<p>{esc(t('notebooks_intro', lang))}</p>",
        '<ol class="lossviz-notebooks">',
    ]
    out += [f'<li><a href="{p.href}">{esc(p.title)}</a> <code>{p.stem}</code></li>' for p in pages]
    out.append("</ol>")
    out += _guide_list(lang, pages, GUIDES if guides is None else guides)

    out += [f'<h2 id="guide">{esc(t("guide", lang))}</h2>', f"<p>{esc(t('guide_intro', lang))}</p>"]
    by_family: dict[str, list] = {}
    for entry in lossviz.catalog().values():
        by_family.setdefault(entry.family, []).append(entry)
    titles = {p.stem: p for p in pages}
    for family, entries in by_family.items():
        name = tr(FAMILY_NAMES.get(family, family), lang)
        out += [f'<section class="lossviz-family" id="family-{family}">',
                f"<h3>{esc(name)} <small>{esc(family)}</small></h3>",
                f"<p>{esc(tr(FAMILY_TASKS.get(family, ''), lang))}</p>",
                '<table class="lossviz-guide">',
                f"<thead><tr><th>{esc(t('loss', lang))}</th><th>{esc(t('formula', lang))}</th>"
                f"<th>{esc(t('used_in', lang))}</th></tr></thead>", "<tbody>"]
        for entry in entries:
            used = [f'<a href="{titles[s].href}" title="{esc(titles[s].title)}">{s[:2]}</a>'
                    for s in _notebooks_using(entry.id, sources) if s in titles]
            out.append(
                f'<tr id="loss-{entry.id}"><td><strong>{esc(tr(entry.names["zh-TW"], lang))}</strong><br>'
                f'<span class="lossviz-en">{esc(entry.names.get("en", ""))}</span> '
                f"<code>lossviz.{esc(entry.id)}</code></td>"
                f'<td class="lossviz-formula"><div>\\( \\displaystyle {esc(entry.formula)} \\)</div></td>'
                f"<td>{' '.join(used)}</td></tr>")
        out += ["</tbody>", "</table>", "</section>"]

    out += [f'<h2 id="glossary">{esc(t("glossary", lang))}</h2>', f"<p>{esc(t('glossary_intro', lang))}</p>"]
    section = None
    for term in read_glossary(glossary_path):
        if term.section != section:
            if section is not None:
                out += ["</tbody>", "</table>"]
            section = term.section
            out += [f"<h3>{esc(section or t('glossary', lang))}</h3>", '<table class="lossviz-glossary">',
                    f'<thead><tr><th lang="zh-TW">繁體 zh-TW</th><th lang="zh-CN">简体 zh-CN</th>'
                    f"<th>English</th><th>{esc(t('note', lang))}</th></tr></thead>", "<tbody>"]
        out.append(f'<tr><td lang="zh-TW">{esc(term.zh_tw)}</td><td lang="zh-CN">{esc(term.zh_cn)}</td>'
                   f'<td lang="en">{esc(term.en)}</td><td>{esc(term.note)}</td></tr>')
    if section is not None:
        out += ["</tbody>", "</table>"]
    return _document(HTML_LANG[lang], f"lossviz · {t('map', lang)}", "\n".join(out), "../")


# ---------------------------------------------------------------------------------------------
# Teacher's guides (notebooks/guides/<lang>/NN_name.md, tools/build_guides.py): a page each
# ---------------------------------------------------------------------------------------------

GUIDES = NOTEBOOKS / "guides"


def guide_paths(lang: str, guides: Path = GUIDES) -> list[Path]:
    """The generated guides of ``lang`` (notebooks/guides/<lang>/NN_name.md), sorted."""
    return sorted(p for p in (guides / lang).glob("*.md") if NOTEBOOK_NAME.match(p.stem))


def _guide_list(lang: str, pages: Sequence[Page], guides: Path = GUIDES) -> list[str]:
    titles = {p.stem: p.title for p in pages}
    items = [f'<li><a href="guides/{g.stem}.html">{html.escape(titles.get(g.stem, g.stem))}</a></li>'
             for g in guide_paths(lang, guides)]
    if not items:
        return []
    return [f'<h2 id="guides">{html.escape(t("guides", lang))}</h2>',
            f"<p>{html.escape(t('guides_intro', lang))}</p>", '<ul class="lossviz-guides">', *items, "</ul>"]


def render_guide(path: Path, lang: str, notebook: Page | None) -> str:
    """A guide as a page ``<lang>/guides/NN_name.html``: its Markdown, a link to its notebook page."""
    from nbconvert.filters import markdown2html

    text = path.read_text(encoding="utf-8")
    title = text.split("\n", 1)[0].lstrip("# ").strip()
    other = _other(lang)
    esc = html.escape
    links = [f'<a class="lossviz-home" href="../index.html#guides">{esc(t("map", lang))}</a>']
    if notebook is not None:
        links.append(f'<a href="../{notebook.href}">{esc(t("notebook", lang))}：{esc(notebook.title)}</a>')
    twin = path.parent.parent / other / path.name
    other_href = f"../../{other}/guides/{path.stem}.html" if twin.is_file() else f"../../{other}/index.html"
    links.append(f'<a class="lossviz-lang" href="{other_href}" hreflang="{other}" lang="{other}">'
                 f"{SWITCH_LABEL[other]}</a>")
    nav = '<nav class="lossviz-nav">' + " ".join(links) + "</nav>"
    return _document(HTML_LANG[lang], f"{title} · lossviz", nav + "\n" + markdown2html(text), "../../")


def render_chooser(counts: dict[str, int]) -> str:
    items = []
    for lang in LANGS:
        items.append(
            f'<li lang="{HTML_LANG[lang]}"><a class="lossviz-lang" href="{lang}/index.html" '
            f'hreflang="{lang}">{SWITCH_LABEL[lang]}</a> <span>{html.escape(t("tagline", lang))}</span> '
            f"<small>{html.escape(tr(TEXT['count'].format(n=counts[lang]), lang))}</small></li>")
    body = "\n".join(['<h1>lossviz</h1>', '<ul class="lossviz-chooser">', *items, "</ul>"])
    return _document("zh", "lossviz", body, "")


# ---------------------------------------------------------------------------------------------
# Assets
# ---------------------------------------------------------------------------------------------

SITE_CSS = _template("style.css")
SLIDERS_JS = _template("sliders.js")

COLAB_BADGE_SVG = _template("colab-badge.svg")  # stands in for the remote badge image

# MathJax 2.7 as jupyter-server-mathjax ships it: the combined configuration (TeX input, HTML-CSS
# output) with the STIX-Web web fonts.  Its jax/output/SVG holds fonts without the SVG jax: not copied.
MATHJAX_BUNDLE = "TeX-AMS-MML_HTMLorMML-full"
MATHJAX_PARTS = ("MathJax.js", "LICENSE", f"config/{MATHJAX_BUNDLE}.js", "extensions", "jax/input",
                 "jax/element", "jax/output/HTML-CSS", "fonts/HTML-CSS/STIX-Web/woff")


def mathjax_source() -> Path:
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise SiteError("the site needs MathJax 2.7 from the PyPI package jupyter-server-mathjax "
                        "(pip install jupyter-server-mathjax): it is not installed") from exc
    static = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
    missing = [part for part in MATHJAX_PARTS if not (static / part).exists()]
    if missing:
        raise SiteError(f"{static} lacks {missing}: jupyter-server-mathjax changed its layout")
    return static


def write_assets(out: Path) -> None:
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "site.css").write_text(SITE_CSS, encoding="utf-8")
    (assets / "sliders.js").write_text(SLIDERS_JS, encoding="utf-8")
    (assets / "colab-badge.svg").write_text(COLAB_BADGE_SVG, encoding="utf-8")
    copy_mathjax(assets / "mathjax")


def copy_mathjax(dest: Path) -> None:
    """MathJax 2.7's parts (:data:`MATHJAX_PARTS`) into ``dest``, which :func:`_mathjax`'s pages load
    as ``<prefix>assets/mathjax/``; the site and the slides (tools/build_slides.py) both use it."""
    static = mathjax_source()
    for part in MATHJAX_PARTS:
        src, dst = static / part, dest / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


# ---------------------------------------------------------------------------------------------
# Offline check
# ---------------------------------------------------------------------------------------------

# Attributes whose URL the browser fetches by itself (a plain <a href> is a link, not a load).
LOADING = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("video", "poster"),
           ("input", "src"), ("track", "src")}


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if (tag, name) in LOADING:
                self.loads.append((tag, name, value))
            elif tag == "a" and name == "href":
                self.links.append(value)
            elif name == "srcset":
                self.loads += [(tag, name, part.strip().split(" ")[0])
                               for part in value.split(",") if part.strip()]

    handle_startendtag = handle_starttag


def references(text: str) -> _References:
    parser = _References()
    parser.feed(text)
    parser.close()
    return parser


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or (bool(parts.scheme) and parts.scheme != "data")


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


def remote_references(text: str) -> list[str]:
    """Everything in an HTML page that the browser would fetch from another host."""
    refs = references(text)
    found = [f"<{tag} {name}={url!r}>" for tag, name, url in refs.loads if _is_remote(url)]
    found += [f"css url({url!r})" for url in _CSS_URL.findall(text) if _is_remote(url)]
    found += [f"@import {m!r}" for m in re.findall(r"@import\s+['\"]?(https?:[^'\";\s]+)", text)]
    found += [f"script {m!r}" for m in re.findall(r"""import\(\s*["'](https?:[^"']+)""", text)]
    return found


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


def _code_text(nb: NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def prepare_out(out: Path, *, marker: str = MARKER, what: str = "lossviz site",
                tool: str = "tools.build_site", error: type[Exception] = SiteError) -> None:
    """Empty ``out`` for a new build: only a folder that a build of ``tool`` marked (``marker``) is
    replaced; any other non-empty folder is an ``error`` (the site and the slides both use it)."""
    if out.exists():
        if not out.is_dir():
            raise error(f"--out {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / marker).exists():
            raise error(f"--out {out} is a non-empty folder that is not a {what} "
                        f"(no {marker}); refusing to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / marker).write_text(f"built by python -m {tool}; replaced by the next build\n", encoding="utf-8")


def build(out: Path = DEFAULT_OUT, notebooks: Path = NOTEBOOKS, glossary: Path = GLOSSARY_TSV,
          log=print, frames: bool = True) -> list[Path]:
    """Write the site into ``out``; return the HTML files written.

    ``frames``: draw the slider figures' frames (draggable figures); False: notes only.
    """
    paths = notebook_paths(notebooks)
    if not any(paths.values()):
        raise SiteError(f"no executed notebooks in {notebooks}/{{{','.join(LANGS)}}}/NN_name.ipynb")
    out = Path(out)
    prepare_out(out)
    write_assets(out)
    pages: dict[str, list[Page]] = {}
    sources: dict[str, str] = {}
    specs: list[dict] = []
    for lang in LANGS:
        pages[lang] = []
        for path in paths[lang]:
            nb = _read(path)
            pages[lang].append(Page(lang, path.stem, notebook_title(nb, path.stem), path))
            if lang == LANGS[0] or path.stem not in sources:
                sources[path.stem] = _code_text(nb)
            specs += [spec for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                      if is_widget_output(o) and (spec := slider_spec_of(o)) is not None]
    if frames:
        t0 = time.perf_counter()
        size = write_frames(out, specs, log=log)
        log(f"frames: {len({frames_folder(s) for s in specs})} figures, {size / 1e6:.1f} MB "
            f"in {time.perf_counter() - t0:.1f} s")
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        problems = remote_references(text)
        if problems:
            raise SiteError(f"{rel} would load from another host: {problems[:5]}")
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)

    write("index.html", render_chooser({lang: len(pages[lang]) for lang in LANGS}))
    for lang in LANGS:
        others = {p.stem: p for p in pages[_other(lang)]}
        write(f"{lang}/index.html", render_index(lang, pages[lang], sources, glossary, notebooks / "guides"))
        for page in pages[lang]:
            t0 = time.perf_counter()
            write(f"{lang}/{page.href}", render_notebook(page, pages[lang], others.get(page.stem), frames))
            log(f"{lang}/{page.href}  {page.title}  ({time.perf_counter() - t0:.1f} s)")
        by_stem = {p.stem: p for p in pages[lang]}
        for guide in guide_paths(lang, notebooks / "guides"):
            write(f"{lang}/guides/{guide.stem}.html", render_guide(guide, lang, by_stem.get(guide.stem)))
    return written


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_site", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: _site)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    parser.add_argument("--no-frames", action="store_true",
                        help="no precomputed slider frames: widget outputs become notes (a faster build)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    t0 = time.perf_counter()
    try:
        written = build(args.out, args.notebooks, frames=not args.no_frames)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(f"wrote {len(written)} pages ({size / 1e6:.1f} MB in all) to {_display(args.out)}/ "
          f"in {time.perf_counter() - t0:.1f} s; "
          f"open {_display(args.out / 'index.html')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
