"""Figures for the regression notebook: loss and gradient of MSE, MAE, Huber, log-cosh, quantile."""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import regression as R
from .._text import t
from ..catalog import catalog
from ..widgets import LiveFigure, Slider
from . import register


def curves(d: np.ndarray, *, delta: float, q: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per-element loss and gradient of each regression loss at residuals ``d`` (target 0)."""
    x = torch.as_tensor(d, dtype=torch.float64)
    y = torch.zeros_like(x)
    out = {}
    for name, fn, grad, kw in (
        ("mse", R.mse, R.mse_grad, {}),
        ("mae", R.mae, R.mae_grad, {}),
        ("huber", R.huber, R.huber_grad, {"delta": delta}),
        ("log_cosh", R.log_cosh, R.log_cosh_grad, {}),
        ("quantile", R.quantile, R.quantile_grad, {"q": q}),
    ):
        out[name] = (fn(x, y, reduction="none", **kw).numpy(), grad(x, y, reduction="sum", **kw).numpy())
    return out


@register("regression_curves")
def regression_curves(lang: str = "zh-TW", *, delta: float = 1.0, q: float = 0.5, dpi: int = 80) -> LiveFigure:
    """Loss (left) and gradient (right) against the residual; sliders move δ and q."""
    d = np.linspace(-3, 3, 601)
    names = {k: e.names[lang] if lang in e.names else e.names["en"] for k, e in catalog().items()}
    fig = Figure(figsize=(9, 3.4), dpi=dpi, layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    data = curves(d, delta=delta, q=q)
    lines = {}
    for key, style in (("mse", "-"), ("mae", "-"), ("huber", "-"), ("log_cosh", "--"), ("quantile", ":")):
        lines[key] = (ax_l.plot(d, data[key][0], style, label=names[key])[0],
                      ax_g.plot(d, data[key][1], style, label=names[key])[0])
    ax_l.set(xlim=(-3, 3), ylim=(0, 4.5), xlabel=t("residual", lang), ylabel=t("loss", lang), title=t("loss_curves", lang))
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

    sliders = (Slider("delta", "δ (Huber)", 0.1, 3.0, 0.05, delta), Slider("q", "q (quantile)", 0.05, 0.95, 0.05, q))
    return LiveFigure(fig, sliders, update, dynamic, dpi=dpi)
