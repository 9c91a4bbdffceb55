"""Figures of the cross-entropy notebook: factories build, sliders move pixels, data are right."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossviz
from lossviz.plots import classification as P

IDS = ("bce_terms", "label_smoothing", "margin_losses")
FACTORIES = (P.bce_terms_figure, P.label_smoothing_figure, P.margin_losses_figure)


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- binary cross entropy -----------------------------------------------------------------
def test_bce_terms_values():
    p = np.array([0.01, 0.2, 0.5, 0.9])
    for y in (0.0, 0.3, 1.0):
        v = P.bce_terms(p, y)
        np.testing.assert_allclose(v["pos"], -np.log(p), rtol=1e-12)
        np.testing.assert_allclose(v["neg"], -np.log1p(-p), rtol=1e-12)
        np.testing.assert_allclose(v["loss"], y * -np.log(p) + (1 - y) * -np.log1p(-p), rtol=1e-12)
        np.testing.assert_allclose(v["grad_p"], (p - y) / (p * (1 - p)), rtol=1e-10)
        np.testing.assert_allclose(v["grad_z"], p - y, rtol=1e-10, atol=1e-15)
    # by hand: -ln 0.2 = 1.609438, -ln 0.8 = 0.223144
    v = P.bce_terms([0.2], 1.0)
    assert v["loss"][0] == pytest.approx(1.609438, abs=1e-6)
    assert P.bce_terms([0.2], 0.0)["loss"][0] == pytest.approx(0.223144, abs=1e-6)


def test_bce_terms_soft_label_minimum_is_entropy():
    p = np.linspace(0.001, 0.999, 999)
    y = 0.3
    v = P.bce_terms(p, y)
    k = int(np.argmin(v["loss"]))
    assert p[k] == pytest.approx(y)
    assert v["loss"][k] == pytest.approx(-(0.3 * math.log(0.3) + 0.7 * math.log(0.7)))


def test_bce_terms_rejects_bad_input():
    with pytest.raises(ValueError, match="p must lie strictly between 0 and 1"):
        P.bce_terms([0.0, 0.5], 1.0)
    with pytest.raises(ValueError, match="y must be"):
        P.bce_terms([0.5], 1.5)


# --- label smoothing ------------------------------------------------------------------------
def test_smoothed_target_values():
    np.testing.assert_allclose(P.smoothed_target(5, 0.1, "all"), [0.92, 0.02, 0.02, 0.02, 0.02])
    np.testing.assert_allclose(P.smoothed_target(5, 0.1, "others"), [0.9, 0.025, 0.025, 0.025, 0.025])
    for conv in P.CONVENTIONS:
        np.testing.assert_allclose(P.smoothed_target(4, 0.0, conv), [1, 0, 0, 0])
        for k in (2, 3, 10):
            assert P.smoothed_target(k, 0.37, conv).sum() == pytest.approx(1.0)
    # 'others' with ε is 'all' with εK/(K−1)
    np.testing.assert_allclose(P.smoothed_target(5, 0.1, "others"), P.smoothed_target(5, 0.1 * 5 / 4, "all"))


def test_smoothed_target_all_is_pytorch():
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(6, 7, generator=gen, dtype=torch.float64)
    y = torch.zeros(6, dtype=torch.long)  # the true class is class 0, as in smoothed_target
    q = torch.as_tensor(P.smoothed_target(7, 0.2, "all")).expand(6, 7)
    ours = -(q * torch.log_softmax(z, 1)).sum(1).mean()
    assert ours.item() == pytest.approx(F.cross_entropy(z, y, label_smoothing=0.2).item(), rel=1e-12)


def test_optimal_gap_formulas_and_minimum():
    k, eps = 5, 0.1
    assert P.optimal_gap(k, eps, "all") == pytest.approx(math.log(46))
    assert P.optimal_gap(k, eps, "others") == pytest.approx(math.log(36))
    assert P.optimal_gap(10, 0.1, "all") == pytest.approx(math.log(91))
    assert P.optimal_gap(5, 0.0) == math.inf
    for conv in P.CONVENTIONS:
        gaps = np.linspace(0, 10, 200001)
        loss = P.smoothing_loss(gaps, k, eps, conv)
        assert gaps[np.argmin(loss)] == pytest.approx(P.optimal_gap(k, eps, conv), abs=1e-4)
        # the minimum is H(q); at g = 0 every class gets 1/K, so the loss is log K
        assert loss.min() == pytest.approx(P.target_entropy(k, eps, conv), abs=1e-9)
        assert loss[0] == pytest.approx(math.log(k))
    # without smoothing the loss keeps falling: no finite optimum
    assert np.all(np.diff(P.smoothing_loss(np.linspace(0, 30, 31), 5, 0.0)) < 0)


def test_smoothing_loss_matches_lossviz_label_smoothing():
    gaps = np.array([0.0, 1.5, 4.0])
    logits = torch.zeros(3, 6, dtype=torch.float64)
    logits[:, 0] = torch.as_tensor(gaps)
    ref = lossviz.cross_entropy(logits, torch.zeros(3, dtype=torch.long), label_smoothing=0.25, reduction="none")
    np.testing.assert_allclose(P.smoothing_loss(gaps, 6, 0.25, "all"), ref.numpy(), rtol=1e-12)


def test_target_entropy():
    assert P.target_entropy(4, 0.0) == 0.0
    assert math.copysign(1.0, P.target_entropy(4, 0.0)) == 1.0  # no "-0.000" in readouts
    q = P.smoothed_target(5, 0.1)
    assert P.target_entropy(5, 0.1) == pytest.approx(-(q * np.log(q)).sum())


def test_label_smoothing_rejects_bad_input():
    with pytest.raises(ValueError, match="num_classes must be"):
        P.smoothed_target(1, 0.1)
    with pytest.raises(ValueError, match="eps must be"):
        P.smoothed_target(5, 1.5)
    with pytest.raises(ValueError, match="convention must be one of"):
        P.smoothed_target(5, 0.1, "some")


# --- margin losses ---------------------------------------------------------------------------
def test_margin_losses_values():
    m = np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    v = P.margin_losses(m, margin=1.0, base=2.0)
    np.testing.assert_array_equal(v["zero_one"], [1, 1, 1, 0, 0, 0])
    np.testing.assert_allclose(v["hinge"], np.maximum(0, 1 - m))
    np.testing.assert_allclose(v["logistic"], np.log2(1 + np.exp(-m)), rtol=1e-12)
    np.testing.assert_allclose(v["d_logistic"], -1 / (1 + np.exp(m)) / math.log(2), rtol=1e-12)
    np.testing.assert_array_equal(v["d_hinge"], [-1, -1, -1, -1, 0, 0])  # 0 at the kink m = margin
    np.testing.assert_array_equal(v["d_zero_one"], 0)
    assert v["logistic"][2] == pytest.approx(1.0)  # log2 2
    ve = P.margin_losses(m, margin=2.0, base=math.e)
    np.testing.assert_allclose(ve["hinge"], np.maximum(0, 2 - m))
    np.testing.assert_allclose(ve["logistic"], np.log1p(np.exp(-m)), rtol=1e-12)


def test_logistic_bounds_zero_one_only_for_base_at_most_2():
    m = np.linspace(-5, 5, 2001)
    for base, bound in ((1.5, True), (2.0, True), (math.e, False), (10.0, False)):
        v = P.margin_losses(m, base=base)
        assert bool((v["logistic"] >= v["zero_one"]).all()) is bound, base


def test_margin_losses_rejects_bad_input():
    with pytest.raises(ValueError, match="base must be"):
        P.margin_losses([0.0], base=1.0)
    with pytest.raises(ValueError, match="margin must be"):
        P.margin_losses([0.0], margin=-1.0)


# --- factories ---------------------------------------------------------------------------------
def test_label_smoothing_bars_follow_k():
    live = P.label_smoothing_figure(lang="en", eps=0.2, num_classes=3)
    heights = [a.get_height() for a in live.dynamic[:20]]
    np.testing.assert_allclose(heights[:3], P.smoothed_target(3, 0.2, "all"))
    np.testing.assert_allclose(heights[10:13], P.smoothed_target(3, 0.2, "others"))
    assert heights[3:10] == [0.0] * 7 and heights[13:20] == [0.0] * 7
    live.update(num_classes=7.4)  # a float slider value rounds to a class count
    heights = [a.get_height() for a in live.dynamic[:10]]
    np.testing.assert_allclose(heights[:7], P.smoothed_target(7, 0.2, "all"))
    text = live.dynamic[-1].get_text()
    assert "K = 7" in text and f"{P.optimal_gap(7, 0.2):.3f}" in text


def test_label_smoothing_readout_at_zero():
    live = P.label_smoothing_figure(lang="en", eps=0.0)
    text = live.dynamic[-1].get_text()
    assert "∞" in text and "-0.000" not in text


def test_bce_readout():
    live = P.bce_terms_figure(lang="en", y=1.0, p=0.2)
    text = live.dynamic[-1].get_text()
    assert "ℓ = 1.609" in text and "∂ℓ/∂z = -0.800" in text


def test_margin_readout_bound():
    live = P.margin_losses_figure(lang="en", base=2.0)
    assert "upper bound" in live.dynamic[-1].get_text()
    live.update(base=10.0)
    assert "falls below" in live.dynamic[-1].get_text()



# --- the source notes' label-smoothing class (the notebook's check) ------------------------------
def test_note_label_smoothing_class_equals_torch_and_lossviz():
    class NoteLabelSmoothingCE(torch.nn.Module):  # LabelSmoothingCrossEntropy of note 004, as written there
        def __init__(self, epsilon=0.1):
            super().__init__()
            self.epsilon = epsilon

        def forward(self, inputs, targets):
            n_classes = inputs.size(-1)
            log_probs = F.log_softmax(inputs, dim=-1)
            targets_one_hot = F.one_hot(targets, n_classes).float()
            targets_smooth = (1 - self.epsilon) * targets_one_hot + self.epsilon / n_classes
            return -(targets_smooth * log_probs).sum(dim=-1).mean()

    gen = torch.Generator().manual_seed(0)
    x = torch.randn(32, 10, generator=gen)
    y = torch.randint(0, 10, (32,), generator=gen)
    for eps in (0.0, 0.1, 0.3):
        a = NoteLabelSmoothingCE(eps)(x, y)
        assert a.item() == pytest.approx(F.cross_entropy(x, y, label_smoothing=eps).item(), rel=1e-6)
        assert a.item() == pytest.approx(lossviz.cross_entropy(x, y, label_smoothing=eps).item(), rel=1e-6)
