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
                                               ("js_vs_w1", dict(separation=0.0), dict(separation=2.0)),
                                               ("mmd_bandwidth", dict(log_sigma=-1.5), dict(log_sigma=0.5)),
                                               ("vae_beta", dict(log_beta=-1.0), dict(log_beta=0.6))])
def test_slider_changes_pixels(fig_id, low, high):
    live = FIGURES[fig_id]()
    live.update(**low)
    a = live.render_png()
    live.update(**high)
    b = live.render_png()
    live.update(**low)
    assert a != b and a == live.render_png()


def test_witness_is_the_difference_of_the_kernel_means():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(7, generator=g, dtype=torch.float64)
    y = 0.5 + torch.randn(5, generator=g, dtype=torch.float64)
    t = np.array([-1.0, 0.0, 0.3, 2.0])
    w = P.witness(x, y, t, 0.7)
    by_hand = [np.mean([math.exp(-(xi - ti) ** 2 / (2 * 0.49)) for xi in x.tolist()])
               - np.mean([math.exp(-(yj - ti) ** 2 / (2 * 0.49)) for yj in y.tolist()]) for ti in t]
    np.testing.assert_allclose(w, by_hand, rtol=1e-12, atol=1e-15)
    assert P.witness(x, x, t, 0.7) == pytest.approx(np.zeros(4), abs=1e-15)  # same sample: no witness


@pytest.mark.parametrize("sigma", [0.05, 0.5, 1.0, 3.0, 20.0])
def test_mmd2_from_the_witness_equals_the_biased_estimate(sigma):
    import lossviz

    g = torch.Generator().manual_seed(1)
    x = torch.randn(9, 1, generator=g, dtype=torch.float64)
    y = 1.0 + 0.5 * torch.randn(6, 1, generator=g, dtype=torch.float64)
    expected = lossviz.mmd(x, y, bandwidth=sigma).item()
    assert P.mmd2_witness(x, y, sigma) == pytest.approx(expected, rel=1e-10, abs=1e-15)
    assert P.mmd2_curve(x, y, [sigma])[0] == pytest.approx(expected, rel=1e-10, abs=1e-15)


def test_mmd2_at_small_and_large_bandwidth():
    x, y = P.mmd_samples(n=20, seed=3)
    n, m = len(x), len(y)
    gap = np.abs(np.subtract.outer(np.concatenate([x, y]), np.concatenate([x, y])))
    assert gap[~np.eye(n + m, dtype=bool)].min() > 1e-4  # no ties, so σ → 0 isolates every point
    assert P.mmd2_curve(x, y, [1e-6])[0] == pytest.approx(1 / n + 1 / m, rel=1e-12)
    # σ → ∞: MMD² ≈ (mean x − mean y)² / σ², → 0
    big = P.mmd2_curve(x, y, [1e3])[0]
    assert big == pytest.approx((x.mean() - y.mean()) ** 2 / 1e6, rel=1e-2)
    assert big < 1e-5
    med = P.median_heuristic(x, y)
    curve = P.mmd2_curve(x, y, np.logspace(-2, 2, 81))
    assert curve.argmax() not in (0, 80) and P.mmd2_curve(x, y, [med])[0] > 10 * big


def test_mmd_helpers_check_their_arguments():
    with pytest.raises(ValueError, match="x must"):
        P.witness(np.zeros((3, 2)), np.zeros(3), [0.0], 1.0)
    with pytest.raises(ValueError, match="sigma must"):
        P.witness(np.zeros(3), np.zeros(3), [0.0], 0.0)
    with pytest.raises(ValueError, match="sigmas must"):
        P.mmd2_curve(np.zeros(3), np.ones(3), [1.0, -1.0])


# --- VAE β sweep ---------------------------------------------------------------------
def test_half_circle_is_seeded_and_on_the_circle():
    a, b = P.half_circle(), P.half_circle()
    assert a.shape == (512, 2) and a.dtype == torch.float64 and torch.equal(a, b)
    radius = (a[:, 0].square() + (a[:, 1] + 1).square()).sqrt()
    assert radius.mean().item() == pytest.approx(2.0, abs=0.02)  # noise σ = 0.1 around radius 2
    assert (a[:, 1] > -1.4).all()  # the upper half, noise included
    with pytest.raises((TypeError, ValueError), match="n must"):
        P.half_circle(1)


def test_rate_and_distortion_are_the_two_terms_of_elbo():
    data = P.half_circle(64)
    model = P.train_vae(data, 1.0, steps=5)
    r = P.rate_distortion(model, data)
    with torch.no_grad():
        recon, mu, logvar = model(data, torch.zeros(64, 1, dtype=torch.float64))
        kl = torch.distributions.kl_divergence(  # an independent KL: torch.distributions
            torch.distributions.Normal(mu, (0.5 * logvar).exp()), torch.distributions.Normal(0.0, 1.0)).sum(1)
        import lossviz
        for beta in (0.5, 2.0):
            elbo = lossviz.elbo(recon, data, mu, logvar, beta=beta).item()
            assert elbo == pytest.approx(r["distortion"] + beta * r["rate"], rel=1e-12)
    assert r["rate"] == pytest.approx(kl.mean().item(), rel=1e-12)
    with pytest.raises(ValueError, match="beta must"):
        P.train_vae(data, -1.0, steps=1)


def test_the_sweep_trades_rate_for_distortion_and_collapses_at_large_beta():
    sw = P.vae_beta_sweep()
    k = len(sw["log_beta"])
    assert sw["log_beta"][0] == -1.0 and sw["log_beta"][-1] == 1.0 and k == 11
    assert sw["recon"].shape == (k, 512, 2) and sw["curve"].shape == (k, 121, 2)
    assert np.all(np.diff(sw["rate"]) < 0) and np.all(np.diff(sw["distortion"]) > -1e-3)
    total_var = sw["data"].var(0, ddof=1).sum()
    assert sw["rate"][-1] < 0.01 and sw["distortion"][-1] == pytest.approx(total_var, rel=0.02)
    assert sw["rate"][0] > 1.0 and sw["distortion"][0] < 0.05 * total_var
    sw["rate"][:] = -1  # a copy: the cached sweep is not changed by a caller
    assert P.vae_beta_sweep()["rate"][0] > 1.0
