"""Build the notebooks: one zh-TW source -> executed zh-TW and zh-CN notebooks.

Usage (from the repository root)::

    python -m tools.build_notebooks                  # every notebooks/src/*.md, both scripts, executed
    python -m tools.build_notebooks 03_entropy 05    # only these (file stem, or its number)
    python -m tools.build_notebooks --no-execute     # inputs only: the notebooks are written WITHOUT outputs
    python -m tools.build_notebooks --check          # nothing written; exit 1 if a notebook is stale

What the build does for each ``notebooks/src/NN_name.md`` (jupytext MyST Markdown, zh-TW):

1. reads the source and refuses what the build itself injects (a Colab badge, the setup cell) and
   Chinese outside comments and string literals of code cells;
2. cuts markdown cells before each ``#``/``##``/``###`` heading (:func:`split_at_headings`), gives every
   cell a slide type (cell metadata ``slideshow.slide_type``, what ``make slides`` and RISE read:
   :func:`slide_types` says the rule; a source cell may override it) and
   injects the "Open in Colab" badge at the start of the first markdown cell and the setup cell
   (Colab-only ``pip install``, ``from lossviz.notebook import fmt, setup, within``, ``nb = setup(lang)``,
   ``print(nb)``) as the first code cell;
3. converts the zh-TW notebook to zh-CN with :func:`tools.convert.to_zh_cn` (OpenCC tw2sp + the
   glossary) -- markdown cells whole, code cells whole (the build checks that only Chinese text
   changed), then replaces the literal ``"zh-TW"`` by ``"zh-CN"`` in code cells and the
   ``notebooks/zh-TW/`` path in the badge, nothing else;
4. executes both with nbclient (kernel: this interpreter; cwd: the notebook's folder; 120 s per
   cell), prints each notebook's wall time, and strips what would make ``git diff`` or strict
   nbval noisy: execution timings, widget state and widget views (random model ids), cell metadata
   other than tags and slide types, split stream outputs, machine paths in tracebacks, the Python version;
5. writes ``notebooks/zh-TW/NN_name.ipynb`` and ``notebooks/zh-CN/NN_name.ipynb`` and regenerates
   ``notebooks/GLOSSARY.md`` from ``notebooks/glossary.tsv``.

Exercises and their solutions come from the same source: a code cell tagged ``exercise`` (the
blank, ``answer_1 = None``) is directly followed by its twin tagged ``solution`` (the worked
answer).  The learner notebooks above drop the ``solution`` cells; the teachers' copies
``notebooks/solutions/<lang>/NN_name.ipynb`` drop the ``exercise`` cells instead and are built,
executed and checked for staleness the same way.

Why one module of ~540 lines: the build is one pipeline (read, inject, convert, execute,
compare) whose steps share the cell tags and paths defined here; the notebook runner itself
lives in tools/nbrun.py.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import io
import json
import re
import sys
import tokenize
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lossviz._meta import DEFAULT_BRANCH, LANGS, REPOSITORY_URL
from lossviz.widgets import SLIDER_MIME

from . import nbrun
from .convert import GLOSSARY_MD, GLOSSARY_TSV, HAN, glossary_markdown, mask_cjk, read_glossary, to_zh_cn
from .nbrun import CELL_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
SOURCE_LANG, TARGET_LANG = LANGS  # written by hand / converted
BUDGET_S = 20  # each notebook should run in at most this many seconds
EXERCISE_TAG, SOLUTION_TAG = "exercise", "solution"
VARIANTS = ("learner", "solutions")  # notebooks/<lang>/ and notebooks/solutions/<lang>/
NAME = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# what a reader without a kernel (GitHub, nbviewer) sees in place of a widget's raw repr
WIDGET_NOTE_TW = ("（互動滑桿：在 Jupyter 或 Colab 執行這個儲存格就能拖動；"
                  "下一個儲存格的靜態圖不執行也能看。）")
# name python3: what Colab, nbclient and nbval look for.  The display name is what `make install`
# registers for that kernel (Makefile, tests/test_lab_setup.py); written in characters that are the
# same in both scripts, so one installed kernelspec names both notebooks' kernel the same way.
KERNEL_DISPLAY_NAME = "Python 3（lossviz 教材）"
KERNELSPEC = {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": "python3"}
# Slide types (cell metadata ``slideshow.slide_type``, what nbconvert's slides and RISE read).
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
WIDGET_TAG = "nbval-ignore-output"  # a cell that shows a live widget (its static twin follows)
LANGUAGE_INFO = {  # what ipykernel reports, minus the Python version
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}

__all__ = [
    "BuildError",
    "colab_url",
    "badge",
    "setup_source",
    "source_paths",
    "build_inputs",
    "select_cells",
    "split_at_headings",
    "slide_types",
    "variant_root",
    "execute",
    "clean_outputs",
    "write_notebook",
    "cell_inputs",
    "stale_report",
    "build",
    "main",
]


class BuildError(RuntimeError):
    """A source the build refuses, or a notebook that failed to execute."""


# ---------------------------------------------------------------------------------------------
# What the build injects
# ---------------------------------------------------------------------------------------------


def _github_repo(url: str = REPOSITORY_URL) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.scheme != "https" or parts.netloc != "github.com" or len(path) != 2 or not all(path):
        raise BuildError(f"REPOSITORY_URL must look like https://github.com/<owner>/<repo>, got {url!r}")
    return path[0], path[1]


def colab_url(lang: str, stem: str) -> str:
    """The Colab address of the committed notebook ``notebooks/<lang>/<stem>.ipynb``."""
    owner, repo = _github_repo()
    return (f"https://colab.research.google.com/github/{owner}/{repo}/blob/{DEFAULT_BRANCH}/"
            f"notebooks/{lang}/{stem}.ipynb")


def badge(lang: str, stem: str) -> str:
    """The "Open in Colab" badge (Markdown) that starts the first markdown cell."""
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(lang, stem)})"


def _install_argv() -> list[str]:
    """The pip arguments of ``lossviz.notebook.colab_install_command``, after ``sys.executable``.

    The setup cell must spell the command out (lossviz is not installed yet when it runs on
    Colab); taking it from lossviz.notebook keeps the one definition of it.
    """
    from lossviz.notebook import colab_install_command

    argv = list(colab_install_command(REPOSITORY_URL))
    if not argv or argv[0] != sys.executable or not all(isinstance(a, str) for a in argv):
        raise BuildError(f"colab_install_command must return [sys.executable, ...], got {argv!r}")
    return argv[1:]


def setup_source(lang: str) -> str:
    """The first code cell of every notebook, in zh-TW (the zh-CN one is converted from it)."""
    args = ", ".join(json.dumps(arg) for arg in _install_argv())
    return "\n".join([
        "# 這個儲存格由建置工具自動產生：只在 Colab 上安裝 lossviz，再設定中文字型、亂數種子與語言。",
        "%matplotlib inline",
        "import importlib.util",
        "import subprocess",
        "import sys",
        "",
        'if importlib.util.find_spec("google") and importlib.util.find_spec("google.colab"):',
        f"    subprocess.run([sys.executable, {args}], check=True)",
        "",
        "from lossviz.notebook import fmt, setup, within",
        "",
        f"nb = setup({json.dumps(lang)})",
        "print(nb)",
    ])


# ---------------------------------------------------------------------------------------------
# Sources -> notebook inputs (no outputs)
# ---------------------------------------------------------------------------------------------


def source_paths(names: Sequence[str] = (), folder: Path = SOURCES) -> list[Path]:
    """The sources named by ``names`` (stem, "NN", file name or path); all of them when empty."""
    every = sorted(folder.glob("*.md"))
    if not names:
        return every
    chosen: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".md" and path.is_file():
            found = [path.resolve()]
        else:
            stem = path.name.removesuffix(".md").removesuffix(".ipynb")
            found = [p for p in every if p.stem == stem or p.stem.split("_", 1)[0] == stem]
        if len(found) != 1:
            raise BuildError(f"name {name!r} must match exactly one of {[p.stem for p in every]}, "
                             f"got {len(found)}")
        chosen += [p for p in found if p not in chosen]
    return chosen


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _literal_token_types() -> set[int]:
    types = {tokenize.STRING, tokenize.COMMENT}
    if hasattr(tokenize, "FSTRING_MIDDLE"):  # Python >= 3.12 splits f-strings
        types.add(tokenize.FSTRING_MIDDLE)
    return types


def cjk_outside_literals(source: str) -> list[str]:
    """Pieces of a code cell that hold Chinese outside comments and string literals.

    IPython magics are first turned into Python (``%pip ...`` becomes a call with a string).
    A cell that does not tokenize is not checked here (the build still checks that conversion
    changed nothing but Chinese).
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        python = TransformerManager().transform_cell(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(python).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError, ImportError):
        return []
    literal = _literal_token_types()
    return [tok.string for tok in tokens if tok.type not in literal and HAN.search(tok.string)]


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _metadata(lang: str, source: Path) -> dict:
    return {
        "kernelspec": dict(KERNELSPEC),
        "language_info": copy.deepcopy(LANGUAGE_INFO),
        "lossviz": {"lang": lang, "source": _relative(source)},
    }


