"""What every notebook source must hold: sliders with static companions, exercises, no leftovers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest

from lossviz.plots import FIGURES

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
SOURCES = sorted(SRC.glob("[0-9][0-9]_*.md"))
EXPECTED = ["01_surprise", "02_regression", "03_cross_entropy", "04_focal_loss", "05_infonce", "06_autograd",
            "07_generative", "08_image", "09_sequence", "10_practice", "11_choosing"]


def _cells(path):
    nb = jupytext.read(path)
    return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]


def test_the_six_core_notebooks_are_there():
    assert [p.stem for p in SOURCES] == EXPECTED


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_slider_cell_is_tagged_and_followed_by_a_static_companion(path):
    cells = [c for c in _cells(path) if c[0] == "code"]
    sliders = [i for i, (_, src, _) in enumerate(cells) if re.search(r"^\s*interactive\(", src, re.M)]
    for i in sliders:
        assert "nbval-ignore-output" in cells[i][2], f"{path.stem}: widget cell {i} lacks nbval-ignore-output"
        assert i + 1 < len(cells) and "strip(" in cells[i + 1][1], f"{path.stem}: slider cell {i} has no static strip"
        assert "nbval-ignore-output" not in cells[i + 1][2], "the static companion's output is kept"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_exercises_and_no_leftovers(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^#+ .*練習", text, re.M), f"{path.stem} has no exercise section"
    for word in ("TODO", "FIXME", "XXX", "placeholder", "NotImplemented"):
        assert word not in text, f"{path.stem} contains {word}"


def test_every_registered_figure_is_used_by_a_notebook():
    used = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    factories = {fid: f.func.__name__ for fid, f in FIGURES.items()}
    missing = [fid for fid, name in factories.items() if name not in used]
    assert not missing, f"figures no notebook shows: {missing}"


# float32 normal draws take a vectorised path on AVX2 CPUs and a scalar one elsewhere (the same
# seed gives other numbers: torch.randn(16) differs under ATEN_CPU_CAPABILITY=default); float64
# draws and uniform draws do not.  So every normal draw in a notebook is float64.
NORMAL_DRAW = re.compile(r"torch\.randn(?:_like)?\(|\.normal_\(|nn\.Embedding\(|nn\.TransformerEncoderLayer\(")


def _call_args(source: str, start: int) -> str:
    depth, i = 0, start
    while i < len(source):
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        if depth == 0 and source[i] == ")":
            return source[start:i + 1]
        i += 1
    return source[start:]


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_normal_draw_is_float64(path):
    bad = []
    for kind, src, _ in _cells(path):
        if kind != "code":
            continue
        for m in NORMAL_DRAW.finditer(src):
            call = _call_args(src, m.end() - 1)
            if not re.search(r"dtype\s*=\s*(?:f64|torch\.float64)|\*\*f64", call):
                bad.append(m.group(0) + call[1:80])
    assert bad == [], f"{path.stem}: normal draws without dtype=float64: {bad}"


def test_the_float64_rule_catches_a_float32_draw():
    src = "x = torch.randn(32, 10, generator=g)\ny = torch.randn(3, dtype=f64)\n"
    found = [m for m in NORMAL_DRAW.finditer(src)
             if not re.search(r"dtype\s*=\s*(?:f64|torch\.float64)", _call_args(src, m.end() - 1))]
    assert len(found) == 1


@pytest.mark.parametrize("path", sorted(ROOT.glob("notebooks/**/*.ipynb")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_figure_misses_a_glyph(path):
    """A "Glyph … missing from font(s)" warning in a committed output is a box drawn in a figure."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    warned = [i for i, c in enumerate(nb["cells"]) for o in c.get("outputs", [])
              if o.get("name") == "stderr" and "missing from font" in "".join(o.get("text", ""))]
    assert not warned, f"cells {warned} warn of glyphs missing from the font (use mathtext: $w_1$, $\\sigma$)"
