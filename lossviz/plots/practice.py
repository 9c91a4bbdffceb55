"""Figures and numbers for the practice notebook (10): L1 / L2 regularisation.

Pure data functions (numpy float64; the tests check them against independent computations):

* :func:`regression_data` — a small synthetic regression with correlated, standardised features
  and a sparse true coefficient vector;
* :func:`soft_threshold`, :func:`lasso` (coordinate descent), :func:`ridge` (closed form),
  :func:`lambda_max` — the lasso objective is (1/2n)‖y − Xw‖² + λ‖w‖₁ and the ridge objective
  (1/2n)‖y − Xw‖² + (λ/2)‖w‖₂², so that with an orthonormal design (XᵀX = n I) lasso is
  soft-thresholding of the least-squares solution by λ and ridge divides it by 1 + λ;
* :func:`ball_minimum` — the minimum of a 2-D quadratic ½(w − c)ᵀH(w − c) over the L1 diamond or
  the L2 disc of a given radius (the constraint picture of the two penalties).

Figures (ids in ``lossviz.plots.FIGURES``):

* ``lasso_path`` — lasso and ridge coefficient paths against log10 λ on :func:`regression_data`,
  the current λ marked, its coefficients as dots, and the number of exact zeros.
  Slider: log10 λ.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from .. import _checks
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "lasso_title": {"zh-TW": "Lasso（L1）：係數路徑", "zh-CN": "Lasso（L1）：系数路径",
                    "en": "Lasso (L1): coefficient paths"},
    "ridge_title": {"zh-TW": "Ridge（L2）：係數路徑", "zh-CN": "Ridge（L2）：系数路径",
                    "en": "Ridge (L2): coefficient paths"},
    "log_lambda": {"zh-TW": "log10 λ", "zh-CN": "log10 λ", "en": "log10 λ"},
    "coefficient": {"zh-TW": "係數 w_j", "zh-CN": "系数 w_j", "en": "coefficient w_j"},
    "exact_zeros": {"zh-TW": "恰好為 0 的係數", "zh-CN": "恰好为 0 的系数", "en": "exact zeros"},
    "true_coef": {"zh-TW": "真值", "zh-CN": "真值", "en": "true"},
})

TRUE_COEF = np.array([3.0, -2.0, 1.5, 0.0, 0.0, 0.0, 0.5, 0.0])
LOG_LAMBDA = (-3.0, 0.5)  # the slider's range of log10 λ


def regression_data(n: int = 60, *, seed: int = 0, noise: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: n rows, p = 8 correlated features (pairwise correlation about 0.5), each column
    centred and scaled to (1/n)‖x_j‖² = 1; y = X·TRUE_COEF + noise·N(0, 1), centred (no intercept)."""
    n = int(_checks.number("n", n, low=len(TRUE_COEF) + 1, integer=True))
    noise = _checks.number("noise", noise, low=0.0)
    rng = np.random.default_rng(int(_checks.number("seed", seed, low=0, integer=True)))
    shared = rng.standard_normal((n, 1))
    X = shared + rng.standard_normal((n, len(TRUE_COEF)))
    X = X - X.mean(0)
    X = X / np.sqrt((X ** 2).mean(0))
    y = X @ TRUE_COEF + noise * rng.standard_normal(n)
    return X, y - y.mean()


def soft_threshold(v, lam: float) -> np.ndarray:
    """The proximal map of λ|·|: sign(v)·max(|v| − λ, 0), exactly 0 where |v| ≤ λ."""
    lam = _checks.number("lam", lam, low=0.0)
    v = np.asarray(v, dtype=np.float64)
    return np.sign(v) * np.maximum(np.abs(v) - lam, 0.0)


def _design(X, y) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, p) and y (n,), got X {X.shape} and y {y.shape}")
    return X, y


def lambda_max(X, y) -> float:
    """The smallest λ at which every lasso coefficient is 0: max_j |x_jᵀy| / n."""
    X, y = _design(X, y)
    return float(np.abs(X.T @ y).max() / len(y))