def read_source(path: Path) -> NotebookNode:
    """The zh-TW source as a notebook; refuses what the build injects itself."""
    if not NAME.match(path.stem):
        raise BuildError(f"{path.name}: a source is named NN_name.md (ASCII: digits, a-z, _), "
                         f"got {path.name!r}")
    src = jupytext.read(path, fmt="md:myst")
    for number, cell in enumerate(src.cells, start=1):
        text = cell.source
        if "colab.research.google.com" in text:
            raise BuildError(f"{path.name}, cell {number}: remove the Colab badge; the build adds it")
        if "lossviz.notebook import" in text or re.search(r"^\s*nb\s*=\s*setup\(", text, re.M):
            raise BuildError(f"{path.name}, cell {number}: remove the setup code; the build injects "
                             f"the setup cell as the first code cell")
        if cell.cell_type == "code":
            outside = cjk_outside_literals(text)
            if outside:
                raise BuildError(f"{path.name}, cell {number}: Chinese outside comments and strings "
                                 f"(it would be converted for zh-CN): {outside}")
        elif cell.cell_type != "markdown":
            raise BuildError(f"{path.name}, cell {number}: only markdown and code cells, "
                             f"got {cell.cell_type!r}")
    return src


def _new_cell(cell_type: str, source: str, tags: Sequence[str], index: int,
              slide_type: str = "-") -> NotebookNode:
    metadata = {"slideshow": {"slide_type": slide_type}}
    if tags:
        metadata["tags"] = list(tags)
    cell = (new_code_cell if cell_type == "code" else new_markdown_cell)(source, metadata=metadata)
    cell.id = f"cell-{index:03d}"  # the same in both scripts, stable between builds
    return cell


