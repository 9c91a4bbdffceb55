"""Figures for the autograd notebook: what ``loss.backward()`` + ``optimizer.step()`` do.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``gradient_descent`` — plain gradient descent ``w ← w − η · w.grad`` on a one-parameter
  MSE loss; sliders η (learning rate) and the starting point w0.  Left: the iterates on the
  loss curve; right: the excess loss L(w_k) − L* against the step k (log axis).

The loss is ``L(w) = lossviz.mse(w * GD_X, GD_Y)``, a parabola with curvature
``a = 2 mean(x²) = 2.5`` and minimiser ``w* = Σxy / Σx² = 2.05``.  One step multiplies the
distance to w* by ``1 − η a``, so η < 1/a = 0.4 approaches w* from one side, η = 0.4 lands on it
in one step, 0.4 < η < 0.8 overshoots back and forth while converging, η = 2/a = 0.8 bounces
forever and η > 0.8 diverges.  The iterates come from :func:`gd_iterates`, which runs the same
``backward`` / update / reset loop the notebook writes by hand; the tests compare it with the
closed form.
"""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import _checks
from .._text import add, t
from ..regression import mse
from ..widgets import LiveFigure, Slider
from . import register

add({
    "ag_param": {"zh-TW": "參數 w", "zh-CN": "参数 w", "en": "parameter w"},
    "ag_loss": {"zh-TW": "損失 L(w)", "zh-CN": "损失 L(w)", "en": "loss L(w)"},
    "ag_step": {"zh-TW": "迭代次數 k", "zh-CN": "迭代次数 k", "en": "step k"},
    "ag_excess": {"zh-TW": "多出的損失 L(w) − L*（對數軸）", "zh-CN": "多出的损失 L(w) − L*（对数轴）",
                  "en": "excess loss L(w) − L* (log axis)"},
    "ag_lr": {"zh-TW": "學習率 η", "zh-CN": "学习率 η", "en": "learning rate η"},
    "ag_w0": {"zh-TW": "起點 w0", "zh-CN": "起点 w0", "en": "start w0"},
    "ag_path_title": {"zh-TW": "梯度下降在一維損失上的軌跡", "zh-CN": "梯度下降在一维损失上的轨迹",
                      "en": "gradient descent on a 1-D loss"},
    "ag_curve_title": {"zh-TW": "損失怎麼隨步數下降", "zh-CN": "损失怎么随步数下降",
                       "en": "how the loss falls with the steps"},
    "ag_optimum": {"zh-TW": "最小值 w*", "zh-CN": "最小值 w*", "en": "minimiser w*"},
    "ag_start": {"zh-TW": "起點", "zh-CN": "起点", "en": "start"},
    "ag_diverge": {"zh-TW": "發散", "zh-CN": "发散", "en": "diverges"},
    "ag_bounce": {"zh-TW": "來回跳、不收斂", "zh-CN": "来回跳、不收敛", "en": "bounces, never converges"},
    "ag_oscillate": {"zh-TW": "來回震盪地收斂", "zh-CN": "来回震荡地收敛", "en": "converges, oscillating"},
    "ag_one_step": {"zh-TW": "一步到位", "zh-CN": "一步到位", "en": "lands in one step"},
    "ag_monotone": {"zh-TW": "單調地收斂", "zh-CN": "单调地收敛", "en": "converges from one side"},
})

GD_X = (0.5, 0.5, 1.5, 1.5)
"""Inputs of the one-parameter model ``pred = w * x`` (mean x² = 1.25)."""
GD_Y = (0.8, 1.1, 3.3, 2.9)
"""Targets: 2 x plus the fixed noise (−0.2, +0.1, +0.3, −0.1)."""
GD_STEPS = 20


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    return torch.tensor(GD_X, dtype=torch.float64), torch.tensor(GD_Y, dtype=torch.float64)


def gd_curvature() -> float:
    """a = L''(w) = 2 mean(x²) for L(w) = mean (w x − y)²."""
    x, _ = _data()
    return float(2 * x.square().mean())


def gd_optimum() -> float:
    """w* = Σ x y / Σ x², the minimiser of L(w)."""
    x, y = _data()
    return float((x * y).sum() / x.square().sum())


def gd_loss(w) -> np.ndarray:
    """L(w) = lossviz.mse(w * GD_X, GD_Y) at each value of the array ``w``."""
    x, y = _data()
    wt = torch.as_tensor(np.asarray(w, dtype=np.float64)).reshape(-1, 1)
    pred = wt * x
    per_point = mse(pred, y.expand_as(pred).contiguous(), reduction="none")
    return per_point.mean(dim=1).numpy().reshape(np.shape(w))


