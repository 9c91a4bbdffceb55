"""Figures of the autograd notebook: the factory builds, sliders move pixels, data are right."""

from __future__ import annotations

import numpy as np
import pytest

from lossviz.plots import FIGURES
from lossviz.plots import autograd as P

IDS = ("gradient_descent",)


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- pure data functions --------------------------------------------------------------
def test_curvature_and_optimum_by_hand():
    # x = (0.5, 0.5, 1.5, 1.5): Σx² = 5, mean x² = 1.25, a = 2.5
    # Σxy = 0.5·0.8 + 0.5·1.1 + 1.5·3.3 + 1.5·2.9 = 10.25, w* = 10.25 / 5 = 2.05
    assert P.gd_curvature() == pytest.approx(2.5)
    assert P.gd_optimum() == pytest.approx(2.05)


def test_loss_is_the_parabola():
    w = np.linspace(-2, 6, 17)
    x, y = np.array(P.GD_X), np.array(P.GD_Y)
    by_hand = ((w[:, None] * x - y) ** 2).mean(axis=1)
    np.testing.assert_allclose(P.gd_loss(w), by_hand, rtol=1e-12)
    # L(w) = L* + a/2 (w − w*)²
    l_star = float(P.gd_loss(P.gd_optimum()))
    np.testing.assert_allclose(P.gd_loss(w), l_star + 1.25 * (w - 2.05) ** 2, rtol=1e-12)
    assert np.shape(P.gd_loss(1.0)) == ()


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.4, 0.6, 0.8, 0.9])
def test_iterates_match_closed_form(lr):
    # w_k = w* + (1 − η a)^k (w0 − w*)
    ws, losses = P.gd_iterates(lr, 20, w0=-1.0)
    k = np.arange(21)
    np.testing.assert_allclose(ws, 2.05 + (1 - 2.5 * lr) ** k * (-1.0 - 2.05), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses, P.gd_loss(ws), rtol=1e-10, atol=1e-12)


def test_regimes():
    assert P.gd_regime(0.1) == "ag_monotone"
    assert P.gd_regime(0.4) == "ag_one_step"
    assert P.gd_regime(0.6) == "ag_oscillate"
    assert P.gd_regime(0.8) == "ag_bounce"
    assert P.gd_regime(0.85) == "ag_diverge"
    # one step lands on w*; at η = 2/a the iterates bounce between w0 and 2w* − w0
    assert P.gd_iterates(0.4, 1, w0=5.0)[0][-1] == pytest.approx(2.05)
    ws = P.gd_iterates(0.8, 4, w0=-1.0)[0]
    np.testing.assert_allclose(ws, [-1.0, 5.1, -1.0, 5.1, -1.0])
    # below 2/a the loss never goes up; above, it grows every step
    assert (np.diff(P.gd_iterates(0.7, 20)[1]) <= 1e-15).all()
    assert (np.diff(P.gd_iterates(0.85, 20)[1]) > 0).all()


def test_zero_steps_and_bad_args():
    ws, losses = P.gd_iterates(0.3, 0, w0=1.0)
    assert ws.tolist() == [1.0] and losses.shape == (1,)
    with pytest.raises(ValueError):
        P.gd_iterates(-0.1)
    with pytest.raises(ValueError):
        P.gd_iterates(0.1, -1)


# --- factories --------------------------------------------------------------------------
@pytest.mark.parametrize("fig_id", IDS)
def test_slider_changes_pixels(fig_id):
    live = FIGURES[fig_id]()
    for s in live.sliders:
        start = live.values[s.name]
        live.update(**{s.name: s.low})
        a = live.render_png()
        live.update(**{s.name: s.high})
        b = live.render_png()
        live.update(**{s.name: s.low})
        c = live.render_png()
        assert a != b, s.name
        assert a == c, s.name  # the same values draw the same picture (cached background, no drift)
        live.update(**{s.name: start})


def test_readout_text():
    live = P.gradient_descent(lang="en", lr=0.4, w0=-1.0)
    texts = [a.get_text() for a in live.dynamic if hasattr(a, "get_text")]
    assert any("1 − ηa = +0.00" in x and "w20 = 2.0500" in x and "lands in one step" in x for x in texts)
    live.update(lr=0.9)
    texts = [a.get_text() for a in live.dynamic if hasattr(a, "get_text")]
    assert any("diverges" in x for x in texts)



