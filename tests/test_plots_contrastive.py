"""Figures of the InfoNCE notebook: factories build, sliders move pixels, data are right."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossviz
from lossviz.plots import FIGURES
from lossviz.plots import contrastive as C

IDS = ("infonce_temperature", "exp_amplification")


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- pure data functions --------------------------------------------------------------
def test_candidate_probs_by_hand():
    # two candidates, s = (0.5, 0.0), tau = 0.5: P+ = e^1 / (e^1 + e^0) = sigmoid(1) = 0.731059
    p = C.candidate_probs(0.5, [0.0], tau=0.5)
    assert p[0] == pytest.approx(1 / (1 + math.exp(-1)))
    assert p[0] == pytest.approx(0.731059, abs=1e-6)
    p = C.candidate_probs(C.POSITIVE, tau=0.3)
    assert p.sum() == pytest.approx(1.0)
    assert p.shape == (len(C.NEGATIVES) + 1,)
    assert (np.diff(p[1:]) < 0).all()  # NEGATIVES is sorted hardest first


def test_negative_weights_and_effective_number():
    k = len(C.NEGATIVES)
    # tau -> infinity: uniform over the K negatives, exp(H) = K; tau -> 0: all on the hardest, exp(H) = 1
    np.testing.assert_allclose(C.negative_weights(tau=1e6), np.full(k, 1 / k), rtol=1e-5)
    assert C.effective_negatives(tau=1e6) == pytest.approx(k, rel=1e-6)
    assert C.negative_weights(tau=1e-3)[0] == pytest.approx(1.0)
    assert C.effective_negatives(tau=1e-3) == pytest.approx(1.0, abs=1e-12)
    # monotone in tau: a smaller tau concentrates the weight (the claim of note 000)
    taus = np.geomspace(0.02, 2.0, 40)
    eff = [C.effective_negatives(tau=v) for v in taus]
    hardest = [C.negative_weights(tau=v)[0] for v in taus]
    assert (np.diff(eff) > 0).all()
    assert (np.diff(hardest) < 0).all()
    # hand value: two negatives (0.5, 0.0) at tau = 0.5 -> weights sigmoid(±1), exp(H)
    w = 1 / (1 + math.exp(-1))
    h = -(w * math.log(w) + (1 - w) * math.log(1 - w))
    assert C.effective_negatives([0.5, 0.0], tau=0.5) == pytest.approx(math.exp(h))


def test_infonce_of_sims_matches_cross_entropy_and_autograd():
    s = torch.tensor([C.POSITIVE, *C.NEGATIVES], dtype=torch.float64, requires_grad=True)
    for tau in (0.05, 0.2, 1.0):
        loss, g = C.infonce_of_sims(C.POSITIVE, tau=tau)
        # F.cross_entropy on the logits s / tau with class 0: the (K+1)-way CE
        ref = F.cross_entropy((s / tau)[None], torch.tensor([0]))
        (g_ref,) = torch.autograd.grad(ref, s)
        assert loss == pytest.approx(ref.item(), rel=1e-12)
        np.testing.assert_allclose(g, g_ref.numpy(), rtol=1e-10, atol=1e-14)
        # the gradient sums to 0 (softmax minus one-hot), the positive's entry is (P+ - 1)/tau
        assert g.sum() == pytest.approx(0.0, abs=1e-12)
        assert g[0] == pytest.approx((C.candidate_probs(C.POSITIVE, tau=tau)[0] - 1) / tau)


def test_toy_vectors_have_the_cosines():
    q, k, neg = C.toy_vectors(C.POSITIVE)
    assert q.shape == (1, len(C.NEGATIVES) + 2) and k.shape == q.shape and neg.shape == (len(C.NEGATIVES), q.shape[1])
    for v in (q, k, neg):
        np.testing.assert_allclose(torch.linalg.vector_norm(v, dim=1).numpy(), 1.0, rtol=1e-15)
    np.testing.assert_allclose((k @ q.T).item(), C.POSITIVE, rtol=1e-15)
    np.testing.assert_allclose((neg @ q.T).ravel().numpy(), C.NEGATIVES, rtol=1e-15, atol=1e-16)
    # lossviz.infonce on these vectors is the loss of the similarities
    for tau in (0.05, 0.5):
        loss, _ = C.infonce_of_sims(C.POSITIVE, tau=tau)
        assert lossviz.infonce(q, k, neg, temperature=tau).item() == pytest.approx(loss, rel=1e-12)


def test_grad_norms():
    taus = [0.05, 0.2, 1.0]
    out = C.grad_norms(C.POSITIVE, taus=taus)
    q, k, neg = C.toy_vectors(C.POSITIVE)
    for i, tau in enumerate(taus):
        qq = q.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(lossviz.infonce(qq, k, neg, temperature=tau), qq)
        assert out["dq"][i] == pytest.approx(torch.linalg.vector_norm(g).item(), rel=1e-10)
        # the query gradient is the part of sum_c (P_c - 1[c=+]) k_c / tau orthogonal to q: never larger
        assert out["dq"][i] <= out["ds"][i] * 1.5
    # far above the largest gap the gradient tends to 1/tau times a tau-free vector: tau * ||dL/ds|| flattens
    big = C.grad_norms(C.POSITIVE, taus=[100.0, 1000.0])
    s = np.array([C.POSITIVE, *C.NEGATIVES])
    k1 = s.size
    limit = np.linalg.norm(np.full(k1, 1 / k1) - np.eye(k1)[0])  # ||uniform - onehot||
    assert 1000.0 * big["ds"][1] == pytest.approx(limit, rel=1e-3)


def test_weight_ratio():
    assert C.weight_ratio(0.7, 0.1, tau=1.0) == pytest.approx(math.exp(0.6))
    assert C.weight_ratio(0.7, 0.1, tau=0.05) == pytest.approx(math.exp(12.0))
    np.testing.assert_allclose(C.weight_ratio(0.3, 0.3, tau=[0.01, 1.0]), [1.0, 1.0])
    with pytest.raises(ValueError, match="tau must be > 0, got"):
        C.weight_ratio(0.5, 0.0, tau=[0.1, 0.0])


def test_uniform_sphere_uniformity():
    # sphere: (1 - e^-8) / 8 -> log = -2.0790; circle: e^-4 I0(4), I0(4) = 11.301922 (tables)
    assert C.uniform_sphere_uniformity(3) == pytest.approx(math.log((1 - math.exp(-8)) / 8))
    assert C.uniform_sphere_uniformity(2) == pytest.approx(math.log(math.exp(-4) * 11.301922), abs=1e-6)
    # Monte Carlo on the sphere agrees
    g = torch.Generator().manual_seed(0)
    u = F.normalize(torch.randn(4000, 3, generator=g, dtype=torch.float64), dim=1)
    v = F.normalize(torch.randn(4000, 3, generator=g, dtype=torch.float64), dim=1)
    mc = torch.log(torch.exp(-2 * (u - v).square().sum(1)).mean()).item()
    assert mc == pytest.approx(C.uniform_sphere_uniformity(3), abs=0.03)


@pytest.mark.parametrize("bad", [dict(s_pos=1.5), dict(s_neg=[0.2, -1.2]), dict(s_neg=[])])
def test_checks(bad):
    kw = dict(s_pos=0.5, s_neg=[0.1]) | bad
    with pytest.raises(ValueError, match="got"):
        C.candidate_probs(kw["s_pos"], kw["s_neg"], tau=0.1)


# --- factories --------------------------------------------------------------------------
@pytest.mark.parametrize("fig_id", IDS)
@pytest.mark.parametrize("which", [0, 1])
def test_slider_changes_pixels(fig_id, which):
    live = FIGURES[fig_id]()
    s = live.sliders[which]
    live.update(**{s.name: s.low})
    a = live.render_png()
    live.update(**{s.name: s.high})
    b = live.render_png()
    live.update(**{s.name: s.low})
    c = live.render_png()
    assert a != b
    assert a == c  # the same values draw the same picture (cached background, no drift)




@pytest.mark.parametrize("s_pos", [-0.9, 0.0, 0.35, 0.8, 1.0])
def test_closed_form_curves_equal_the_loss_functions(s_pos):
    taus = np.geomspace(0.02, 2.0, 37)
    fast = C.grad_norm_curves(s_pos, taus=taus)
    slow = C.grad_norms(s_pos, taus=taus)  # lossviz.infonce_grad and cross_entropy_grad, one τ at a time
    for key in ("loss", "ds", "dq"):
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-10, atol=1e-14)
    with pytest.raises(ValueError, match="taus must"):
        C.grad_norm_curves(0.5, taus=[0.1, 0.0])
