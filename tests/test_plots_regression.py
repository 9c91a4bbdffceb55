"""Figures of the regression notebook: factories build, sliders move pixels, data are right."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossviz
from lossviz.optim import adam_step
from lossviz.plots import regression as P

IDS = ("regression_curves", "outlier_fit", "constant_fit", "gd_kink")
FACTORIES = (P.regression_curves, P.outlier_fit, P.constant_fit, P.gd_kink)


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


# --- loss / gradient curves -------------------------------------------------------------
def test_curves_values():
    d = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    c = P.curves(d, delta=1.0, q=0.9)
    np.testing.assert_allclose(c["mse"][0], d**2)
    np.testing.assert_allclose(c["mse"][1], 2 * d)
    np.testing.assert_allclose(c["mae"][0], np.abs(d))
    np.testing.assert_allclose(c["mae"][1], np.sign(d))
    # Huber δ = 1 by hand: d²/2 inside, |d| − 1/2 outside; gradient clip(d, −1, 1)
    np.testing.assert_allclose(c["huber"][0], [2.5, 0.125, 0.0, 0.125, 2.5])
    np.testing.assert_allclose(c["huber"][1], [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(c["log_cosh"][0], np.log(np.cosh(d)))
    np.testing.assert_allclose(c["log_cosh"][1], np.tanh(d))
    # pinball q = 0.9, e = y − x = −d: under-prediction (d < 0) costs 0.9 |d|, over 0.1 |d|
    np.testing.assert_allclose(c["quantile"][0], [2.7, 0.45, 0.0, 0.05, 0.3])
    np.testing.assert_allclose(c["quantile"][1], [-0.9, -0.9, -0.9, 0.1, 0.1])


def test_huber_limits_in_delta():
    d = np.array([2.0])
    small = P.curves(d, delta=1e-3, q=0.5)["huber"][0][0]
    assert small / (1e-3 * 2.0) == pytest.approx(1 - 1e-3 / 4)  # δ|d| − δ²/2 over δ|d|
    assert P.curves(d, delta=2.0, q=0.5)["huber"][0][0] == 2.0  # δ ≥ |d|: exactly d²/2


# --- line fits --------------------------------------------------------------------------
def test_line_data_seeded():
    x1, y1 = P.line_data()
    x2, y2 = P.line_data()
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert x1.shape == (20,) and (np.diff(x1) >= 0).all()
    assert np.abs(y1 - (P.TRUE_SLOPE * x1 + P.TRUE_INTERCEPT)).max() < 2.0


def test_fit_line_mse_is_polyfit():
    x, y = P.with_outlier(25.0)
    np.testing.assert_allclose(P.fit_line(x, y, "mse"), np.polyfit(x, y, 1), rtol=1e-12)


def test_fit_line_mae_is_lp_optimum():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    for y_out in (-10.0, 0.0, 10.0, 25.0):
        x, y = P.with_outlier(y_out)
        n = x.size
        c = np.r_[0.0, 0.0, np.ones(n)]
        a_ub = np.block([[-x[:, None], -np.ones((n, 1)), -np.eye(n)], [x[:, None], np.ones((n, 1)), -np.eye(n)]])
        res = scipy_optimize.linprog(c, A_ub=a_ub, b_ub=np.r_[-y, y], bounds=[(None, None)] * 2 + [(0, None)] * n)
        a, b = P.fit_line(x, y, "mae")
        assert P.line_loss(x, y, a, b, "mae") == pytest.approx(res.fun / n, rel=1e-9)


def test_fit_line_huber_is_minimum():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    for y_out, delta in ((25.0, 1.0), (-10.0, 0.1), (30.0, 3.0)):
        x, y = P.with_outlier(y_out)
        a, b = P.fit_line(x, y, "huber", delta=delta)

        def f(p, x=x, y=y, delta=delta):
            return P.line_loss(x, y, p[0], p[1], "huber", delta=delta)

        res = scipy_optimize.minimize(f, [0.0, 0.0], method="Nelder-Mead",
                                      options=dict(xatol=1e-10, fatol=1e-14, maxiter=20000))
        assert f([a, b]) <= res.fun + 1e-12
        np.testing.assert_allclose([a, b], res.x, atol=1e-5)


def test_fit_line_huber_large_delta_is_mse():
    x, y = P.with_outlier(25.0)
    np.testing.assert_allclose(P.fit_line(x, y, "huber", delta=1e3), P.fit_line(x, y, "mse"), rtol=1e-12)


def test_robustness_mae_and_huber_saturate():
    x0, y0 = P.line_data()
    fits = {k: [P.fit_line(*P.with_outlier(v, x=x0, y=y0), k)[0] for v in (30.0, 100.0, 1000.0)]
            for k in ("mse", "mae", "huber")}
    assert fits["mse"][0] < fits["mse"][1] < fits["mse"][2]  # unbounded pull
    assert fits["mse"][2] > 10
    assert fits["mae"][0] == fits["mae"][1] == fits["mae"][2]
    np.testing.assert_allclose(fits["huber"], fits["huber"][0], rtol=1e-9)  # bounded influence


def test_fit_line_rejects_bad_input():
    with pytest.raises(ValueError, match="x and y must be 1-d of the same length >= 2, got shapes"):
        P.fit_line([1.0, 2.0], [1.0], "mse")
    with pytest.raises(ValueError, match="x must hold at least two distinct values"):
        P.fit_line([1.0, 1.0], [1.0, 2.0], "mae")
    with pytest.raises(ValueError, match="loss must be one of"):
        P.fit_line([0.0, 1.0], [0.0, 1.0], "l3")


def test_adam_step_matches_torch_optim():
    x, y = P.line_data(n=30, seed=1)
    X, Y = torch.tensor(x), torch.tensor(y)
    mine = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
    ref = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([ref], lr=0.25)
    state: dict = {}

    def total(p):
        pred = p[:, 0:1] * X + p[:, 1:2]
        return lossviz.mse(pred[0], Y) + lossviz.mae(pred[1], Y) + lossviz.huber(pred[2], Y)

    for _ in range(50):
        (g,) = torch.autograd.grad(total(mine), mine)
        adam_step(mine, g, state, lr=0.25)
        opt.zero_grad()
        total(ref).backward()
        opt.step()
    torch.testing.assert_close(mine.detach(), ref.detach(), rtol=1e-12, atol=1e-12)


# --- best constants ---------------------------------------------------------------------
def test_constant_losses_minimisers():
    y = P.SKEWED
    c = np.linspace(0.0, 10.0, 2001)
    step = c[1] - c[0]
    assert abs(P.grid_argmin(y, c, "mse") - y.mean()) <= step / 2
    assert P.grid_argmin(y, c, "mae") == pytest.approx(np.median(y))
    for q in (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95):
        assert P.grid_argmin(y, c, "quantile", q=q) == pytest.approx(np.quantile(y, q, method="inverted_cdf"))
    # Huber lies between median and mean on right-skewed data
    assert np.median(y) < P.grid_argmin(y, c, "huber", delta=1.0) < y.mean()


def test_constant_losses_values():
    y = np.array([1.0, 2.0, 6.0])
    v = P.constant_losses(y, np.array([2.0, 3.0]), q=0.25)
    np.testing.assert_allclose(v["mse"], [(1 + 0 + 16) / 3, (4 + 1 + 9) / 3])
    np.testing.assert_allclose(v["mae"], [(1 + 0 + 4) / 3, (2 + 1 + 3) / 3])
    # q = 0.25 at c = 2: over-prediction of 1 costs 0.75, under-prediction of 4 costs 1.0
    assert v["quantile"][0] == pytest.approx((0.75 + 0 + 1.0) / 3)


def test_skewed_data():
    np.testing.assert_array_equal(P.skewed_data(), P.SKEWED)
    assert P.skewed_data(20.0)[-1] == 20.0 and P.SKEWED[-1] == 9.0  # a copy
    with pytest.raises(ValueError, match="largest must be"):
        P.skewed_data(1.0)


# --- gradient descent -------------------------------------------------------------------
def test_gd_path_closed_forms():
    k = np.arange(41)
    np.testing.assert_allclose(P.gd_path("mse", 0.3, 40), 2.0 * 0.4**k, rtol=1e-12)
    assert abs(P.gd_path("mse", 1.1, 40)[-1]) == pytest.approx(2.0 * 1.2**40)  # diverges
    w = P.gd_path("mae", 0.3, 40)
    np.testing.assert_allclose(w[:7], 2.0 - 0.3 * np.arange(7))  # constant steps of η
    tail = w[-10:]
    assert np.abs(tail).max() <= 0.3 and np.ptp(tail) == pytest.approx(0.3)  # oscillates, never settles
    assert np.abs(P.gd_path("mae", 1.1, 40)[-10:]).max() <= 1.1  # bounded even with a big step
    assert abs(P.gd_path("huber", 0.3, 200)[-1]) < 1e-12
    assert abs(P.gd_path("log_cosh", 0.3, 200)[-1]) < 1e-12


def test_gd_path_on_data_goes_to_mean():
    w = P.gd_path("mse", 0.25, 200, y=P.SKEWED, w0=0.0)
    assert w[-1] == pytest.approx(P.SKEWED.mean())


# --- factories --------------------------------------------------------------------------
def test_outlier_fit_readout():
    live = P.outlier_fit(lang="en", y_out=30.0, delta=1.0)
    text = live.dynamic[-1].get_text()
    x, y = P.with_outlier(30.0)
    a, b = P.fit_line(x, y, "mse")
    assert f"{a:6.3f} {b:6.3f}" in text
    assert "δ = 1.00" in text



# --- the source notes' Huber class and Huber's smoothness (the notebook's checks) --------
def test_note_huber_class_equals_torch_and_lossviz():
    class NoteHuber(torch.nn.Module):  # the HuberLoss of note 004, as written there
        def __init__(self, delta=1.0):
            super().__init__()
            self.delta = delta

        def forward(self, y_pred, y_true):
            abs_error = torch.abs(y_pred - y_true)
            quadratic = torch.clamp(abs_error, max=self.delta)
            linear = abs_error - quadratic
            return (0.5 * quadratic**2 + self.delta * linear).mean()

    g = torch.Generator().manual_seed(0)
    pred = 3 * torch.randn(500, generator=g, dtype=torch.float64)
    target = torch.randn(500, generator=g, dtype=torch.float64)
    for delta in (0.3, 1.0, 2.5):
        a = NoteHuber(delta)(pred, target)
        torch.testing.assert_close(a, F.huber_loss(pred, target, delta=delta), rtol=0, atol=1e-12)
        torch.testing.assert_close(a, lossviz.huber(pred, target, delta=delta), rtol=0, atol=1e-12)


def test_huber_is_c1_not_c2():
    delta = 1.5
    second = []
    for p in (delta - 1e-6, delta + 1e-6):
        d = torch.tensor([p], dtype=torch.float64, requires_grad=True)
        (g1,) = torch.autograd.grad(F.huber_loss(d, torch.zeros_like(d), delta=delta, reduction="sum"), d,
                                    create_graph=True)
        (g2,) = torch.autograd.grad(g1.sum(), d)
        assert g1.item() == pytest.approx(delta, abs=1e-5)  # first derivative continuous
        second.append(g2.item())
    assert second == [1.0, 0.0]  # second derivative jumps
    assert math.isclose(P.curves(np.array([delta]), delta=delta, q=0.5)["huber"][1][0], delta)
