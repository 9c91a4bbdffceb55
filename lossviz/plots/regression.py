"""Figures for the regression notebook: loss and gradient of MSE, MAE, Huber, log-cosh, quantile.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``regression_curves`` — loss and gradient against the residual; sliders δ (Huber) and q.
* ``outlier_fit`` — a line fitted under MSE, MAE and Huber while one outlier's y moves.
* ``constant_fit`` — the best constant under MSE, MAE and the pinball loss: mean, median,
  q-quantile; sliders q and the largest data value.
* ``gd_kink`` — fixed-step gradient descent on one residual under each loss; slider η.

The numbers behind every curve come from pure functions here (``fit_line``, ``constant_losses``,
``gd_path``, ...), which the tests call directly.

Why ~400 lines: the regression notebook's figures, each a small function; split further they
would be harder to find from the notebook.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import _checks
from .._catalog import catalog
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "reg_data": {"zh-TW": "資料點", "zh-CN": "数据点", "en": "data"},
    "reg_outlier": {"zh-TW": "離群點", "zh-CN": "离群点", "en": "outlier"},
    "reg_true": {"zh-TW": "真實", "zh-CN": "真实", "en": "true"},
    "reg_true_line": {"zh-TW": "真實直線", "zh-CN": "真实直线", "en": "true line"},
    "reg_outlier_title": {"zh-TW": "一個離群點拉動三種擬合直線", "zh-CN": "一个离群点拉动三种拟合直线",
                          "en": "one outlier pulls three fitted lines"},
    "reg_outlier_y": {"zh-TW": "離群點的 y", "zh-CN": "离群点的 y", "en": "outlier y"},
    "reg_slope": {"zh-TW": "斜率", "zh-CN": "斜率", "en": "slope"},
    "reg_intercept": {"zh-TW": "截距", "zh-CN": "截距", "en": "intercept"},
    "reg_constant": {"zh-TW": "常數預測 c", "zh-CN": "常数预测 c", "en": "constant prediction c"},
    "reg_scaled_loss": {"zh-TW": "平均損失（縮放到 [0, 1]）", "zh-CN": "平均损失（缩放到 [0, 1]）",
                        "en": "mean loss (scaled to [0, 1])"},
    "reg_constant_title": {"zh-TW": "最佳常數：平均數、中位數、分位數",
                           "zh-CN": "最佳常数：平均数、中位数、分位数",
                           "en": "best constant: mean, median, quantile"},
    "reg_mean": {"zh-TW": "平均數", "zh-CN": "平均数", "en": "mean"},
    "reg_median": {"zh-TW": "中位數", "zh-CN": "中位数", "en": "median"},
    "reg_quantile": {"zh-TW": "q 分位數", "zh-CN": "q 分位数", "en": "q-quantile"},
    "reg_largest": {"zh-TW": "最大值", "zh-CN": "最大值", "en": "largest value"},
    "reg_step": {"zh-TW": "迭代次數 k", "zh-CN": "迭代次数 k", "en": "step k"},
    "reg_param": {"zh-TW": "參數 w（目標 0）", "zh-CN": "参数 w（目标 0）", "en": "parameter w (target 0)"},
    "reg_abs_param": {"zh-TW": "|w|（對數軸）", "zh-CN": "|w|（对数轴）", "en": "|w| (log axis)"},
    "reg_gd_title": {"zh-TW": "固定步長的梯度下降", "zh-CN": "固定步长的梯度下降",
                     "en": "gradient descent with a fixed step"},
    "reg_gd_dist": {"zh-TW": "離最佳點的距離", "zh-CN": "离最佳点的距离", "en": "distance to the optimum"},
    "reg_lr": {"zh-TW": "學習率 η", "zh-CN": "学习率 η", "en": "learning rate η"},
})

LOSS_KEYS = ("mse", "mae", "huber", "log_cosh", "quantile")
FIT_LOSSES = ("mse", "mae", "huber")             # the losses a line is fitted under
_COLORS = {"mse": "C0", "mae": "C1", "huber": "C2", "log_cosh": "C3", "quantile": "C4"}


def _entry(name: str, *, delta: float = 1.0, q: float = 0.5):
    """The catalog entry of ``name`` and the keyword arguments it takes out of δ and q."""
    entry = catalog()[name]
    values = {"delta": delta, "q": q}
    return entry, {p.name: values[p.name] for p in entry.params}


def _names(lang: str) -> dict[str, str]:
    return {k: e.names[lang] if lang in e.names else e.names["en"] for k, e in catalog().items()}


# --- loss and gradient curves -----------------------------------------------------
def curves(d: np.ndarray, *, delta: float, q: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per-element loss and gradient of each regression loss at residuals ``d`` (target 0)."""
    x = torch.as_tensor(d, dtype=torch.float64)
    y = torch.zeros_like(x)
    out = {}
    for name in LOSS_KEYS:
        e, kw = _entry(name, delta=delta, q=q)
        out[name] = (e.fn(x, y, reduction="none", **kw).numpy(), e.grad(x, y, reduction="sum", **kw).numpy())
    return out


