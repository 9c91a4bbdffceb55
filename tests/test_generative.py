"""Hand-worked values, references, properties and error messages of the generative family."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _util import autograd_of, t
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.distributions import Normal, kl_divergence

import lossviz
from lossviz import generative as G

D64 = torch.float64
REDUCTIONS = ("none", "mean", "sum")
FLOATS = st.floats(min_value=-30, max_value=30, allow_nan=False)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_all_functions_exported():
    for name in G.__all__:
        assert getattr(lossviz, name) is getattr(G, name)


# --- GAN discriminator ------------------------------------------------------------
def test_gan_discriminator_hand_values():
    # equilibrium D = 1/2 (both logits 0): -log(1/2) - log(1/2) = 2 log 2
    assert G.gan_discriminator(t([0.0]), t([0.0])).item() == pytest.approx(2 * math.log(2), rel=1e-15)
    # r = 2, f = -1: -log σ(2) - log(1 - σ(-1)) = log(1 + e^-2) + log(1 + e^-1), by math.log1p
    want = math.log1p(math.exp(-2)) + math.log1p(math.exp(-1))  # 0.44018969856119536
    got = G.gan_discriminator(t([2.0]), t([-1.0]), reduction="sum").item()
    assert got == pytest.approx(want, rel=1e-14)
    # mean over the two pairs (0, 0) and (2, -1)
    got = G.gan_discriminator(t([0.0, 2.0]), t([0.0, -1.0])).item()
    assert got == pytest.approx((2 * math.log(2) + want) / 2, rel=1e-14)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gan_discriminator_is_bce_real_one_plus_bce_fake_zero(dtype, reduction):
    g = torch.Generator().manual_seed(0)
    r = (torch.randn(5, 3, generator=g, dtype=D64) * 4).to(dtype)
    f = (torch.randn(5, 3, generator=g, dtype=D64) * 4).to(dtype)
    want = (F.binary_cross_entropy_with_logits(r, torch.ones_like(r), reduction=reduction)
            + F.binary_cross_entropy_with_logits(f, torch.zeros_like(f), reduction=reduction))
    got = G.gan_discriminator(r, f, reduction=reduction)
    assert got.dtype == dtype
    torch.testing.assert_close(got, want)


def test_gan_discriminator_extreme_logits_match_bce():
    r = torch.tensor([100.0, -100.0, 0.0, 100.0, -100.0], requires_grad=True)
    f = torch.tensor([-100.0, 100.0, 0.0, 100.0, -100.0], requires_grad=True)
    ours = G.gan_discriminator(r, f)
    r2, f2 = r.detach().clone().requires_grad_(True), f.detach().clone().requires_grad_(True)
    ref = (F.binary_cross_entropy_with_logits(r2, torch.ones_like(r2))
           + F.binary_cross_entropy_with_logits(f2, torch.zeros_like(f2)))
    assert torch.isfinite(ours)
    torch.testing.assert_close(ours, ref)
    gr, gf = torch.autograd.grad(ours, (r, f))
    hr, hf = torch.autograd.grad(ref, (r2, f2))
    assert torch.isfinite(gr).all() and torch.isfinite(gf).all()
    torch.testing.assert_close(gr, hr)
    torch.testing.assert_close(gf, hf)
    torch.testing.assert_close(G.gan_discriminator_grad(r.detach(), f.detach()), gr)


def test_gan_discriminator_grad_is_minus_sigmoid_of_minus_r():
    # r = 1: -σ(-1) = -1/(1 + e) ; 'sum' so no scaling
    got = G.gan_discriminator_grad(t([1.0]), t([0.3]), reduction="sum").item()
    assert got == pytest.approx(-1 / (1 + math.e), rel=1e-15)


@settings(max_examples=40, deadline=None)
@given(FLOATS, FLOATS, st.floats(min_value=0.01, max_value=5))
def test_gan_discriminator_properties(r, f, step):
    loss = G.gan_discriminator(t([r]), t([f]), reduction="sum")
    assert loss.item() >= 0
    # raising the real logit (or lowering the fake one) never increases the loss
    assert G.gan_discriminator(t([r + step]), t([f]), reduction="sum") <= loss
    assert G.gan_discriminator(t([r]), t([f - step]), reduction="sum") <= loss
    grad = G.gan_discriminator_grad(t([r]), t([f]), reduction="sum").item()
    assert -1 <= grad <= 0


# --- GAN generator ----------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gan_generator_modes_against_bce(reduction):
    f = t([-5.0, -1.0, 0.0, 0.5, 4.0])
    bce = F.binary_cross_entropy_with_logits
    ns = G.gan_generator(f, mode="non_saturating", reduction=reduction)
    torch.testing.assert_close(ns, bce(f, torch.ones_like(f), reduction=reduction))
    mm = G.gan_generator(f, mode="minimax", reduction=reduction)
    torch.testing.assert_close(mm, -bce(f, torch.zeros_like(f), reduction=reduction))


def test_gan_generator_hand_values():
    # f = 0: NS = -log(1/2) = log 2 ; minimax = log(1 - 1/2) = -log 2
    assert G.gan_generator(t([0.0])).item() == pytest.approx(math.log(2), rel=1e-15)
    assert G.gan_generator(t([0.0]), mode="minimax").item() == pytest.approx(-math.log(2), rel=1e-15)
    # f = -3: minimax = log(1 - σ(-3)) = -log(1 + e^-3) = -0.04858735157374206
    want = math.log(1 - _sigmoid(-3.0))
    assert G.gan_generator(t([-3.0]), mode="minimax").item() == pytest.approx(want, rel=1e-13)


def test_gan_generator_default_mode_is_non_saturating():
    f = t([-2.0, 1.0])
    torch.testing.assert_close(G.gan_generator(f), G.gan_generator(f, mode="non_saturating"))


def test_minimax_generator_saturates_where_non_saturating_does_not():
    # D confidently rejects the fake: f = -10 (D(G(z)) = σ(-10) ≈ 4.5e-5)
    f = t([-10.0])
    mm = autograd_of(G.gan_generator, f, mode="minimax").item()
    ns = autograd_of(G.gan_generator, f, mode="non_saturating").item()
    assert mm == pytest.approx(-_sigmoid(-10.0), rel=1e-12)   # -4.5397868702434395e-05
    assert ns == pytest.approx(-_sigmoid(10.0), rel=1e-12)    # -0.9999546021312976
    assert abs(mm) < 1e-4 and ns < -0.9999
    assert abs(ns / mm) > 2e4                                  # ≈ e^10 = 22026
    assert G.gan_generator_grad(f, mode="minimax").item() == pytest.approx(mm, rel=1e-12)
    assert G.gan_generator_grad(f).item() == pytest.approx(ns, rel=1e-12)


def test_gan_generator_minimax_is_negative_and_extremes_finite():
    f = torch.tensor([100.0, -100.0, 0.0], requires_grad=True)
    for mode in G.GAN_MODES:
        out = G.gan_generator(f, mode=mode, reduction="none")
        assert torch.isfinite(out).all()
        (g,) = torch.autograd.grad(out.sum(), f)
        assert torch.isfinite(g).all()
        torch.testing.assert_close(G.gan_generator_grad(f.detach(), mode=mode, reduction="none"), g)
    assert (G.gan_generator(t([-3.0, 0.0, 3.0]), mode="minimax", reduction="none") < 0).all()


@settings(max_examples=40, deadline=None)
@given(FLOATS)
def test_gan_generator_identity_between_modes(f):
    # softplus(-f) = softplus(f) - f, i.e. l_NS = -l_minimax - f
    ns = G.gan_generator(t([f]), reduction="sum").item()
    mm = G.gan_generator(t([f]), mode="minimax", reduction="sum").item()
    assert ns == pytest.approx(-mm - f, abs=1e-12)
    # both gradients push the fake logit up
    assert G.gan_generator_grad(t([f]), reduction="sum").item() < 0
    assert G.gan_generator_grad(t([f]), mode="minimax", reduction="sum").item() < 0


# --- Wasserstein ------------------------------------------------------------------
def test_wasserstein_critic_hand_values():
    r, f = t([3.0, 1.0]), t([1.0, 2.0])
    # per pair f - r = [-2, 1]; mean -0.5; sum -1
    torch.testing.assert_close(G.wasserstein_critic(r, f, reduction="none"), t([-2.0, 1.0]))
    assert G.wasserstein_critic(r, f).item() == -0.5
    assert G.wasserstein_critic(r, f, reduction="sum").item() == -1.0
    torch.testing.assert_close(G.wasserstein_critic_grad(r, f), t([-0.5, -0.5]))
    torch.testing.assert_close(G.wasserstein_critic_grad(r, f, reduction="none"), t([-1.0, -1.0]))


def test_wasserstein_generator_hand_values():
    f = t([2.0, -1.0, 0.5, 0.5])
    # -mean f = -(2 - 1 + 0.5 + 0.5)/4 = -0.5
    assert G.wasserstein_generator(f).item() == -0.5
    torch.testing.assert_close(G.wasserstein_generator_grad(f), torch.full_like(f, -0.25))


@settings(max_examples=30, deadline=None)
@given(st.lists(FLOATS, min_size=2, max_size=2), st.lists(FLOATS, min_size=2, max_size=2),
       FLOATS, st.floats(min_value=0.1, max_value=10))
def test_wasserstein_critic_properties(r, f, c, k):
    r, f = t([*r]), t([*f])
    loss = G.wasserstein_critic(r, f)
    # antisymmetric in the two samples, blind to a common shift of the scores ...
    torch.testing.assert_close(G.wasserstein_critic(f, r), -loss)
    torch.testing.assert_close(G.wasserstein_critic(r + c, f + c), loss, atol=1e-12, rtol=1e-12)
    # ... and scaled by any scaling of the critic: unbounded without a Lipschitz constraint
    torch.testing.assert_close(G.wasserstein_critic(k * r, k * f), k * loss, atol=1e-12, rtol=1e-12)


# --- VAE --------------------------------------------------------------------------
def test_elbo_hand_values_mse():
    recon, target = t([0.5, 1.0]).reshape(1, 2), t([0.0, 1.0]).reshape(1, 2)
    mu, logvar = t([1.0]).reshape(1, 1), t([0.0]).reshape(1, 1)
    # rec = 0.5² + 0² = 0.25 ; KL = -1/2 (1 + 0 - 1 - e^0) = 0.5
    assert G.elbo(recon, target, mu, logvar).item() == pytest.approx(0.75, rel=1e-15)
    assert G.elbo(recon, target, mu, logvar, beta=2.0).item() == pytest.approx(1.25, rel=1e-15)
    assert G.elbo(recon, target, mu, logvar, beta=0).item() == pytest.approx(0.25, rel=1e-15)


def test_elbo_hand_values_bce_and_mean_over_samples():
    recon = t([0.8, 0.0]).reshape(2, 1)
    target = t([1.0, 1.0]).reshape(2, 1)
    mu, logvar = torch.zeros(2, 3, dtype=D64), torch.zeros(2, 3, dtype=D64)
    # sample 0: -log 0.8 = 0.2231435513142097 ; sample 1: log 0 clamped at -100 -> 100 ; KL = 0
    want0 = -math.log(0.8)
    none = G.elbo(recon, target, mu, logvar, recon_loss="bce", reduction="none")
    torch.testing.assert_close(none, t([want0, 100.0]))
    assert G.elbo(recon, target, mu, logvar, recon_loss="bce").item() == pytest.approx((want0 + 100) / 2)


def test_elbo_mean_is_over_samples_not_elements():
    # two samples of 3 elements each, every squared error 1: per-sample sum 3, mean over samples 3
    recon = torch.ones(2, 3, dtype=D64)
    target = torch.zeros(2, 3, dtype=D64)
    zeros = torch.zeros(2, 4, dtype=D64)
    assert G.elbo(recon, target, zeros, zeros).item() == 3.0
    assert F.mse_loss(recon, target).item() == 1.0   # what F.mse_loss's 'mean' would give instead


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_elbo_bce_against_pytorch(dtype, reduction):
    g = torch.Generator().manual_seed(1)
    recon = torch.rand(3, 2, 4, generator=g, dtype=D64).to(dtype)
    recon[0, 0, :2] = torch.tensor([0.0, 1.0])          # the clamped ends
    target = torch.rand(3, 2, 4, generator=g, dtype=D64).to(dtype)
    mu = torch.randn(3, 5, generator=g, dtype=D64).to(dtype)
    logvar = torch.randn(3, 5, generator=g, dtype=D64).to(dtype)
    rec = F.binary_cross_entropy(recon, target, reduction="none").sum((1, 2))
    kl = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0)).sum(-1)
    per = rec + 0.7 * kl
    want = {"none": per, "mean": per.mean(), "sum": per.sum()}[reduction]
    got = G.elbo(recon, target, mu, logvar, beta=0.7, recon_loss="bce", reduction=reduction)
    torch.testing.assert_close(got, want)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_elbo_bce_closed_form_grad_incl_clamped_ends(reduction):
    recon = t([0.0, 1.0, 0.0, 1.0, 0.3, 0.9]).reshape(2, 3)
    target = t([0.0, 1.0, 1.0, 0.0, 0.2, 1.0]).reshape(2, 3)
    mu, logvar = t([0.5, -1.0]).reshape(2, 1), t([0.1, -0.2]).reshape(2, 1)
    kw = dict(recon_loss="bce", reduction=reduction)
    auto = autograd_of(G.elbo, recon, target, mu, logvar, **kw)
    closed = G.elbo_grad(recon, target, mu, logvar, **kw)
    assert torch.isfinite(auto).all()
    torch.testing.assert_close(closed, auto)
    # away from the ends it is (x̂ - x)/(x̂(1 - x̂)): x̂ = 0.3, x = 0.2 -> 0.1/0.21 (sample 1, 'sum')
    if reduction != "mean":
        assert closed[1, 1].item() == pytest.approx(0.1 / 0.21, rel=1e-12)


def test_gaussian_kl_against_torch_distributions():
    g = torch.Generator().manual_seed(2)
    mu = torch.randn(6, 4, generator=g, dtype=D64) * 2
    logvar = torch.randn(6, 4, generator=g, dtype=D64) * 2
    want = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0)).sum(-1)
    torch.testing.assert_close(G._gaussian_kl(mu, logvar), want)


def test_gaussian_kl_against_monte_carlo():
    # KL(q || p) = E_q[log q(z) - log p(z)], estimated from 200 000 seeded draws of q
    mu, logvar = t([0.8, -0.5]).reshape(1, 2), t([0.4, -0.9]).reshape(1, 2)
    q = Normal(mu, torch.exp(0.5 * logvar))
    g = torch.Generator().manual_seed(3)
    z = mu + torch.exp(0.5 * logvar) * torch.randn(200_000, 2, generator=g, dtype=D64)
    terms = (q.log_prob(z) - Normal(0.0, 1.0).log_prob(z)).sum(-1)
    estimate, stderr = terms.mean().item(), terms.std().item() / math.sqrt(terms.numel())
    assert G._gaussian_kl(mu, logvar).item() == pytest.approx(estimate, abs=5 * stderr)
    # and the closed form by hand: 1/2 Σ (μ² + e^v - 1 - v) with math.exp
    hand = 0.5 * sum(m * m + math.exp(v) - 1 - v for m, v in ((0.8, 0.4), (-0.5, -0.9)))
    assert G._gaussian_kl(mu, logvar).item() == pytest.approx(hand, rel=1e-14)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=4))
def test_gaussian_kl_nonnegative_and_zero_only_at_standard_normal(pairs):
    mu = t([*[p[0] for p in pairs]]).reshape(1, -1)
    logvar = t([*[p[1] for p in pairs]]).reshape(1, -1)
    kl = G._gaussian_kl(mu, logvar).item()
    assert kl >= 0
    # each term 1/2(μ² + e^v - 1 - v) is >= μ²/2 and, since e^v > 1 + v for v != 0, > 0 when v != 0
    biggest = max(max(abs(m), abs(v)) for m, v in pairs)
    if biggest > 1e-3:
        assert kl > 0
    assert G._gaussian_kl(torch.zeros_like(mu), torch.zeros_like(logvar)).item() == 0.0


def test_gaussian_kl_small_logvar_keeps_precision():
    # for v = 1e-8: e^v - 1 - v = v²/2 + v³/6 + ... = 5.0000000166667e-17 ; the naive form
    # -1/2(1 + v - e^v) evaluates to -0.0 in float64 (every digit cancels)
    v = 1e-8
    assert -0.5 * (1 + v - math.exp(v)) == 0.0
    got = G._gaussian_kl(torch.zeros(1, 1, dtype=D64), t([v]).reshape(1, 1)).item()
    want = 0.5 * (v * v / 2 + v**3 / 6)
    assert got == pytest.approx(want, rel=1e-6)


# --- MMD --------------------------------------------------------------------------
def _mmd_numpy(x, y, bandwidth):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def k(a, b):
        d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * bandwidth**2))
    return k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean()


def test_mmd_hand_1d_two_points_each():
    # x = {0, 1}, y = {0, 2}, σ = 1, k = exp(-d²/2):
    # mean k(x,x) = (1 + e^-½ + e^-½ + 1)/4 ; mean k(y,y) = (1 + e^-2 + e^-2 + 1)/4
    # mean k(x,y) = (k(0,0) + k(0,2) + k(1,0) + k(1,2))/4 = (1 + e^-2 + e^-½ + e^-½)/4
    # MMD² = [2 + 2e^-½ + 2 + 2e^-2 - 2 - 2e^-2 - 4e^-½]/4 = (1 - e^-½)/2 = 0.1967346701436833
    want = (1 - math.exp(-0.5)) / 2
    got = G.mmd(t([0.0, 1.0]).reshape(2, 1), t([0.0, 2.0]).reshape(2, 1)).item()
    assert got == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("n,m", [(4, 4), (5, 3), (1, 6)])
def test_mmd_against_numpy(n, m):
    g = torch.Generator().manual_seed(n * 10 + m)
    x = torch.randn(n, 3, generator=g, dtype=D64)
    y = torch.randn(m, 3, generator=g, dtype=D64) + 0.5
    for bw in (0.3, 1.0, 2.5):
        want = _mmd_numpy(x.numpy(), y.numpy(), bw)
        for reduction in REDUCTIONS:
            got = G.mmd(x, y, bandwidth=bw, reduction=reduction)
            assert got.dim() == 0          # unbatched: one value whatever the reduction
            assert got.item() == pytest.approx(want, rel=1e-12)


def test_mmd_batched_reductions():
    g = torch.Generator().manual_seed(4)
    x = torch.randn(3, 5, 2, generator=g, dtype=D64)
    y = torch.randn(3, 4, 2, generator=g, dtype=D64)
    want = t([*[_mmd_numpy(x[b].numpy(), y[b].numpy(), 0.7) for b in range(3)]])
    torch.testing.assert_close(G.mmd(x, y, bandwidth=0.7, reduction="none"), want)
    torch.testing.assert_close(G.mmd(x, y, bandwidth=0.7), want.mean())
    torch.testing.assert_close(G.mmd(x, y, bandwidth=0.7, reduction="sum"), want.sum())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mmd_closed_form_grad_unbatched(reduction):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(4, 2, generator=g, dtype=D64)
    y = torch.randn(6, 2, generator=g, dtype=D64)
    auto = autograd_of(G.mmd, x, y, bandwidth=0.8, reduction=reduction)
    torch.testing.assert_close(G.mmd_grad(x, y, bandwidth=0.8, reduction=reduction), auto)


def test_mmd_zero_and_finite_gradient_when_samples_coincide():
    g = torch.Generator().manual_seed(6)
    x = torch.randn(2, 4, 3, generator=g, dtype=D64)
    assert G.mmd(x, x.clone(), reduction="none").abs().max().item() == 0.0
    auto = autograd_of(G.mmd, x[0], x[0].clone())
    assert torch.isfinite(auto).all()         # torch.cdist would give NaN at distance 0
    torch.testing.assert_close(auto, torch.zeros_like(auto), atol=1e-15, rtol=0)
    torch.testing.assert_close(G.mmd_grad(x[0], x[0].clone()), auto, atol=1e-15, rtol=0)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000), st.floats(0.1, 5))
def test_mmd_nonnegative_and_symmetric(n, m, seed, bandwidth):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g, dtype=D64)
    y = torch.randn(m, 2, generator=g, dtype=D64) * 2
    value = G.mmd(x, y, bandwidth=bandwidth).item()
    assert value >= -1e-12                      # V-statistic of a positive-definite kernel
    assert G.mmd(y, x, bandwidth=bandwidth).item() == pytest.approx(value, abs=1e-12)
    perm = torch.randperm(n, generator=g)
    assert G.mmd(x[perm], y, bandwidth=bandwidth).item() == pytest.approx(value, abs=1e-12)


# --- perceptual -------------------------------------------------------------------
def test_perceptual_identity_extractor_is_per_sample_mse():
    g = torch.Generator().manual_seed(7)
    x = torch.randn(3, 2, 4, 4, generator=g, dtype=D64)
    y = torch.randn(3, 2, 4, 4, generator=g, dtype=D64)
    none = G.perceptual(x, y, lambda a: a, reduction="none")
    torch.testing.assert_close(none, (x - y).square().mean((1, 2, 3)))
    torch.testing.assert_close(G.perceptual(x, y, lambda a: a), F.mse_loss(x, y))


def test_perceptual_hand_value_two_layers():
    # one sample, features [x, 2x] of a 2-element input; x̂ - x = (1, -3):
    # layer 0: (1 + 9)/2 = 5 ; layer 1: (4 + 36)/2 = 20 ; λ = (1, 0.5) -> 5 + 10 = 15
    x_hat, x = t([1.0, 0.0]).reshape(1, 2), t([0.0, 3.0]).reshape(1, 2)
    got = G.perceptual(x_hat, x, lambda a: (a, 2 * a), layer_weights=[1.0, 0.5])
    assert got.item() == 15.0
    assert G.perceptual(x_hat, x, lambda a: [a, 2 * a]).item() == 25.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_perceptual_linear_extractor_gradient_by_hand(reduction):
    # f(x) = A x (per sample, flattened): ℓ_n = λ ||A x̂_n - A x_n||² / K, so
    # ∂ℓ_n/∂x̂_n = 2 λ Aᵀ(A x̂_n - A x_n) / K, divided by N for 'mean'
    g = torch.Generator().manual_seed(8)
    n, p, k, lam = 3, 6, 4, 0.7
    a = torch.randn(k, p, generator=g, dtype=D64)
    x_hat = torch.randn(n, 2, 3, generator=g, dtype=D64)
    x = torch.randn(n, 2, 3, generator=g, dtype=D64)

    def extractor(z):
        return z.reshape(z.shape[0], -1) @ a.T

    auto = autograd_of(G.perceptual, x_hat, x, extractor, layer_weights=[lam], reduction=reduction)
    resid = (x_hat - x).reshape(n, -1) @ a.T                      # A x̂ - A x, (N, K)
    hand = (2 * lam * resid @ a / k).reshape(n, 2, 3)
    if reduction == "mean":
        hand = hand / n
    torch.testing.assert_close(auto, hand)


def test_perceptual_catalog_example_and_zero_at_target():
    entry = lossviz.catalog()["perceptual"]
    (x_hat, x, extractor), kw = entry.example()
    feats = extractor(x)
    assert isinstance(feats, list) and len(feats) == 2
    assert G.perceptual(x, x, extractor, **kw).item() == 0.0
    assert G.perceptual(x_hat, x, extractor, **kw).item() > 0
    # float32 example: extractor converted too
    (x32, _, ext32), _ = entry.example(dtype=torch.float32)
    assert ext32(x32)[1].dtype == torch.float32


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.floats(0, 3), st.floats(0, 3))
def test_perceptual_nonnegative_and_linear_in_layer_weights(seed, w0, w1):
    g = torch.Generator().manual_seed(seed)
    x_hat = torch.randn(2, 5, generator=g, dtype=D64)
    x = torch.randn(2, 5, generator=g, dtype=D64)

    def ext(z):
        return [z, torch.tanh(z)]

    both = G.perceptual(x_hat, x, ext, layer_weights=(w0, w1), reduction="none")
    assert (both >= 0).all()
    l0 = G.perceptual(x_hat, x, ext, layer_weights=(1, 0), reduction="none")
    l1 = G.perceptual(x_hat, x, ext, layer_weights=(0, 1), reduction="none")
    torch.testing.assert_close(both, w0 * l0 + w1 * l1)


# --- error messages ---------------------------------------------------------------
def test_gan_and_wasserstein_errors():
    a, b = torch.zeros(3, dtype=D64), torch.zeros(4, dtype=D64)
    paired = (G.gan_discriminator, G.gan_discriminator_grad, G.wasserstein_critic, G.wasserstein_critic_grad)
    for fn in paired:
        with pytest.raises(ValueError, match=r"must have the same shape as .* \(3,\) \(no broadcasting\), "
                                             r"got \(4,\)"):
            fn(a, b)
        with pytest.raises(TypeError, match=r"must have the dtype of .*float64.*got torch.float32"):
            fn(a, a.float())
        with pytest.raises(TypeError, match=r"real_\w+ must be a floating-point tensor"):
            fn(torch.zeros(3, dtype=torch.long), a)
        with pytest.raises(TypeError, match=r"fake_\w+ must be a torch.Tensor, got list"):
            fn(a, [0.0, 0.0, 0.0])
    for fn in (G.gan_generator, G.gan_generator_grad):
        with pytest.raises(ValueError, match=r"mode must be one of 'minimax', 'non_saturating', "
                                             r"got 'nonsaturating'"):
            fn(a, mode="nonsaturating")
        with pytest.raises(TypeError, match=r"fake_logits must be a floating-point tensor"):
            fn(torch.zeros(3, dtype=torch.int32))
    for fn in (G.wasserstein_generator, G.wasserstein_generator_grad):
        with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
            fn(a, reduction="avg")


def _vae(n=2, d=3, j=2):
    return (torch.full((n, d), 0.5, dtype=D64), torch.full((n, d), 0.25, dtype=D64),
            torch.zeros(n, j, dtype=D64), torch.zeros(n, j, dtype=D64))


@pytest.mark.parametrize("fn", [G.elbo, G.elbo_grad])
def test_elbo_errors(fn):
    recon, target, mu, logvar = _vae()
    with pytest.raises(ValueError, match=r"beta must be >= 0, got -0.5"):
        fn(recon, target, mu, logvar, beta=-0.5)
    with pytest.raises(TypeError, match=r"beta must be a real number, got str"):
        fn(recon, target, mu, logvar, beta="1")
    with pytest.raises(ValueError, match=r"recon_loss must be one of 'mse', 'bce', got 'l1'"):
        fn(recon, target, mu, logvar, recon_loss="l1")
    with pytest.raises(ValueError, match=r"target must have the same shape as recon \(2, 3\)"):
        fn(recon, target[:, :2], mu, logvar)
    with pytest.raises(ValueError, match=r"logvar must have the same shape as mu \(2, 2\)"):
        fn(recon, target, mu, logvar[:, :1])
    with pytest.raises(ValueError, match=r"mu must have the batch size of recon \(2\) in dim 0, "
                                         r"got shape \(3, 2\)"):
        fn(recon, target, torch.zeros(3, 2, dtype=D64), torch.zeros(3, 2, dtype=D64))
    with pytest.raises(ValueError, match=r"mu must have 2 dimensions, got shape \(2,\)"):
        fn(recon, target, mu[:, 0], logvar[:, 0])
    with pytest.raises(TypeError, match=r"mu must have the dtype of recon \(torch.float64\), "
                                        r"got torch.float32"):
        fn(recon, target, mu.float(), logvar.float())
    with pytest.raises(TypeError, match=r"recon must be a floating-point tensor"):
        fn(recon.long(), target, mu, logvar)
    with pytest.raises(ValueError, match=r"recon must have at least 1 dimensions"):
        fn(recon[0, 0], target[0, 0], mu, logvar)
    bad = recon.clone()
    bad[0, 0] = 1.5
    with pytest.raises(ValueError, match=r"recon must hold probabilities in \[0, 1\], got a value 1.5"):
        fn(bad, target, mu, logvar, recon_loss="bce")
    fn(bad, target, mu, logvar, recon_loss="mse")              # any real value is fine for 'mse'
    with pytest.raises(ValueError, match=r"target must hold probabilities in \[0, 1\], got a value -0.25"):
        fn(recon, -target, mu, logvar, recon_loss="bce")


def test_gaussian_kl_errors():
    x = torch.zeros(2, 4, dtype=D64)
    with pytest.raises(ValueError, match=r"logvar must have the same shape as mu \(2, 3\)"):
        G.elbo(x, x, torch.zeros(2, 3, dtype=D64), torch.zeros(2, 2, dtype=D64))
    with pytest.raises(TypeError, match=r"mu must be a floating-point tensor"):
        G.elbo(x, x, torch.zeros(2, 3, dtype=torch.long), torch.zeros(2, 3, dtype=D64))


@pytest.mark.parametrize("fn", [G.mmd, G.mmd_grad])
def test_mmd_errors(fn):
    x, y = torch.zeros(4, 2, dtype=D64), torch.ones(3, 2, dtype=D64)
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match=rf"bandwidth must be > 0, got {bad!r}"):
            fn(x, y, bandwidth=bad)
    with pytest.raises(ValueError, match=r"y must have the feature size of x \(2\) in its last dim, "
                                         r"got shape \(3, 5\)"):
        fn(x, torch.ones(3, 5, dtype=D64))
    with pytest.raises(ValueError, match=r"y must have as many dimensions as x \(2\), "
                                         r"got shape \(1, 3, 2\)"):
        fn(x, y[None])
    with pytest.raises(ValueError, match=r"y must have the batch size of x \(2\) in dim 0, "
                                         r"got shape \(3, 3, 2\)"):
        fn(torch.zeros(2, 4, 2, dtype=D64), torch.zeros(3, 3, 2, dtype=D64))
    with pytest.raises(ValueError, match=r"x must have 2 or 3 dimensions, got shape \(4,\)"):
        fn(x[:, 0], y[:, 0])
    with pytest.raises(ValueError, match=r"y must not be empty, got shape \(0, 2\)"):
        fn(x, y[:0])
    with pytest.raises(TypeError, match=r"y must have the dtype of x \(torch.float64\), got torch.float32"):
        fn(x, y.float())
    with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
        fn(x, y, reduction="avg")


def test_perceptual_errors():
    x, y = torch.zeros(2, 4, dtype=D64), torch.ones(2, 4, dtype=D64)

    def two(a):
        return [a, 2 * a]

    with pytest.raises(ValueError, match=r"layer_weights must have one weight per layer \(2 returned by "
                                         r"feature_extractor\), got 3"):
        G.perceptual(x, y, two, layer_weights=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"layer_weights\[1\] must be >= 0, got -1.0"):
        G.perceptual(x, y, two, layer_weights=(1.0, -1.0))
    with pytest.raises(TypeError, match=r"layer_weights must be None or a sequence of non-negative numbers, "
                                        r"got float"):
        G.perceptual(x, y, two, layer_weights=1.0)
    with pytest.raises(TypeError, match=r"feature_extractor must be callable .*, got str 'vgg16'"):
        G.perceptual(x, y, "vgg16")
    with pytest.raises(TypeError, match=r"feature_extractor\(input\) must return a tensor or a list/tuple of "
                                        r"tensors, got ndarray at layer 0"):
        G.perceptual(x, y, lambda a: a.numpy())
    with pytest.raises(ValueError, match=r"feature_extractor\(input\) layer 0 must have the batch size of "
                                         r"input \(2\) in dim 0, got shape \(8,\)"):
        G.perceptual(x, y, lambda a: a.flatten())
    with pytest.raises(ValueError, match=r"feature_extractor\(input\) must return at least one "
                                         r"feature tensor"):
        G.perceptual(x, y, lambda a: [])
    with pytest.raises(ValueError, match=r"target must have the same shape as input \(2, 4\)"):
        G.perceptual(x, y[:, :3], two)
    with pytest.raises(TypeError, match=r"input must be a floating-point tensor"):
        G.perceptual(x.long(), y, two)
    with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
        G.perceptual(x, y, two, reduction="avg")