def _to_zh_cn_code(source: str) -> str:
    converted = to_zh_cn(source)
    if mask_cjk(converted) != mask_cjk(source):  # tw2sp changes Han characters only
        raise BuildError(f"conversion changed more than Chinese text in a code cell:\n{source}")
    for quote in ('"', "'"):
        converted = converted.replace(f"{quote}{SOURCE_LANG}{quote}", f"{quote}{TARGET_LANG}{quote}")
    return converted


def variant_root(out_root: Path, variant: str) -> Path:
    """Where a variant's ``<lang>/`` folders live: ``out_root`` or ``out_root/solutions``."""
    if variant not in VARIANTS:
        raise BuildError(f"variant must be one of {VARIANTS}, got {variant!r}")
    return out_root if variant == "learner" else out_root / "solutions"


def select_cells(cells: Sequence[NotebookNode], variant: str, name: str = "source") -> list[NotebookNode]:
    """The cells of one variant: the learner's drops ``solution`` cells, the solutions' ``exercise`` ones.

    Every ``solution`` cell must directly follow an ``exercise`` code cell (its blank twin), and
    every ``exercise`` cell must be followed by one.
    """
    variant_root(Path("."), variant)
    for number, cell in enumerate(cells, start=1):
        tags = _tags(cell)
        if EXERCISE_TAG in tags and SOLUTION_TAG in tags:
            raise BuildError(f"{name}, cell {number}: a cell is tagged {EXERCISE_TAG!r} or {SOLUTION_TAG!r}, "
                             f"not both")
        if (EXERCISE_TAG in tags or SOLUTION_TAG in tags) and cell.cell_type != "code":
            raise BuildError(f"{name}, cell {number}: only code cells are tagged {EXERCISE_TAG!r} or "
                             f"{SOLUTION_TAG!r}, got a {cell.cell_type} cell")
        if SOLUTION_TAG in tags and (number == 1 or EXERCISE_TAG not in _tags(cells[number - 2])):
            raise BuildError(f"{name}, cell {number}: a {SOLUTION_TAG!r} cell must directly follow its "
                             f"{EXERCISE_TAG!r} cell")
        if EXERCISE_TAG in tags and (number == len(cells) or SOLUTION_TAG not in _tags(cells[number])):
            raise BuildError(f"{name}, cell {number}: an {EXERCISE_TAG!r} cell must be directly followed "
                             f"by its {SOLUTION_TAG!r} cell")
    drop = SOLUTION_TAG if variant == "learner" else EXERCISE_TAG
    return [cell for cell in cells if drop not in _tags(cell)]


