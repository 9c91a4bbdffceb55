"""Figures and numbers of the practice notebook (10): lasso / ridge, soft-thresholding, constraint balls."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lossviz.plots import FIGURES
from lossviz.plots import practice as P


@pytest.fixture(autouse=True)
def _cjk():
    from lossviz.fonts import use_cjk

    use_cjk("zh-TW")  # the registered factories draw zh-TW texts


def test_soft_threshold_against_its_definition():
    v = np.array([3.0, -0.5, 1.2, -2.0, 0.0, 1.0])
    want = [2.0, 0.0, 0.2, -1.0, 0.0, 0.0]  # hand-computed with λ = 1: |v| ≤ 1 gives exactly 0
    got = P.soft_threshold(v, 1.0)
    np.testing.assert_allclose(got, want, atol=1e-15)
    assert (got[[1, 4, 5]] == 0.0).all()
    with pytest.raises(ValueError, match="lam must be >= 0"):
        P.soft_threshold(v, -1.0)


def test_soft_threshold_is_the_prox_of_the_absolute_value():
    # prox(v) = argmin_u ½(u − v)² + λ|u|, found here by brute force on a fine grid
    grid = np.linspace(-5, 5, 200_001)
    for v in (-3.3, -0.4, 0.0, 0.7, 2.5):
        u = grid[np.argmin(0.5 * (grid - v) ** 2 + 0.8 * np.abs(grid))]
        assert P.soft_threshold(v, 0.8) == pytest.approx(u, abs=1e-4)


def _kkt(X, y, w, lam):
    n = len(y)
    corr = X.T @ (y - X @ w) / n
    on = w != 0
    return np.abs(corr[on] - lam * np.sign(w[on])).max(initial=0.0), np.abs(corr[~on]).max(initial=0.0)


@pytest.mark.parametrize("lam", [0.003, 0.05, 0.3, 1.0])
def test_lasso_meets_the_optimality_conditions(lam):
    X, y = P.regression_data()
    w = P.lasso(X, y, lam)
    active, inactive = _kkt(X, y, w, lam)
    assert active < 1e-9 and inactive <= lam + 1e-9


def test_lasso_against_proximal_gradient_in_torch():
    X, y = P.regression_data()
    lam = 0.2
    Xt, yt = torch.tensor(X), torch.tensor(y)
    step = 1.0 / torch.linalg.eigvalsh(Xt.T @ Xt / len(y)).max()
    w = torch.zeros(X.shape[1], dtype=torch.float64)
    for _ in range(5000):  # ISTA: a gradient step on the squared error, then soft-thresholding
        z = w - step * (Xt.T @ (Xt @ w - yt) / len(y))
        w = torch.sign(z) * torch.clamp(z.abs() - step * lam, min=0.0)
    np.testing.assert_allclose(P.lasso(X, y, lam), w.numpy(), atol=1e-8)


def test_lambda_max_is_where_every_coefficient_vanishes():
    X, y = P.regression_data()
    lmax = P.lambda_max(X, y)
    assert (P.lasso(X, y, lmax) == 0).all()
    assert (P.lasso(X, y, 0.99 * lmax) != 0).sum() == 1


def test_orthonormal_design_lasso_soft_thresholds_and_ridge_divides():
    rng = np.random.default_rng(3)
    n = 40
    Q, _ = np.linalg.qr(rng.standard_normal((n, 4)))
    X = np.sqrt(n) * Q  # XᵀX = n I
    y = rng.standard_normal(n)
    ols = X.T @ y / n
    np.testing.assert_allclose(P.lasso(X, y, 0.1), P.soft_threshold(ols, 0.1), atol=1e-12)
    np.testing.assert_allclose(P.ridge(X, y, 0.5), ols / 1.5, atol=1e-12)


def test_ridge_against_an_augmented_least_squares_problem():
    X, y = P.regression_data()
    lam, n, p = 0.3, len(y), X.shape[1]
    A = np.vstack([X / np.sqrt(n), np.sqrt(lam) * np.eye(p)])
    b = np.concatenate([y / np.sqrt(n), np.zeros(p)])
    want = torch.linalg.lstsq(torch.tensor(A), torch.tensor(b)[:, None]).solution[:, 0].numpy()
    np.testing.assert_allclose(P.ridge(X, y, lam), want, atol=1e-10)


def test_paths_match_single_fits():
    X, y = P.regression_data()
    grid = [-2.0, -1.0, 0.0]
    pth = P.paths(X, y, grid)
    for i, g in enumerate(grid):
        np.testing.assert_allclose(pth["lasso"][i], P.lasso(X, y, 10 ** g), atol=1e-9)
        np.testing.assert_allclose(pth["ridge"][i], P.ridge(X, y, 10 ** g), atol=1e-12)


@pytest.mark.parametrize("norm", [1, 2])
def test_ball_minimum_against_dense_boundary_sampling(norm):
    c, H, r = np.array([1.6, 0.7]), np.array([[1.0, 0.4], [0.4, 2.5]]), 1.0
    th = np.linspace(0, 2 * np.pi, 400_001)
    d = np.column_stack([np.cos(th), np.sin(th)])
    pts = r * d / np.linalg.norm(d, ord=norm, axis=1, keepdims=True)
    vals = 0.5 * np.einsum("ki,ij,kj->k", pts - c, H, pts - c)
    got = P.ball_minimum(c, H, norm, r)
    assert np.linalg.norm(got, ord=norm) == pytest.approx(r, rel=1e-9)
    assert 0.5 * (got - c) @ H @ (got - c) == pytest.approx(vals.min(), abs=1e-8)
    np.testing.assert_allclose(got, pts[vals.argmin()], atol=1e-4)


def test_ball_minimum_inside_and_the_l1_corner():
    H = np.eye(2)
    np.testing.assert_array_equal(P.ball_minimum([0.2, 0.1], H, 1, 1.0), [0.2, 0.1])
    corner = P.ball_minimum([2.0, 0.5], H, 1, 1.0)  # a corner: the second coordinate exactly 0
    np.testing.assert_allclose(corner, [1.0, 0.0], atol=1e-15)
    assert (P.ball_minimum([2.0, 0.5], H, 2, 1.0) != 0).all()
    with pytest.raises(ValueError, match="norm must be one of"):
        P.ball_minimum([2.0, 0.5], H, 3, 1.0)
    with pytest.raises(ValueError, match="center must have shape"):
        P.ball_minimum([2.0, 0.5, 1.0], H, 1, 1.0)


def test_lasso_path_figure_counts_the_exact_zeros():
    live = FIGURES["lasso_path"]()
    X, y = P.regression_data()
    for log_lam in (-3.0, -1.0, 0.0, 0.5):
        live.update(log_lam=log_lam)
        zeros = int((P.lasso(X, y, 10 ** log_lam) == 0).sum())
        assert f"lasso {zeros}/8" in live.dynamic[-1].get_text()
        assert "ridge 0/8" in live.dynamic[-1].get_text()
        np.testing.assert_allclose(live.dynamic[2].get_offsets()[:, 1], P.lasso(X, y, 10 ** log_lam), atol=1e-9)
    assert live.render_png()[:4] == b"\x89PNG"


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="X must be"):
        P.lasso(np.zeros(5), np.zeros(5), 0.1)
    with pytest.raises(ValueError, match="lam must be >= 0"):
        P.ridge(np.zeros((5, 2)), np.zeros(5), -0.1)
    with pytest.raises(ValueError, match="n must be >= 9"):
        P.regression_data(n=5)
