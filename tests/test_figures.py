"""Every interactive figure in lossviz.plots.FIGURES, in every language: the generic checks.

Topic-specific numbers (the data behind each curve) are tested in tests/test_plots_<topic>.py.
Speed is not tested here: ``python -m lossviz.bench sliders`` measures it.
"""

from __future__ import annotations

import warnings

import pytest

from lossviz.fonts import use_cjk
from lossviz.plots import FIGURES

IDS = sorted(FIGURES)
PNG = b"\x89PNG\r\n\x1a\n"


def _make(fig_id, lang):
    return FIGURES[fig_id].func(lang=lang)


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN", "en"])
@pytest.mark.parametrize("fig_id", IDS)
def test_builds_in_each_language_without_missing_glyphs(fig_id, lang):
    use_cjk("zh-CN" if lang == "zh-CN" else "zh-TW")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        live = _make(fig_id, lang)
        for s in live.sliders:
            for value in (s.low, s.high):
                live.update(**{s.name: value})
                assert live.render_png().startswith(PNG)
        live.fig.savefig(__import__("io").BytesIO(), format="png")  # a full draw, every artist
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not glyphs, glyphs[:3]


@pytest.mark.parametrize("fig_id", IDS)
def test_each_slider_moves_the_picture_and_back(fig_id):
    use_cjk("zh-TW")
    live = _make(fig_id, "zh-TW")
    for s in live.sliders:
        live.update(**{s.name: s.low})
        a = live.render_png()
        live.update(**{s.name: s.high})
        b = live.render_png()
        live.update(**{s.name: s.low})
        assert a != b, f"{fig_id}: slider {s.name} does not change the figure"
        assert live.render_png() == a, f"{fig_id}: the same values must draw the same picture"


@pytest.mark.parametrize("fig_id", IDS)
def test_update_refuses_unknown_slider_names(fig_id):
    live = _make(fig_id, "en")
    with pytest.raises(ValueError, match=r"values must name sliders"):
        live.update(no_such_slider=1.0)