def slide_type(cell: NotebookNode) -> str:
    """A built cell's ``slideshow.slide_type`` ("-" when it has none)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def slide_override(cell: NotebookNode, where: str = "source") -> str | None:
    """The slide type a source cell sets itself (``slideshow: {slide_type: ...}``), or None."""
    show = cell.get("metadata", {}).get("slideshow")
    if show is None:
        return None
    kind = show.get("slide_type") if isinstance(show, dict) else None
    if kind not in SLIDE_TYPES or set(show) != {"slide_type"}:
        raise BuildError(f"{where}: slideshow metadata must be {{slide_type: one of {list(SLIDE_TYPES)}}}, "
                         f"got {show!r}")
    return kind


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def split_at_headings(text: str) -> list[str]:
    """A markdown cell cut before every ``#``/``##``/``###`` heading line (outside code fences).

    So each section starts its own cell: a slide in ``make slides`` and in RISE, and a
    collapsible heading in JupyterLab.  Blank lines around a cut are dropped.
    """
    parts: list[list[str]] = [[]]
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _SLIDE_HEADING.match(line) and any(x.strip() for x in parts[-1]):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(part).strip("\n") for part in parts]


_SLIDE_HEADING = re.compile(r"^(#{1,3})\s")


def slide_types(cells: Sequence[tuple[str, str, Sequence[str]]], chosen: Sequence[str | None],
                setup_index: int | None = None) -> list[str]:
    """The slide type of each (kind, source, tags) cell: the rule below, unless ``chosen`` says otherwise.

    The rule (what ``make slides`` shows): a markdown cell that starts with a ``#`` or ``##`` heading
    starts a slide, one that starts with ``###`` a subslide, and so does a markdown cell after a
    shown code cell (text, code, output: one subslide each); the setup cell, exercise and solution
    cells and the live-widget cells (tagged ``nbval-ignore-output``; their static twin stays) are
    skipped; every other cell continues the slide it is in ("-").  So the exercises section is one
    slide holding the tasks' text without their code.  (The build cuts markdown cells before each
    heading first: :func:`split_at_headings`.)  A source cell overrides the rule with
    ``:slideshow: {"slide_type": "subslide"}`` (code cell option) or
    ``+++ {"slideshow": {"slide_type": "subslide"}}`` (before a markdown cell).
    """
    types = []
    for index, ((kind, text, tags), own) in enumerate(zip(cells, chosen, strict=True)):
        heading = _SLIDE_HEADING.match(text) if kind == "markdown" else None
        if own is not None:
            types.append(own)
        elif index == setup_index or {EXERCISE_TAG, SOLUTION_TAG, WIDGET_TAG} & set(tags):
            types.append("skip")
        elif heading or index == 0:
            types.append("subslide" if heading and len(heading.group(1)) == 3 else "slide")
        elif kind == "markdown" and index and cells[index - 1][0] == "code" and types[-1] != "skip":
            types.append("subslide")
        else:
            types.append("-")
    return types


def build_inputs(path: Path, variant: str = "learner") -> dict[str, NotebookNode]:
    """{lang: notebook without outputs} for the source ``path`` (learner or solutions variant)."""
    src = read_source(path)
    stem = path.stem
    cells = select_cells(src.cells, variant, path.name)
    raw, chosen = [], []
    for number, cell in enumerate(cells, start=1):
        own = slide_override(cell, f"{path.name}, cell {number}")
        parts = split_at_headings(cell.source) if cell.cell_type == "markdown" else [cell.source]
        raw += [(cell.cell_type, part, _tags(cell)) for part in parts]
        chosen += [own] + [None] * (len(parts) - 1)
    if not raw or raw[0][0] != "markdown":
        raw.insert(0, ("markdown", "", []))
        chosen.insert(0, None)
    first = raw[0]
    raw[0] = ("markdown", badge(SOURCE_LANG, stem) + ("\n\n" + first[1] if first[1] else ""), first[2])
    first_code = next((i for i, cell in enumerate(raw) if cell[0] == "code"), len(raw))
    raw.insert(first_code, ("code", setup_source(SOURCE_LANG), []))
    chosen.insert(first_code, None)
    slides = slide_types(raw, chosen, setup_index=first_code)

    tw_badge, cn_badge = badge(SOURCE_LANG, stem), badge(TARGET_LANG, stem)
    if variant == "solutions":
        tw_badge_sol = tw_badge.replace(f"/notebooks/{SOURCE_LANG}/", f"/notebooks/solutions/{SOURCE_LANG}/")
        raw[0] = ("markdown", raw[0][1].replace(tw_badge, tw_badge_sol, 1), raw[0][2])
        tw_badge = tw_badge_sol
        cn_badge = cn_badge.replace(f"/notebooks/{TARGET_LANG}/", f"/notebooks/solutions/{TARGET_LANG}/")
    tw = new_notebook(metadata=_metadata(SOURCE_LANG, path))
    tw.cells = [_new_cell(kind, text, tags, i, slides[i]) for i, (kind, text, tags) in enumerate(raw)]

    cn = new_notebook(metadata=_metadata(TARGET_LANG, path))
    for i, cell in enumerate(tw.cells):
        if cell.cell_type == "code":
            text = _to_zh_cn_code(cell.source)
        elif i == 0:
            text = cn_badge + to_zh_cn(cell.source.removeprefix(tw_badge))
        else:
            text = to_zh_cn(cell.source)
        cn.cells.append(_new_cell(cell.cell_type, text, _tags(cell), i, slide_type(cell)))
    return {SOURCE_LANG: tw, TARGET_LANG: cn}


# ---------------------------------------------------------------------------------------------
# Execution and clean-up
# ---------------------------------------------------------------------------------------------


def execute(nb: NotebookNode, cwd: Path, timeout: int = CELL_TIMEOUT_S) -> float:
    """Run ``nb`` in place with a python3 kernel of this interpreter; the wall time in seconds."""
    # store_widget_state stays on: nbclient's Output-widget hook fails without it (KeyError on the
    # comm id).  clean_outputs drops the stored state again.
    return nbrun.execute(nb, cwd, timeout, record_timing=False, coalesce_streams=True)


def _scrub_paths(text: str) -> str:
    """Machine-specific folders in tracebacks -> fixed placeholders."""
    places = {str(ROOT): "<repo>", sys.prefix: "<python>", sys.base_prefix: "<python>",
              str(Path.home()): "~"}
    for place in sorted(places, key=len, reverse=True):
        if len(place) > 1:
            text = text.replace(place, places[place])
    return text


def clean_outputs(nb: NotebookNode, lang: str, source: Path) -> list[str]:
    """Make an executed notebook deterministic, in place; cells showing widgets without the tag.

    Kept: execution counts, outputs, tags, slide types.  Dropped: every other cell metadata (execution
    timestamps, collapsed, scrolled...), widget state and widget views (random model ids; the
    ``text/plain`` repr beside a view becomes a short note for readers without a kernel; the
    figure's ``SLIDER_MIME`` record beside it stays, for the static site's frames),
    ``transient`` display ids.  Consecutive stream outputs
    are merged (how a kernel splits prints is timing), tracebacks lose machine paths, and the
    notebook metadata is reset to kernelspec python3 + a language_info without a Python version.
    """
    missing_tag = []
    for number, cell in enumerate(nb.cells, start=1):
        tags, show = _tags(cell), cell.get("metadata", {}).get("slideshow")
        cell.metadata = ({"slideshow": show} if show else {}) | ({"tags": tags} if tags else {})
        if cell.cell_type != "code":
            continue
        outputs: list[NotebookNode] = []
        for out in cell.get("outputs", []):
            out.pop("transient", None)
            if out.output_type in ("display_data", "execute_result"):
                if out.data.pop(WIDGET_VIEW, None) is not None:
                    if "nbval-ignore-output" not in tags:
                        missing_tag.append(f"cell {number}")
                    # the repr "VBox(children=(HBox(...FloatSlider..." helps no reader: say what it is
                    note = WIDGET_NOTE_TW if lang == "zh-TW" else to_zh_cn(WIDGET_NOTE_TW)
                    spec = out.data.get(SLIDER_MIME)  # which figure: the static site draws its frames
                    out.data = {"text/plain": note, **({SLIDER_MIME: spec} if spec is not None else {})}
                if not out.data:
                    continue
            elif out.output_type == "error":
                out.traceback = [_scrub_paths(line) for line in out.traceback]
            elif (out.output_type == "stream" and outputs and outputs[-1].output_type == "stream"
                  and outputs[-1].name == out.name):
                outputs[-1].text += out.text
                continue
            outputs.append(out)
        cell.outputs = outputs
    nb.metadata = _metadata(lang, source)
    return missing_tag


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """nbformat JSON (sorted keys, one-space indent, UTF-8, final newline)."""
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb, version=4)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Staleness
# ---------------------------------------------------------------------------------------------


def cell_inputs(nb: NotebookNode) -> list[tuple[str, tuple[str, ...], str, str]]:
    """What the stale check compares: (cell type, tags, source, slide type) of every cell."""
    return [(cell.cell_type, tuple(_tags(cell)), cell.source, slide_type(cell)) for cell in nb.cells]


def _render(cells: Iterable[tuple[str, tuple[str, ...], str, str]]) -> list[str]:
    lines = []
    for number, (kind, tags, text, slide) in enumerate(cells, start=1):
        lines.append(f"### cell {number}: {kind} slide={slide}" + (f" tags={list(tags)}" if tags else ""))
        lines += text.split("\n")
    return lines


def stale_report(path: Path, out_root: Path = NOTEBOOKS, max_lines: int = 40) -> list[str]:
    """Messages for each script whose committed notebook differs from its source (empty: fresh)."""
    messages = []
    expected_by = [(variant_root(out_root, v) / lang / f"{path.stem}.ipynb", nb)
                   for v in VARIANTS for lang, nb in build_inputs(path, v).items()]
    for target, expected in expected_by:
        name = target.relative_to(out_root.parent) if out_root.parent in target.parents else target
        if not target.is_file():
            messages.append(f"{name}: missing; run python -m tools.build_notebooks {path.stem}")
            continue
        committed = cell_inputs(nbformat.read(target, as_version=4))
        if committed != cell_inputs(expected):
            diff = list(difflib.unified_diff(_render(committed), _render(cell_inputs(expected)),
                                             f"{name} (committed)", f"{name} (from {path.name})",
                                             lineterm="", n=2))
            excerpt = diff[:max_lines] + ([f"... {len(diff) - max_lines} more lines"]
                                          if len(diff) > max_lines else [])
            messages.append(f"{name} is stale; run python -m tools.build_notebooks {path.stem}\n"
                            + "\n".join(excerpt))
    return messages


def orphans(out_root: Path = NOTEBOOKS, folder: Path = SOURCES) -> list[Path]:
    """Committed notebooks without a source."""
    stems = {p.stem for p in folder.glob("*.md")}
    return sorted(p for v in VARIANTS for lang in LANGS
                  for p in (variant_root(out_root, v) / lang).glob("*.ipynb") if p.stem not in stems)


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


def build(paths: Sequence[Path], out_root: Path = NOTEBOOKS, run: bool = True,
          log=print) -> dict[tuple[str, str], float]:
    """Build (and, with ``run``, execute) ``paths`` into ``out_root/<lang>/`` and the solutions into
    ``out_root/solutions/<lang>/``; {(stem, lang): s} (solutions keyed ``"<stem> solutions"``)."""
    times: dict[tuple[str, str], float] = {}
    for path, variant in ((p, v) for p in paths for v in VARIANTS):
        for lang, nb in build_inputs(path, variant).items():
            target = variant_root(out_root, variant) / lang / f"{path.stem}.ipynb"
            label = path.stem if variant == "learner" else f"{path.stem} {variant}"
            if run:
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    seconds = execute(nb, cwd=target.parent)
                except Exception as exc:
                    raise BuildError(f"{label} [{lang}] failed to execute:\n{exc}") from exc
                missing = clean_outputs(nb, lang, path)
                if missing:
                    raise BuildError(f"{label} [{lang}]: {', '.join(missing)} show a widget; "
                                     f"add ':tags: [nbval-ignore-output]' to them in {path.name}")
                times[(label, lang)] = seconds
                over = f"  (over the {BUDGET_S} s budget)" if seconds > BUDGET_S else ""
                log(f"{label} [{lang}] executed in {seconds:.1f} s{over}")
            write_notebook(nb, target)
            log(f"wrote {_relative(target)}")
    return times


def write_glossary_md(check: bool = False) -> bool:
    """Regenerate GLOSSARY.md (or, with ``check``, only compare); True when it was up to date."""
    text = glossary_markdown(read_glossary(GLOSSARY_TSV))
    fresh = GLOSSARY_MD.is_file() and GLOSSARY_MD.read_text(encoding="utf-8") == text
    if not check and not fresh:
        GLOSSARY_MD.write_text(text, encoding="utf-8")
    return fresh


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_notebooks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="sources to build (stem or NN); default: all")
    parser.add_argument("--no-execute", action="store_true",
                        help="write the notebooks without running them (no outputs)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a notebook or GLOSSARY.md is stale")
    parser.add_argument("--jobs", type=int, default=1, choices=[1],
                        help="notebooks run one at a time (only 1 is supported)")
    parser.add_argument("--src-dir", type=Path, default=SOURCES, help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", type=Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        paths = source_paths(args.names, folder=args.src_dir)
        if args.check:
            problems = [] if write_glossary_md(check=True) else [
                f"{_relative(GLOSSARY_MD)} is stale; run python -m tools.build_notebooks --no-execute "
                f"or any build"]
            for path in paths:
                problems += stale_report(path, out_root=args.out_dir)
            if not args.names:
                problems += [f"{_relative(p)} has no source in {_relative(args.src_dir)}"
                             for p in orphans(args.out_dir, args.src_dir)]
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"checked {len(paths)} source(s): " + ("stale" if problems else "up to date"))
            return 1 if problems else 0
        if not write_glossary_md():
            print(f"wrote {_relative(GLOSSARY_MD)}")
        if not paths:
            print(f"no sources in {_relative(args.src_dir)}")
        times = build(paths, out_root=args.out_dir, run=not args.no_execute)
        if times:
            slow = [f"{stem} [{lang}]" for (stem, lang), s in times.items() if s > BUDGET_S]
            print(f"executed {len(times)} notebook(s) in {sum(times.values()):.1f} s"
                  + (f"; over {BUDGET_S} s: {', '.join(slow)}" if slow else ""))
        return 0
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
