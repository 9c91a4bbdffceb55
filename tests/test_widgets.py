"""lossviz.widgets without a browser: the latest-only drawer, interactive()'s binary frames and
its slider record, the figure ids recorded by lossviz.plots.register, and what the static site
builds from that record (tools.build_notebooks keeps it; tools.build_site draws the frames).

The browser side (JupyterLab, the site in Chromium) is tests/test_browser.py.
"""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import asdict

import nbformat
import pytest
from PIL import Image

from lossviz.plots import FIGURES
from lossviz.plots.focal import focal_loss_figure, focal_ratio_figure
from lossviz.widgets import SLIDER_MIME, LatestOnly, LiveFigure, interactive, slider_spec
from tools import build_notebooks as bn
from tools import build_site

# --- LatestOnly: drawing never lags behind a burst ------------------------------------------


class GatedDraw:
    """A draw that blocks until released: a frame 'in progress' for as long as the test wants."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.drawn: list[dict] = []

    def __call__(self, values: dict) -> None:
        self.started.release()
        self.release.wait(10)
        self.drawn.append(values)


def test_latest_only_drops_values_submitted_during_a_frame():
    draw = GatedDraw()
    drawer = LatestOnly(draw)
    drawer.submit({"x": 0})
    assert draw.started.acquire(timeout=10)  # frame 0 in progress
    for i in range(1, 21):  # a burst while it draws
        drawer.submit({"x": i})
    draw.release.set()
    assert drawer.wait_idle(10)
    assert draw.drawn == [{"x": 0}, {"x": 20}], draw.drawn
    assert drawer.drawn == 2


def test_latest_only_draws_every_value_submitted_when_idle():
    drawn = []
    drawer = LatestOnly(drawn.append)
    for i in range(5):
        drawer.submit({"x": i})
        assert drawer.wait_idle(10)
    assert drawn == [{"x": i} for i in range(5)]


def test_latest_only_always_ends_on_the_last_value():
    """A slow draw and submissions from another thread at random moments: the last is drawn last."""
    drawn = []

    def draw(values):
        time.sleep(0.002)
        drawn.append(values["x"])

    drawer = LatestOnly(draw)
    for i in range(300):
        drawer.submit({"x": i})
        if i % 37 == 0:
            time.sleep(0.003)
    assert drawer.wait_idle(10)
    assert drawn[-1] == 299
    assert drawn == sorted(drawn) and len(drawn) < 300  # in order, and the burst was thinned


def test_latest_only_reports_errors_and_keeps_drawing():
    errors, drawn = [], []

    def draw(values):
        if values["x"] == 1:
            raise ValueError("broken frame")
        drawn.append(values["x"])

    drawer = LatestOnly(draw, errors.append)
    for i in range(3):
        drawer.submit({"x": i})
        assert drawer.wait_idle(10)
    assert [str(e) for e in errors] == ["broken frame"] and drawn == [0, 2]


def test_latest_only_needs_a_callable():
    with pytest.raises(TypeError, match="draw must be callable"):
        LatestOnly(42)


# --- register: the figure id and keyword arguments on the LiveFigure ------------------------


def test_register_records_id_and_keywords():
    live = focal_loss_figure(lang="zh-CN", gamma=3.0)
    assert isinstance(live, LiveFigure)
    assert live.figure_id == "focal_loss"
    assert live.figure_kwargs == {"lang": "zh-CN", "gamma": 3.0}
    assert FIGURES["focal_loss"]().figure_kwargs == {"lang": "zh-TW"}
    spec = slider_spec(live)
    assert spec["figure"] == "focal_loss" and [s["name"] for s in spec["sliders"]] == ["gamma", "alpha"]
    assert spec["sliders"][0]["value"] == 3.0
    assert json.loads(json.dumps(spec)) == spec


def test_unregistered_figure_has_no_record():
    live = focal_ratio_figure(lang="zh-TW")
    plain = LiveFigure(live.fig, live.sliders, lambda **v: None, [])
    assert plain.figure_id is None and slider_spec(plain) is None


# --- interactive(): binary frames, the slider record ----------------------------------------


def _png_values(png: bytes):
    return Image.open(io.BytesIO(png)).convert("RGB").tobytes()


def test_interactive_sends_binary_frames_and_ends_on_the_final_value():
    pytest.importorskip("ipywidgets")
    import ipywidgets as W

    live = focal_loss_figure(lang="zh-TW")
    box = interactive(live)
    controls, image = box.children[0].children, box.children[1]
    assert isinstance(image, W.Image) and image.format == "png"
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG")
    gamma = controls[0]
    for k in range(20):  # a burst, as fast as the kernel would apply slider messages
        gamma.value = round(2.0 + 0.1 * (k + 1), 2)
    assert box.lossviz_drawer.wait_idle(30)
    assert box.lossviz_drawer.drawn < 20  # coalesced
    reference = focal_loss_figure(lang="zh-TW", gamma=4.0)
    assert _png_values(bytes(image.value)) == _png_values(reference.render_png())
    assert bytes(image.value) != first


def test_interactive_shows_a_broken_update_as_stderr():
    pytest.importorskip("ipywidgets")
    live = focal_ratio_figure(lang="zh-TW")
    box = interactive(live)
    original = live._update

    def broken(**values):
        if values["gamma"] > 3:
            raise RuntimeError("update failed")
        original(**values)

    live._update = broken
    box.children[0].children[0].value = 4.0
    assert box.lossviz_drawer.wait_idle(30)
    errors = box.children[2]
    assert any("update failed" in o.get("text", "") for o in errors.outputs), errors.outputs


def test_interactive_bundle_carries_the_slider_record():
    pytest.importorskip("ipywidgets")
    box = interactive(focal_loss_figure(lang="zh-CN"))
    if hasattr(box, "_repr_mimebundle_"):  # ipywidgets 8 (7.7.1 goes through _ipython_display_)
        bundle = box._repr_mimebundle_()
        assert bundle[SLIDER_MIME]["figure"] == "focal_loss"
        assert bundle[SLIDER_MIME]["kwargs"] == {"lang": "zh-CN"}
        assert "application/vnd.jupyter.widget-view+json" in bundle


def test_interactive_needs_a_live_figure():
    pytest.importorskip("ipywidgets")
    with pytest.raises(TypeError, match="live must be a LiveFigure"):
        interactive("focal_loss")


# --- the notebook build keeps the record; the site draws from it ----------------------------


def test_clean_outputs_keeps_the_slider_record():
    spec = slider_spec(focal_loss_figure(lang="zh-TW"))
    out = nbformat.v4.new_output("execute_result", data={
        "text/plain": "SliderBox(children=(HBox(...",
        bn.WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}, SLIDER_MIME: spec},
        execution_count=1)
    cell = nbformat.v4.new_code_cell("interactive(live)", outputs=[out], execution_count=1)
    cell.metadata["tags"] = ["nbval-ignore-output"]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert bn.clean_outputs(nb, "zh-TW", bn.SOURCES / "04_focal_loss.md") == []
    data = nb.cells[0].outputs[0].data
    assert data[SLIDER_MIME] == spec and bn.WIDGET_VIEW not in data
    assert build_site.is_widget_output(nb.cells[0].outputs[0])
    assert build_site.slider_spec_of(nb.cells[0].outputs[0]) == spec


@pytest.mark.parametrize("fig_id", sorted(FIGURES))
def test_site_grid_covers_each_range_within_budget(fig_id):
    sliders = [asdict(s) for s in FIGURES[fig_id]().sliders]
    grids = build_site.slider_grid(sliders)
    total = 1
    for s, grid in zip(sliders, grids, strict=True):
        total *= len(grid)
        assert grid == sorted(set(grid)) and len(grid) >= 2
        assert grid[0] == pytest.approx(s["low"]) and grid[-1] == pytest.approx(s["high"])
        assert any(v == pytest.approx(s["value"]) for v in grid), (s, grid)
        # every grid value is a value the notebook's slider can take
        assert all(abs((v - s["low"]) / s["step"] - round((v - s["low"]) / s["step"])) < 1e-6
                   or v == pytest.approx(s["high"]) for v in grid)
    assert total <= 2 * build_site.FRAME_BUDGET


def test_site_grid_single_slider_uses_every_step():
    grid, = build_site.slider_grid([{"name": "g", "low": 0.0, "high": 5.0, "step": 0.1, "value": 2.0}])
    assert len(grid) == 51 and grid[:3] == [0.0, 0.1, 0.2]


@pytest.mark.parametrize(("sliders", "budget", "message"), [
    ([], 121, "at least one slider"),
    ([{"name": "a", "low": 0, "high": 1, "step": 0.1, "value": 0.5}] * 8, 121, "budget must be >= 2"),
    ([{"name": "a", "low": 0, "high": 1, "step": 0, "value": 0.5}], 121, "step > 0"),
])
def test_site_grid_refuses(sliders, budget, message):
    with pytest.raises(ValueError, match=message):
        build_site.slider_grid(sliders, budget)


def test_site_frames_are_the_figure_at_the_grid_values(tmp_path):
    spec = slider_spec(focal_loss_figure(lang="zh-TW"))
    spec["sliders"][1]["step"] = 0.5  # alpha: 0, 0.25 (start), 0.5, 1 -- a small grid for the test
    spec["sliders"][0]["step"] = 2.5  # gamma: 0, 2 (start), 2.5, 5
    grids = build_site.slider_grid(spec["sliders"])
    assert grids == [[0.0, 2.0, 2.5, 5.0], [0.0, 0.25, 0.5, 1.0]]
    folder = tmp_path / build_site.frames_folder(spec)
    assert build_site.render_frames(spec, folder) > 0
    assert sorted(int(p.stem) for p in folder.glob("*.png")) == list(range(16))
    html = build_site.slider_html(spec, "zh-TW", "../")
    assert f'src="../assets/frames/{folder.name}/5.png"' in html  # gamma 2 (index 1) x alpha 0.25 (index 1)
    assert html.count('type="range"') == 2
    shown = Image.open(folder / "5.png").convert("RGB")
    reference = Image.open(io.BytesIO(focal_loss_figure(lang="zh-TW").render_png())).convert("RGB")
    assert shown.size == reference.size
    diff = sum(abs(a - b) for a, b in zip(shown.tobytes(), reference.tobytes(), strict=True)) / len(shown.tobytes())
    assert diff < 2.0, f"the 256-colour frame differs from the figure by {diff:.2f} per channel on average"
    other = Image.open(folder / "15.png").convert("RGB")  # gamma 5, alpha 1
    assert other.tobytes() != shown.tobytes()
