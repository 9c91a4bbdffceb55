"""Figures of the focal-loss notebook: factories build, sliders move pixels, numbers are right."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lossviz.plots import FIGURES
from lossviz.plots import focal as P

IDS = ("focal_loss", "focal_ratio", "focal_gradient")
PT = np.array([0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99])


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- pure data functions --------------------------------------------------------------
def test_focal_values_by_hand():
    # FL = -(1 - p)^γ log p: at p = 0.9, γ = 5: 1e-5 * 0.1053605 = 1.0536e-6 (not 1e-5)
    assert P.focal_values([0.9], 5.0)[0] == pytest.approx(1e-5 * -math.log(0.9), rel=1e-10)
    assert P.focal_values([0.95], 5.0)[0] == pytest.approx(0.05**5 * -math.log(0.95), rel=1e-10)
    assert P.focal_values([0.95], 5.0)[0] == pytest.approx(1.6029e-8, rel=1e-4)
    np.testing.assert_allclose(P.focal_values(PT, 2.0, alpha_t=0.25), 0.25 * (1 - PT) ** 2 * -np.log(PT), rtol=1e-10)
    np.testing.assert_allclose(P.focal_values(PT, 0.0), P.ce_values(PT), rtol=1e-12)
    np.testing.assert_allclose(P.ce_values(PT), -np.log(PT), rtol=1e-10)


def test_loss_ratio_is_modulating_factor():
    for g in (0.0, 0.5, 1.0, 2.0, 5.0):
        np.testing.assert_allclose(P.loss_ratio(PT, g), (1 - PT) ** g, rtol=1e-9)


def test_gradient_closed_form_matches_autograd_and_lossviz():
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    for g in (0.0, 0.5, 1.0, 2.0, 5.0):
        x = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        loss = -((1 - torch.sigmoid(x)) ** g) * torch.nn.functional.logsigmoid(x)
        (auto,) = torch.autograd.grad(loss.sum(), x)
        np.testing.assert_allclose(P.focal_grad_z(z, g), auto.numpy(), rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(P.grad_closed_form(p, g), auto.numpy(), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(P.ce_grad_z(z), p - 1, atol=1e-15)


def test_gradient_table_gamma_2():
    # −(1−p)^2 [(1−p) − 2 p ln p]; at p = 0.5: 0.25 (0.5 + ln 2) = 0.298287
    want = {0.5: 0.25 * (0.5 + math.log(2)), 0.7: 0.09 * (0.3 - 1.4 * math.log(0.7)),
            0.9: 0.01 * (0.1 - 1.8 * math.log(0.9)), 0.99: 1e-4 * (0.01 - 1.98 * math.log(0.99))}
    for p, v in want.items():
        assert -P.grad_closed_form([p], 2.0)[0] == pytest.approx(v, rel=1e-12)
    assert -P.grad_closed_form([0.5], 2.0)[0] == pytest.approx(0.2983, abs=5e-5)
    assert -P.grad_closed_form([0.99], 2.0)[0] == pytest.approx(2.99e-6, rel=1e-3)
    hard_easy = P.grad_closed_form([0.5], 2.0)[0] / P.grad_closed_form([0.99], 2.0)[0]
    assert 99_000 < hard_easy < 100_500  # not 5 800


def test_note_forms_agree_with_each_other_not_with_the_gradient():
    forms = P.note_grad_forms(PT, 2.0)
    np.testing.assert_allclose(forms["stated"], forms["simplified"], rtol=1e-12)
    np.testing.assert_allclose(forms["stated"], forms["further"], rtol=1e-12)
    assert P.note_grad([0.5], 2.0)[0] == pytest.approx(-0.5 * (0.25 + math.log(0.5)), rel=1e-12)  # +0.2216
    assert P.note_grad([0.5], 2.0)[0] > 0 > P.grad_closed_form([0.5], 2.0)[0]
    # at γ = 0 both reduce to the CE gradient p − 1
    np.testing.assert_allclose(P.note_grad(PT, 0.0), PT - 1, rtol=1e-12)
    # the sign change of the note's formula: (1−p)² + γ p ln p = 0
    r = P.note_zero(2.0)
    assert (1 - r) ** 2 + 2 * r * math.log(r) == pytest.approx(0.0, abs=1e-12)
    assert 0.19 < r < 0.21


def test_grad_ratio():
    for g in (0.5, 2.0, 5.0):
        want = (1 - PT) ** g * (1 - g * PT * np.log(PT) / (1 - PT))
        np.testing.assert_allclose(P.grad_ratio(PT, g), want, rtol=1e-9)
    assert P.grad_ratio([0.2], 2.0)[0] > 1  # hard examples: a larger gradient than CE
    # the note's ratio formula is negative at p = 0.5 (a ratio of magnitudes cannot be)
    assert P.note_grad_ratio([0.5], 2.0)[0] < 0


def test_expected_weight():
    # E[(1−p)^γ], p ~ U(0.9, 0.99): γ = 1: 0.055; γ = 2: (0.1³ − 0.01³) / (3 · 0.09)
    assert P.expected_weight(1, 0.9, 0.99) == pytest.approx(0.055)
    assert P.expected_weight(2, 0.9, 0.99) == pytest.approx((1e-3 - 1e-6) / 0.27)
    assert 990 * P.expected_weight(1, 0.9, 0.99) == pytest.approx(54.45)
    assert 990 * P.expected_weight(2, 0.9, 0.99) == pytest.approx(3.663, abs=5e-4)
    assert 10 * P.expected_weight(1, 0.1, 0.5) == pytest.approx(7.0)
    assert 10 * P.expected_weight(2, 0.1, 0.5) == pytest.approx(5.0333, abs=5e-5)
    assert P.expected_weight(0, 0.3, 0.6) == pytest.approx(1.0)
    # a midpoint-rule integral agrees
    u = np.linspace(0.1, 0.5, 200_001)
    mid = 0.5 * (u[1:] + u[:-1])
    assert np.mean((1 - mid) ** 5) == pytest.approx(P.expected_weight(5, 0.1, 0.5), rel=1e-8)
    with pytest.raises(ValueError, match="lo and hi must satisfy"):
        P.expected_weight(2, 0.5, 0.1)


def test_note_simulation_seeded_and_near_expectation():
    a = P.note_simulation(0)
    assert a == P.note_simulation(0)
    assert a[0] == (pytest.approx(10.0), pytest.approx(990.0))
    assert abs(a[2][1] - 990 * P.expected_weight(2, 0.9, 0.99)) < 0.2
    # with the same draws, Σu² ≤ 0.1 Σu for the easy ones: the note's 10.46 vs 76.47 cannot happen
    for seed in range(5):
        s = P.note_simulation(seed)
        assert s[2][1] <= 0.1 * s[1][1]
        assert s[5][0] <= 0.9**3 * s[2][0]


def test_weight_entropy():
    assert P.weight_entropy([1, 1, 1, 1]) == pytest.approx(math.log(4))
    assert P.weight_entropy([0, 3, 0]) == 0.0
    assert P.weight_entropy([1, 3]) == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    with pytest.raises(ValueError, match="w must be a non-empty 1-D array"):
        P.weight_entropy([1.0, -1.0])


def test_rejects_bad_probabilities():
    with pytest.raises(ValueError, match="p_t must hold probabilities strictly between 0 and 1"):
        P.focal_values([0.0, 0.5], 2.0)
    with pytest.raises(ValueError, match="p_t must hold probabilities strictly between 0 and 1"):
        P.note_grad([1.0], 2.0)


# --- factories --------------------------------------------------------------------------
@pytest.mark.parametrize("fig_id", IDS)
def test_slider_changes_pixels(fig_id):
    live = FIGURES[fig_id]()
    for s in live.sliders:
        live.update(**{s.name: s.low})
        a = live.render_png()
        live.update(**{s.name: s.high})
        b = live.render_png()
        live.update(**{s.name: s.low})
        c = live.render_png()
        assert a != b, s.name
        assert a == c  # the same values draw the same picture (cached background, no drift)


def test_gradient_readout():
    live = P.focal_gradient_figure(lang="en", gamma=2.0)
    texts = [a.get_text() for a in live.dynamic if hasattr(a, "get_text")]
    assert any("-0.2983" in x and "+0.2216" in x for x in texts)



