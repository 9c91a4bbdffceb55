"""Figures of the information notebook: factories build, sliders move pixels, data are right."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossviz.plots import FIGURES
from lossviz.plots import information as P

IDS = ("surprise", "entropy", "cross_entropy_kl")


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- pure data functions --------------------------------------------------------------
def test_surprise_values():
    # hand values: -ln 1 = 0, -ln 0.0001 = 4 ln 10 = 9.21034, -log2 0.5 = 1, -log2 0.125 = 3
    assert P.surprise([1.0])[0] == 0.0
    assert P.surprise([1e-4])[0] == pytest.approx(4 * math.log(10))
    assert P.surprise([1e-4])[0] == pytest.approx(9.2103, abs=5e-5)
    np.testing.assert_allclose(P.surprise([0.5, 0.125], 2), [1.0, 3.0])
    # each 10x smaller p adds ln 10 (logarithmic, not exponential growth)
    steps = np.diff(P.surprise(10.0 ** -np.arange(0, 9)))
    np.testing.assert_allclose(steps, math.log(10))
    # bits = nats / ln 2
    p = np.array([0.3, 0.01])
    np.testing.assert_allclose(P.surprise(p, 2), P.surprise(p) / math.log(2))


def test_normalize():
    np.testing.assert_allclose(P.normalize([1, 1, 2]), [0.25, 0.25, 0.5])
    np.testing.assert_allclose(P.normalize([0, 0, 0, 0]), [0.25] * 4)
    with pytest.raises(ValueError, match="weights must be finite and >= 0, got"):
        P.normalize([1.0, -0.5])
    with pytest.raises(ValueError, match="weights must be a non-empty 1-D sequence, got shape"):
        P.normalize([])


def test_entropy_values():
    # uniform over 4: log2 4 = 2 bits = ln 4 nats; one-hot: 0; fair coin: 1 bit
    assert P.entropy([0.25] * 4, 2) == pytest.approx(2.0)
    assert P.entropy([0.25] * 4) == pytest.approx(math.log(4))
    assert P.entropy([1.0, 0.0, 0.0, 0.0]) == 0.0
    assert P.entropy([0.5, 0.5], 2) == pytest.approx(1.0)
    # coin 0.9/0.1 by hand: -(0.9 log2 0.9 + 0.1 log2 0.1) = 0.468996
    assert P.entropy([0.9, 0.1], 2) == pytest.approx(0.468996, abs=1e-6)


def test_shifted_and_ce_kl():
    p = np.array(P.P_DEFAULT)
    np.testing.assert_allclose(P.shifted(p, 0.0), p)
    q = P.shifted(p, 2.0)
    assert q.sum() == pytest.approx(1.0)
    # by hand: softmax(log p + 2*(-1, 0, 1)) ∝ (0.6 e^-2, 0.3, 0.1 e^2)
    w = np.array([0.6 * math.exp(-2), 0.3, 0.1 * math.exp(2)])
    np.testing.assert_allclose(q, w / w.sum())
    v = P.ce_kl(p, q)
    # H(P, Q) and H(P) written out with math.log; KL = H(P, Q) - H(P)
    cross = -sum(pi * math.log(qi) for pi, qi in zip(p, q, strict=True))
    h = -sum(pi * math.log(pi) for pi in p)
    assert v["cross_entropy"] == pytest.approx(cross)
    assert v["entropy"] == pytest.approx(h)
    assert v["kl"] == pytest.approx(cross - h)
    assert P.ce_kl(p, p)["kl"] == pytest.approx(0.0, abs=1e-15)
    bits = P.ce_kl(p, q, 2)
    assert bits["kl"] == pytest.approx(v["kl"] / math.log(2))


def test_ce_kl_curves_minimum_at_p():
    s = np.linspace(-4, 4, 161)
    c = P.ce_kl_curves(P.P_DEFAULT, s)
    np.testing.assert_allclose(c["cross_entropy"], c["entropy"] + c["kl"], atol=1e-12)
    assert (c["kl"] >= -1e-15).all()
    assert s[np.argmin(c["cross_entropy"])] == pytest.approx(0.0)
    assert np.ptp(c["entropy"]) == pytest.approx(0.0, abs=1e-15)  # H(P) does not depend on Q


# --- factories --------------------------------------------------------------------------
@pytest.mark.parametrize("fig_id", IDS)
def test_extremes_and_slider_changes_pixels(fig_id):
    live = FIGURES[fig_id]()
    for s in live.sliders:
        for v in (s.low, s.high):
            live.update(**{s.name: v})
            assert live.render_png()[:8] == b"\x89PNG\r\n\x1a\n"
    s = live.sliders[0]
    live.update(**{s.name: s.low})
    a = live.render_png()
    live.update(**{s.name: s.high})
    b = live.render_png()
    live.update(**{s.name: s.low})
    c = live.render_png()
    assert a != b  # moving the slider changes the picture
    assert a == c  # the same values draw the same picture (cached background, no drift)


def test_english_texts_and_readout():
    live = P.surprise_figure(lang="en", p=0.1)
    texts = [a.get_text() for a in live.dynamic if hasattr(a, "get_text")]
    assert any("2.303 nats" in x and "3.322 bits" in x for x in texts)


def test_cross_entropy_kl_rejects_bad_p():
    with pytest.raises(ValueError, match="p must hold 3 positive probabilities, got"):
        P.cross_entropy_kl_figure(p=(0.5, 0.5))
    with pytest.raises(ValueError, match="p must hold 3 positive probabilities, got"):
        P.cross_entropy_kl_figure(p=(1.0, 0.0, 0.0))