def gd_iterates(lr: float, steps: int = GD_STEPS, *, w0: float = -1.0) -> tuple[np.ndarray, np.ndarray]:
    """(w_0 .. w_steps, L(w_0) .. L(w_steps)) of gradient descent with learning rate ``lr``.

    Each step is the loop a notebook writes by hand: forward, ``loss.backward()``, the update
    ``w -= lr * w.grad`` under ``torch.no_grad()``, then ``w.grad = None`` (without the reset
    the gradients would add up).  Values that overflow stay ``inf``/``nan``.
    """
    lr = _checks.number("lr", lr, low=0)
    steps = int(_checks.number("steps", steps, low=0, integer=True))
    w0 = _checks.number("w0", w0)
    x, y = _data()
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    ws, losses = [w0], []
    for _ in range(steps):
        loss = mse(w * x, y)
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        ws.append(w.item())
    losses.append(mse(w.detach() * x, y).item())
    return np.array(ws), np.array(losses)


def gd_regime(lr: float) -> str:
    """Text key of what gradient descent does at ``lr``: the factor 1 − η a decides."""
    factor = 1 - lr * gd_curvature()
    if abs(factor) < 1e-9:
        return "ag_one_step"
    if factor > 0:
        return "ag_monotone"
    if factor > -1 + 1e-9:
        return "ag_oscillate"
    if factor > -1 - 1e-9:
        return "ag_bounce"
    return "ag_diverge"


@register("gradient_descent")
def gradient_descent(lang: str = "zh-TW", *, lr: float = 0.1, w0: float = -1.0, dpi: int = 80) -> LiveFigure:
    """Gradient descent on L(w) = mean (w x − y)²: iterates on the loss curve (left) and the
    excess loss per step (right); sliders η and w0."""
    a, w_star = gd_curvature(), gd_optimum()
    l_star = float(gd_loss(w_star))
    grid = np.linspace(-2.0, 6.0, 401)
    k = np.arange(GD_STEPS + 1)
    fig = Figure(figsize=(9, 3.6), dpi=dpi, layout="constrained")
    ax_w, ax_k = fig.subplots(1, 2)
    ax_w.plot(grid, gd_loss(grid), color="0.3", lw=1.5, label=t("ag_loss", lang))
    ax_w.axvline(w_star, color="C2", ls="--", lw=1, label=t("ag_optimum", lang))
    (path,) = ax_w.plot(grid[:1], grid[:1], "-o", color="C0", ms=4, lw=1, alpha=0.85)
    (start,) = ax_w.plot([w0], [0.0], "o", color="C3", ms=8, mec="k", label=t("ag_start", lang))
    ax_w.set(xlim=(-2.0, 6.0), ylim=(-0.5, 20.0), xlabel=t("ag_param", lang), ylabel=t("ag_loss", lang),
             title=t("ag_path_title", lang))
    ax_w.legend(fontsize=8, loc="upper center")
    (curve,) = ax_k.plot(k, np.ones_like(k, dtype=float), "-o", color="C0", ms=3)
    ax_k.set(xlim=(0, GD_STEPS), ylim=(1e-12, 1e4), yscale="log", xlabel=t("ag_step", lang),
             ylabel=t("ag_excess", lang), title=t("ag_curve_title", lang))
    for ax in (ax_w, ax_k):
        ax.grid(alpha=0.3)
    readout = ax_k.text(0.98, 0.97, "", transform=ax_k.transAxes, ha="right", va="top", fontsize=9,
                        bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, lr: float, w0: float) -> None:
        ws, losses = gd_iterates(lr, GD_STEPS, w0=w0)
        shown = np.clip(ws, -1e3, 1e3)
        path.set_data(shown, np.clip(gd_loss(shown), -1e3, 1e6))
        start.set_data([w0], [float(gd_loss(w0))])
        with np.errstate(invalid="ignore"):
            curve.set_ydata(np.clip(np.nan_to_num(losses - l_star, nan=1e30, posinf=1e30), 1e-13, 1e30))
        last = ws[-1]
        last_text = f"{last:.4f}" if abs(last) < 1e6 else f"{last:.2e}"
        readout.set_text("\n".join([
            f"η = {lr:.2f}   1 − ηa = {1 - lr * a:+.2f}",
            f"w{GD_STEPS} = {last_text}   (w* = {w_star:.2f})",
            t(gd_regime(lr), lang),
        ]))

    sliders = (Slider("lr", t("ag_lr", lang), 0.02, 0.9, 0.01, lr),
               Slider("w0", t("ag_w0", lang), -1.5, 5.5, 0.25, w0))
    return LiveFigure(fig, sliders, update, [path, start, curve, readout], dpi=dpi)