def lasso(X, y, lam: float, *, w0=None, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """argmin_w (1/2n)‖y − Xw‖² + λ‖w‖₁ by cyclic coordinate descent.

    Each coordinate step is an exact soft-thresholding, so coefficients are exactly 0.0 when the
    optimum puts them there.  ``w0``: a warm start.  Stops when no coordinate moves more than ``tol``.
    """
    X, y = _design(X, y)
    lam = _checks.number("lam", lam, low=0.0)
    n, p = X.shape
    w = np.zeros(p) if w0 is None else np.array(w0, dtype=np.float64)
    col = (X ** 2).sum(0) / n
    r = y - X @ w
    for _ in range(int(max_iter)):
        biggest = 0.0
        for j in range(p):
            old = w[j]
            rho = X[:, j] @ r / n + col[j] * old
            new = float(np.sign(rho) * max(abs(rho) - lam, 0.0) / col[j])
            if new != old:
                r -= X[:, j] * (new - old)
                w[j] = new
                biggest = max(biggest, abs(new - old))
        if biggest <= tol:
            break
    return w


def ridge(X, y, lam: float) -> np.ndarray:
    """argmin_w (1/2n)‖y − Xw‖² + (λ/2)‖w‖₂² in closed form: (XᵀX/n + λI)⁻¹ Xᵀy/n."""
    X, y = _design(X, y)
    lam = _checks.number("lam", lam, low=0.0)
    n, p = X.shape
    return np.linalg.solve(X.T @ X / n + lam * np.eye(p), X.T @ y / n)


def paths(X, y, log_lambdas) -> dict[str, np.ndarray]:
    """Lasso (warm-started from large λ to small) and ridge coefficients at each log10 λ:
    ``{"lasso": (k, p), "ridge": (k, p)}`` in the order of ``log_lambdas``."""
    X, y = _design(X, y)
    grid = np.asarray(log_lambdas, dtype=np.float64)
    order = np.argsort(-grid)
    out = {"lasso": np.zeros((len(grid), X.shape[1])), "ridge": np.zeros((len(grid), X.shape[1]))}
    w = None
    for i in order:
        w = lasso(X, y, 10.0 ** grid[i], w0=w)
        out["lasso"][i] = w
        out["ridge"][i] = ridge(X, y, 10.0 ** grid[i])
    return out


def ball_minimum(center, H, norm: int, radius: float) -> np.ndarray:
    """The point of the L1 diamond (``norm=1``) or L2 disc (``norm=2``) ‖w‖ ≤ radius in 2-D that
    minimises ½(w − c)ᵀH(w − c) (H symmetric positive definite).

    If c lies inside, it is c.  Otherwise the minimum is on the boundary: for L1 the best point of
    the four edges (each a 1-D quadratic, minimised in closed form and clipped to the edge); for L2
    the point w(μ) = (H + μI)⁻¹Hc whose norm is ``radius`` (μ ≥ 0 found by bisection).
    """
    c = np.asarray(center, dtype=np.float64)
    H = np.asarray(H, dtype=np.float64)
    if c.shape != (2,) or H.shape != (2, 2):
        raise ValueError(f"center must have shape (2,) and H (2, 2), got {c.shape} and {H.shape}")
    _checks.choice("norm", norm, (1, 2))
    radius = _checks.number("radius", radius, low=0.0)
    if np.linalg.norm(c, ord=norm) <= radius:
        return c.copy()
    if norm == 1:
        corners = radius * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
        best, best_val = None, np.inf
        for k in range(4):
            u, d = corners[k], corners[(k + 1) % 4] - corners[k]
            tt = float(np.clip(-(d @ H @ (u - c)) / (d @ H @ d), 0.0, 1.0))
            w = u + tt * d
            val = 0.5 * (w - c) @ H @ (w - c)
            if val < best_val:
                best, best_val = w, val
        return best
    lo, hi = 0.0, 1.0
    w_of = lambda mu: np.linalg.solve(H + mu * np.eye(2), H @ c)  # noqa: E731
    while np.linalg.norm(w_of(hi)) > radius:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if np.linalg.norm(w_of(mid)) > radius else (lo, mid)
    return w_of(hi)


@lru_cache(maxsize=1)
def _figure_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The figure's data and paths, computed once per session (the live figure and its strip share it)."""
    X, y = regression_data()
    grid = np.linspace(*LOG_LAMBDA, 141)
    return X, y, grid, paths(X, y, grid)


@register("lasso_path")
def lasso_path_figure(lang: str = "zh-TW", *, log_lam: float = -1.0, dpi: int = 80) -> LiveFigure:
    """Lasso and ridge paths on :func:`regression_data`; the slider moves λ along them."""
    X, y, grid, pth = _figure_data()
    lo = min(pth["lasso"].min(), pth["ridge"].min()) - 0.3
    hi = max(pth["lasso"].max(), pth["ridge"].max()) + 0.3
    fig = Figure(figsize=(8.6, 3.6), dpi=dpi, layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    colors = [f"C{j}" for j in range(len(TRUE_COEF))]
    markers, dots = [], []
    true_label = t("true_coef", lang)
    for ax, kind, title in zip(axes, ("lasso", "ridge"), ("lasso_title", "ridge_title"), strict=True):
        for j in range(len(TRUE_COEF)):
            label = f"w{j + 1}（{true_label} {TRUE_COEF[j]:g}）"
            ax.plot(grid, pth[kind][:, j], color=colors[j], lw=1.3, label=label)
        ax.axhline(0.0, color="0.5", lw=0.8)
        markers.append(ax.axvline(log_lam, color="k", ls="--", lw=1))
        dots.append(ax.scatter(np.full(len(TRUE_COEF), log_lam), np.zeros(len(TRUE_COEF)), c=colors, s=30,
                               edgecolors="k", zorder=3))
        ax.set(xlim=LOG_LAMBDA, ylim=(lo, hi), xlabel=t("log_lambda", lang), title=t(title, lang))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(t("coefficient", lang))
    axes[1].legend(fontsize=7, loc="upper right", ncol=2)
    readout = fig.text(0.01, 0.005, "", fontsize=9, va="bottom")
    zeros_label = t("exact_zeros", lang)

    def update(*, log_lam: float) -> None:
        lam = 10.0 ** log_lam
        i = int(np.abs(grid - log_lam).argmin())
        if abs(grid[i] - log_lam) < 1e-12:  # every slider stop lies on the precomputed grid
            w_lasso, w_ridge = pth["lasso"][i], pth["ridge"][i]
        else:
            w_lasso, w_ridge = lasso(X, y, lam, w0=pth["lasso"][i]), ridge(X, y, lam)
        for marker, dot, w in zip(markers, dots, (w_lasso, w_ridge), strict=True):
            marker.set_xdata([log_lam, log_lam])
            dot.set_offsets(np.column_stack([np.full(len(w), log_lam), w]))
        readout.set_text(f"λ = {lam:.4f}   {zeros_label}: lasso {int((w_lasso == 0).sum())}/{len(w_lasso)}, "
                         f"ridge {int((w_ridge == 0).sum())}/{len(w_ridge)}   "
                         f"min |w| ridge = {np.abs(w_ridge).min():.4f}")

    sliders = (Slider("log_lam", "log10 λ", LOG_LAMBDA[0], LOG_LAMBDA[1], 0.05, log_lam),)
    return LiveFigure(fig, sliders, update, [*markers, *dots, readout], dpi=dpi)