@register("regression_curves")
def regression_curves(lang: str = "zh-TW", *, delta: float = 1.0, q: float = 0.5,
                      dpi: int = 80) -> LiveFigure:
    """Loss (left) and gradient (right) against the residual; sliders move δ and q."""
    d = np.linspace(-3, 3, 601)
    names = _names(lang)
    fig = Figure(figsize=(9, 3.4), dpi=dpi, layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    data = curves(d, delta=delta, q=q)
    lines = {}
    for key, style in (("mse", "-"), ("mae", "-"), ("huber", "-"), ("log_cosh", "--"), ("quantile", ":")):
        lines[key] = (ax_l.plot(d, data[key][0], style, label=names[key])[0],
                      ax_g.plot(d, data[key][1], style, label=names[key])[0])
    ax_l.set(xlim=(-3, 3), ylim=(0, 4.5), xlabel=t("residual", lang), ylabel=t("loss", lang),
             title=t("loss_curves", lang))
    ax_g.set(xlim=(-3, 3), ylim=(-3.2, 3.2), xlabel=t("residual", lang), ylabel=t("gradient", lang),
             title=t("gradient_curves", lang))
    ax_l.legend(fontsize=8, loc="upper center")
    for ax in (ax_l, ax_g):
        ax.grid(alpha=0.3)
    readout = ax_g.text(0.02, 0.95, "", transform=ax_g.transAxes, va="top", fontsize=9)
    dynamic = [lines["huber"][0], lines["huber"][1], lines["quantile"][0], lines["quantile"][1], readout]

    def update(*, delta: float, q: float) -> None:
        data = curves(d, delta=delta, q=q)
        for key in ("huber", "quantile"):
            lines[key][0].set_ydata(data[key][0])
            lines[key][1].set_ydata(data[key][1])
        readout.set_text(f"δ = {delta:.2f}   q = {q:.2f}")

    sliders = (Slider("delta", "δ (Huber)", 0.1, 3.0, 0.05, delta),
               Slider("q", "q (quantile)", 0.05, 0.95, 0.05, q))
    return LiveFigure(fig, sliders, update, dynamic, dpi=dpi)


# --- fitting a line: closed form (MSE), exact pair search (MAE), IRLS (Huber) -------
TRUE_SLOPE = 0.8
TRUE_INTERCEPT = 2.0
OUTLIER_X = 9.0


def line_data(n: int = 20, *, seed: int = 0, noise: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on y = 0.8 x + 2 with Gaussian noise (std ``noise``), x uniform on [0, 10], seeded."""
    n = int(_checks.number("n", n, low=2, integer=True))
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 10.0, n))
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, noise, n)
    return x, y


def _check_xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-d of the same length >= 2, got shapes {x.shape} and {y.shape}")
    if np.ptp(x) == 0:
        raise ValueError("x must hold at least two distinct values, got all equal")
    return x, y


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    # weighted least squares for y ≈ a x + b: the 2x2 normal equations
    sw, sx, sy = w.sum(), (w * x).sum(), (w * y).sum()
    sxx, sxy = (w * x * x).sum(), (w * x * y).sum()
    det = sw * sxx - sx * sx
    a = (sw * sxy - sx * sy) / det
    return float(a), float((sy - a * sx) / sw)


def fit_line_mse(x, y) -> tuple[float, float]:
    """(slope, intercept) minimising the mean squared error: the closed-form least squares."""
    x, y = _check_xy(x, y)
    return _wls(x, y, np.ones_like(x))


def fit_line_mae(x, y) -> tuple[float, float]:
    """(slope, intercept) minimising the mean absolute error, exactly.

    The MAE of a line is convex and piecewise linear in (slope, intercept), so a minimiser
    lies on a vertex: a line through two of the data points.  All pairs are tried (n ≤ a few
    hundred); ties go to the first pair in ``itertools.combinations`` order.
    """
    x, y = _check_xy(x, y)
    i, j = np.array(list(combinations(range(x.size), 2))).T
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    a = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - a * x[i]
    cost = np.abs(y[None, :] - a[:, None] * x[None, :] - b[:, None]).mean(axis=1)
    k = int(np.argmin(cost))
    return float(a[k]), float(b[k])


def fit_line_huber(x, y, *, delta: float = 1.0, tol: float = 1e-12,
                   max_iter: int = 500) -> tuple[float, float]:
    """(slope, intercept) minimising the Huber loss, by iteratively reweighted least squares.

    Each step solves a weighted least squares with weights min(1, δ/|r|) at the current
    residuals r: the quadratic that touches the Huber loss there and lies above it, so the
    loss never increases (a majorise-minimise step) and the iterates reach the minimiser.
    """
    x, y = _check_xy(x, y)
    delta = _checks.number("delta", delta, low=0, low_open=True)
    a, b = fit_line_mse(x, y)
    for _ in range(int(max_iter)):
        r = np.abs(y - a * x - b)
        w = np.where(r <= delta, 1.0, delta / np.maximum(r, delta))
        a_new, b_new = _wls(x, y, w)
        done = abs(a_new - a) + abs(b_new - b) < tol
        a, b = a_new, b_new
        if done:
            break
    return a, b


def fit_line(x, y, loss: str, *, delta: float = 1.0) -> tuple[float, float]:
    """(slope, intercept) of the line minimising ``loss`` ('mse' | 'mae' | 'huber')."""
    _checks.choice("loss", loss, FIT_LOSSES)
    if loss == "mse":
        return fit_line_mse(x, y)
    if loss == "mae":
        return fit_line_mae(x, y)
    return fit_line_huber(x, y, delta=delta)


def line_loss(x, y, slope: float, intercept: float, loss: str, *, delta: float = 1.0) -> float:
    """Mean ``loss`` of the line ``slope * x + intercept`` on the data (lossviz's own losses)."""
    x, y = _check_xy(x, y)
    pred = torch.as_tensor(slope * x + intercept, dtype=torch.float64)
    target = torch.as_tensor(y, dtype=torch.float64)
    e, kw = _entry(_checks.choice("loss", loss, FIT_LOSSES), delta=delta)
    return float(e.fn(pred, target, **kw))


def with_outlier(y_out: float, *, x=None, y=None, x_out: float = OUTLIER_X) -> tuple[np.ndarray, np.ndarray]:
    """The base data (``line_data()`` unless given) plus one point at (x_out, y_out)."""
    if x is None or y is None:
        x, y = line_data()
    return np.append(x, x_out), np.append(y, float(y_out))


@register("outlier_fit")
def outlier_fit(lang: str = "zh-TW", *, y_out: float = 25.0, delta: float = 1.0, dpi: int = 80) -> LiveFigure:
    """Twenty points near y = 0.8x + 2 and one outlier at x = 9 whose y the slider moves;
    the MSE, MAE and Huber lines are refitted after each move (closed form, pair search, IRLS)."""
    names = _names(lang)
    x0, y0 = line_data()
    xs = np.array([-0.5, 10.5])
    fig = Figure(figsize=(7.5, 4.2), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.plot(x0, y0, "o", color="0.35", ms=5, label=t("reg_data", lang))
    ax.plot(xs, TRUE_SLOPE * xs + TRUE_INTERCEPT, "k--", lw=1, label=t("reg_true_line", lang))
    (pt,) = ax.plot([OUTLIER_X], [y_out], "o", color="C3", ms=9, mec="k", label=t("reg_outlier", lang))
    fit_lines = {k: ax.plot(xs, xs * 0, "-", color=_COLORS[k], lw=2, label=names[k])[0]
                 for k in FIT_LOSSES}
    ax.set(xlim=(-0.5, 10.5), ylim=(-12, 32), xlabel="x", ylabel="y", title=t("reg_outlier_title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    readout = ax.text(0.98, 0.03, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                      bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, y_out: float, delta: float) -> None:
        x, y = with_outlier(y_out, x=x0, y=y0)
        pt.set_ydata([y_out])
        rows = [f"{t('reg_slope', lang)} / {t('reg_intercept', lang)}",
                f"{t('reg_true', lang)}  {TRUE_SLOPE:6.3f} {TRUE_INTERCEPT:6.3f}"]
        for k, label in (("mse", "MSE  "), ("mae", "MAE  "), ("huber", "Huber")):
            a, b = fit_line(x, y, k, delta=delta)
            fit_lines[k].set_ydata(a * xs + b)
            rows.append(f"{label}  {a:6.3f} {b:6.3f}")
        rows.append(f"δ = {delta:.2f}")
        readout.set_text("\n".join(rows))

    sliders = (Slider("y_out", t("reg_outlier_y", lang), -10.0, 30.0, 0.5, y_out),
               Slider("delta", "δ (Huber)", 0.1, 3.0, 0.05, delta))
    return LiveFigure(fig, sliders, update, [pt, *fit_lines.values(), readout], dpi=dpi)


# --- the best constant: mean, median, quantile ------------------------------------
SKEWED = np.array([1.2, 1.5, 1.7, 2.0, 2.2, 2.5, 2.9, 3.4, 4.1, 5.3, 9.0])
"""A small right-skewed data set (think incomes); its last value is the largest."""


def skewed_data(largest: float | None = None) -> np.ndarray:
    """``SKEWED`` with its largest value replaced by ``largest`` (which must stay the largest)."""
    y = SKEWED.copy()
    if largest is not None:
        largest = _checks.number("largest", largest, low=float(SKEWED[-2]))
        y[-1] = largest
    return y


def constant_losses(y, c, *, q: float = 0.5, delta: float = 1.0,
                    losses: tuple[str, ...] = LOSS_KEYS) -> dict[str, np.ndarray]:
    """Mean loss of the constant prediction c (each value of the array ``c``) on data ``y``:
    ``{name: array shaped like c}`` for each name in ``losses`` (default: all five)."""
    for name in losses:
        _checks.choice("losses", name, LOSS_KEYS)
    yt = torch.as_tensor(np.asarray(y, dtype=np.float64))
    ct = torch.as_tensor(np.asarray(c, dtype=np.float64)).reshape(-1, 1)
    inp, tgt = torch.broadcast_tensors(ct, yt.reshape(1, -1))
    inp, tgt = inp.contiguous(), tgt.contiguous()
    out = {}
    for key in LOSS_KEYS:
        if key not in losses:
            continue
        e, kw = _entry(key, delta=delta, q=q)
        out[key] = e.fn(inp, tgt, reduction="none", **kw).mean(dim=1).numpy().reshape(np.shape(c))
    return out


def grid_argmin(y, c, loss: str, *, q: float = 0.5, delta: float = 1.0) -> float:
    """The grid point of ``c`` with the smallest mean ``loss`` (first one on ties)."""
    _checks.choice("loss", loss, LOSS_KEYS)
    values = constant_losses(y, c, q=q, delta=delta, losses=(loss,))[loss]
    return float(np.asarray(c)[int(np.argmin(values))])


def _scaled(v: np.ndarray) -> np.ndarray:
    return (v - v.min()) / (v.max() - v.min())


@register("constant_fit")
def constant_fit(lang: str = "zh-TW", *, q: float = 0.5, largest: float = 9.0, dpi: int = 80) -> LiveFigure:
    """Mean loss of a constant c on eleven skewed values, each curve scaled to [0, 1]; the
    vertical lines mark the mean, the median and the q-quantile (np.quantile)."""
    names = _names(lang)
    c = np.linspace(0.0, 20.0, 2001)
    fig = Figure(figsize=(9, 3.8), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    curves_ = {k: ax.plot(c, c * 0, style, color=_COLORS[k], lw=2, label=names[k])[0]
               for k, style in (("mse", "-"), ("mae", "-"), ("quantile", ":"))}
    vlines = {k: ax.axvline(0.0, color=_COLORS[ck], ls="--", lw=1.2, label=t(k, lang))
              for k, ck in (("reg_mean", "mse"), ("reg_median", "mae"), ("reg_quantile", "quantile"))}
    (rug,) = ax.plot(skewed_data(largest), np.full(SKEWED.size, -0.04), "|", color="k", ms=14, mew=2,
                     label=t("reg_data", lang))
    ax.set(xlim=(0, 20), ylim=(-0.1, 1.05), xlabel=t("reg_constant", lang), ylabel=t("reg_scaled_loss", lang),
           title=t("reg_constant_title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    readout = ax.text(1.02, 0.02, "", transform=ax.transAxes, va="bottom", fontsize=8,
                      bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, q: float, largest: float) -> None:
        y = skewed_data(largest)
        vals = constant_losses(y, c, q=q, losses=("mse", "mae", "quantile"))
        for k, line in curves_.items():
            line.set_ydata(_scaled(vals[k]))
        marks = {"reg_mean": float(np.mean(y)), "reg_median": float(np.median(y)),
                 "reg_quantile": float(np.quantile(y, q, method="inverted_cdf"))}
        for k, v in marks.items():
            vlines[k].set_xdata([v, v])
        rug.set_xdata(y)
        readout.set_text("\n".join([
            f"{t('reg_mean', lang)} = {marks['reg_mean']:.3f}",
            f"argmin MSE = {c[np.argmin(vals['mse'])]:.2f}",
            f"{t('reg_median', lang)} = {marks['reg_median']:.3f}",
            f"argmin MAE = {c[np.argmin(vals['mae'])]:.2f}",
            f"q = {q:.2f}: {marks['reg_quantile']:.3f}",
            f"argmin pinball = {c[np.argmin(vals['quantile'])]:.2f}",
        ]))

    sliders = (Slider("q", "q (quantile)", 0.05, 0.95, 0.05, q),
               Slider("largest", t("reg_largest", lang), 6.0, 20.0, 0.5, largest))
    return LiveFigure(fig, sliders, update, [*curves_.values(), *vlines.values(), rug, readout], dpi=dpi)


# --- fixed-step gradient descent near the kink -------------------------------------
def gd_path(loss: str, lr: float, steps: int = 40, *, w0: float = 2.0, y=(0.0,), delta: float = 1.0,
            q: float = 0.5) -> np.ndarray:
    """Iterates w_0 .. w_steps of plain gradient descent w ← w − η ∂L/∂w, where L is the mean
    ``loss`` of the constant prediction w on the data ``y`` (default: one target at 0)."""
    _checks.choice("loss", loss, LOSS_KEYS)
    lr = _checks.number("lr", lr, low=0, low_open=True)
    steps = int(_checks.number("steps", steps, low=0, integer=True))
    yt = torch.as_tensor(np.asarray(y, dtype=np.float64)).reshape(-1)
    e, kw = _entry(loss, delta=delta, q=q)
    grad = e.grad
    w = np.empty(steps + 1)
    w[0] = w0
    for k in range(steps):
        x = torch.full_like(yt, w[k])
        w[k + 1] = w[k] - lr * float(grad(x, yt, reduction="mean", **kw).sum())
    return w


@register("gd_kink")
def gd_kink(lang: str = "zh-TW", *, lr: float = 0.3, dpi: int = 80) -> LiveFigure:
    """Gradient descent from w = 2 towards the target 0 with one fixed step size η, under
    MSE, MAE, Huber (δ = 1) and log-cosh: left the iterates, right their distance to 0."""
    names = _names(lang)
    steps = 40
    k = np.arange(steps + 1)
    keys = ("mse", "mae", "huber", "log_cosh")
    fig = Figure(figsize=(9, 3.7), dpi=dpi, layout="constrained")
    ax_w, ax_d = fig.subplots(1, 2)
    lines = {key: (ax_w.plot(k, k * 0.0, "-o", ms=2.5, color=_COLORS[key], label=names[key])[0],
                   ax_d.plot(k, k * 0.0 + 1, "-", color=_COLORS[key], label=names[key])[0]) for key in keys}
    ax_w.axhline(0, color="k", lw=0.8)
    ax_w.set(xlim=(0, steps), ylim=(-2.5, 2.5), xlabel=t("reg_step", lang), ylabel=t("reg_param", lang),
             title=t("reg_gd_title", lang))
    ax_d.set(xlim=(0, steps), ylim=(1e-12, 1e2), yscale="log", xlabel=t("reg_step", lang),
             ylabel=t("reg_abs_param", lang), title=t("reg_gd_dist", lang))
    fig.legend(handles=[pair[0] for pair in lines.values()], loc="outside lower center", ncol=4, fontsize=8)
    for ax in (ax_w, ax_d):
        ax.grid(alpha=0.3)
    readout = ax_d.text(0.98, 0.97, "", transform=ax_d.transAxes, ha="right", va="top", fontsize=9)

    def update(*, lr: float) -> None:
        for key in keys:
            w = gd_path(key, lr, steps)
            lines[key][0].set_ydata(np.clip(w, -1e3, 1e3))
            lines[key][1].set_ydata(np.clip(np.abs(w), 1e-13, 1e3))
        readout.set_text(f"η = {lr:.2f}")

    sliders = (Slider("lr", t("reg_lr", lang), 0.05, 1.2, 0.05, lr),)
    return LiveFigure(fig, sliders, update, [*[a for pair in lines.values() for a in pair], readout], dpi=dpi)
