"""Figures of the generative notebook (07): generator-loss curves, JS vs W₁ of two uniforms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz.plots import FIGURES
from lossviz.plots import generative as P


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


def test_generator_curves_match_bce_and_autograd():
    f = torch.linspace(-12, 8, 41, dtype=torch.float64, requires_grad=True)
    c = P.generator_curves(f.detach())
    ns = F.binary_cross_entropy_with_logits(f, torch.ones_like(f), reduction="none")  # torch 2.x
    np.testing.assert_allclose(c["non_saturating"], ns.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(c["minimax"], np.log1p(-torch.sigmoid(f).detach().numpy()), rtol=1e-9)
    (g,) = torch.autograd.grad(-F.softplus(f).sum(), f)  # minimax log(1 - σ(f)) = -softplus(f)
    np.testing.assert_allclose(c["grad_minimax"], g.numpy(), rtol=1e-12)
    # hand-computed: at f = -10 the minimax gradient is -σ(-10) ≈ -4.54e-5, the NS one ≈ -1
    at = P.generator_curves(np.array([-10.0]))
    assert at["grad_minimax"][0] == pytest.approx(-4.5397868702434395e-05, rel=1e-12)
    assert at["grad_non_saturating"][0] == pytest.approx(-(1 - 4.5397868702434395e-05), rel=1e-12)


@pytest.mark.parametrize("theta", [0.0, 0.25, -0.5, 0.9, 1.0, 1.6, -2.2])
def test_js_w1_grid_matches_closed_form(theta):
    r = P.js_w1(theta)
    js, w1 = P.js_w1_closed_form(theta)
    assert r["js"] == pytest.approx(js, abs=2e-3)
    assert r["w1"] == pytest.approx(w1, abs=2e-3)
    assert np.sum(r["p"]) * (r["x"][1] - r["x"][0]) == pytest.approx(1.0, abs=2e-3)


def test_js_is_flat_once_the_supports_part_but_w1_is_not():
    assert P.js_w1_closed_form(1.5)[0] == P.js_w1_closed_form(2.5)[0] == math.log(2)
    assert P.js_w1_closed_form(2.5)[1] - P.js_w1_closed_form(1.5)[1] == pytest.approx(1.0)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="points must"):
        P.js_w1(0.5, points=1)
    with pytest.raises((TypeError, ValueError), match="separation must"):
        P.js_w1("far")


@pytest.mark.parametrize("fig_id, low, high", [("gan_generator_gradient", dict(logit=-10.0), dict(logit=5.0)),
                                               ("js_vs_w1", dict(separation=0.0), dict(separation=2.0))])
def test_slider_changes_pixels(fig_id, low, high):
    live = FIGURES[fig_id]()
    live.update(**low)
    a = live.render_png()
    live.update(**high)
    b = live.render_png()
    live.update(**low)
    assert a != b and a == live.render_png()
