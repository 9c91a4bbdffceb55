"""Figures and numbers for the focal-loss notebook (04): loss, loss ratio and gradient.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``focal_loss`` — the focal loss against p_t for a positive (α_t = α) and a negative
  (α_t = 1 − α) example, cross entropy for reference; sliders γ and α.
* ``focal_ratio`` — FL/CE = (1 − p_t)^γ and the gradient ratio |∂FL/∂z| / |∂CE/∂z| on a
  log scale; slider γ.
* ``focal_gradient`` — ∂FL/∂z against the logit z for y = 1, with the gradient formula of
  study note 004 as a dashed line; slider γ.

Notation: logit z, p = σ(z), p_t the probability given to the true class, so for y = 1,
p_t = p.  The numbers behind every curve are the pure functions below; the loss and its
gradient come from :func:`lossviz.focal` / :func:`lossviz.focal_grad` (the note's formulas
are written out only to compare against them).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import _checks
from .. import classification as C
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "focal_pt": {"zh-TW": "真實類別的機率 p_t", "zh-CN": "真实类别的概率 p_t",
                 "en": "probability of the true class p_t"},
    "focal_logit": {"zh-TW": "logit z（y = 1，p_t = σ(z)）", "zh-CN": "logit z（y = 1，p_t = σ(z)）",
                    "en": "logit z (y = 1, p_t = σ(z))"},
    "focal_loss_title": {"zh-TW": "Focal loss 與交叉熵", "zh-CN": "Focal loss 与交叉熵",
                         "en": "focal loss and cross entropy"},
    "focal_ce": {"zh-TW": "交叉熵 −log p_t", "zh-CN": "交叉熵 −log p_t", "en": "cross entropy −log p_t"},
    "focal_pos": {"zh-TW": "正類（α_t = α）", "zh-CN": "正类（α_t = α）", "en": "positive (α_t = α)"},
    "focal_neg": {"zh-TW": "負類（α_t = 1 − α）", "zh-CN": "负类（α_t = 1 − α）",
                  "en": "negative (α_t = 1 − α)"},
    "focal_no_alpha": {"zh-TW": "不加 α（α_t = 1）", "zh-CN": "不加 α（α_t = 1）",
                       "en": "without α (α_t = 1)"},
    "focal_ratio_title": {"zh-TW": "和交叉熵相比剩下多少", "zh-CN": "和交叉熵相比剩下多少",
                          "en": "what is left of cross entropy"},
    "focal_ratio_axis": {"zh-TW": "比值（對數軸）", "zh-CN": "比值（对数轴）", "en": "ratio (log axis)"},
    "focal_loss_ratio": {"zh-TW": "損失比 FL/CE", "zh-CN": "损失比 FL/CE", "en": "loss ratio FL/CE"},
    "focal_grad_ratio": {"zh-TW": "梯度比 |∂FL/∂z| / |∂CE/∂z|", "zh-CN": "梯度比 |∂FL/∂z| / |∂CE/∂z|",
                         "en": "gradient ratio |∂FL/∂z| / |∂CE/∂z|"},
    "focal_grad_title": {"zh-TW": "對 logit 的梯度（y = 1）", "zh-CN": "对 logit 的梯度（y = 1）",
                         "en": "gradient with respect to the logit (y = 1)"},
    "focal_grad_true": {"zh-TW": "∂FL/∂z（正確）", "zh-CN": "∂FL/∂z（正确）", "en": "∂FL/∂z (correct)"},
    "focal_grad_note": {"zh-TW": "筆記 004 的公式（錯誤）", "zh-CN": "笔记 004 的公式（错误）",
                        "en": "formula of note 004 (wrong)"},
    "focal_grad_ce": {"zh-TW": "交叉熵 σ(z) − 1", "zh-CN": "交叉熵 σ(z) − 1", "en": "cross entropy σ(z) − 1"},
    "focal_grad_axis": {"zh-TW": "梯度 ∂ℓ/∂z", "zh-CN": "梯度 ∂ℓ/∂z", "en": "gradient ∂ℓ/∂z"},
    "focal_readout_at0": {"zh-TW": "在 z = 0（p_t = 0.5）：", "zh-CN": "在 z = 0（p_t = 0.5）：",
                          "en": "at z = 0 (p_t = 0.5):"},
    "focal_readout_true": {"zh-TW": "正確", "zh-CN": "正确", "en": "correct"},
    "focal_readout_note": {"zh-TW": "筆記", "zh-CN": "笔记", "en": "note"},
})


def _as64(x) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


def _pt(p_t) -> np.ndarray:
    p = np.asarray(p_t, dtype=np.float64)
    if p.size == 0 or not np.all((p > 0) & (p < 1)):
        raise ValueError(f"p_t must hold probabilities strictly between 0 and 1, got {p!r}")
    return p


def logit(p_t) -> np.ndarray:
    """z with σ(z) = p_t."""
    p = _pt(p_t)
    return np.log(p) - np.log1p(-p)


# --- losses ------------------------------------------------------------------------------
def focal_values(p_t, gamma: float, alpha_t: float = 1.0) -> np.ndarray:
    """α_t (1 − p_t)^γ (−log p_t) for each p_t, computed by :func:`lossviz.focal` (y = 1)."""
    alpha_t = _checks.number("alpha_t", alpha_t, low=0, high=1)
    z = _as64(logit(p_t))
    y = torch.ones_like(z)
    return C.focal(z, y, alpha=alpha_t, gamma=gamma, reduction="none").numpy()


def ce_values(p_t) -> np.ndarray:
    """−log p_t, computed by :func:`lossviz.bce_with_logits` (y = 1)."""
    z = _as64(logit(p_t))
    return C.bce_with_logits(z, torch.ones_like(z), reduction="none").numpy()


def loss_ratio(p_t, gamma: float) -> np.ndarray:
    """FL/CE at each p_t (α_t = 1); equals (1 − p_t)^γ."""
    return focal_values(p_t, gamma) / ce_values(p_t)


# --- gradients ---------------------------------------------------------------------------
def focal_grad_z(z, gamma: float, alpha_t: float = 1.0) -> np.ndarray:
    """∂FL/∂z for y = 1 at logits ``z`` (one value per z), from :func:`lossviz.focal_grad`."""
    alpha_t = _checks.number("alpha_t", alpha_t, low=0, high=1)
    x = _as64(z)
    return C.focal_grad(x, torch.ones_like(x), alpha=alpha_t, gamma=gamma, reduction="none").numpy()


def ce_grad_z(z) -> np.ndarray:
    """∂CE/∂z = σ(z) − 1 for y = 1, from :func:`lossviz.bce_with_logits_grad`."""
    x = _as64(z)
    return C.bce_with_logits_grad(x, torch.ones_like(x), reduction="none").numpy()


def grad_closed_form(p_t, gamma: float) -> np.ndarray:
    """The derived formula ∂FL/∂z = −(1 − p)^γ [(1 − p) − γ p log p] (y = 1, α_t = 1)."""
    p = _pt(p_t)
    return -((1 - p) ** gamma) * ((1 - p) - gamma * p * np.log(p))


def note_grad_forms(p_t, gamma: float) -> dict[str, np.ndarray]:
    """The three forms of ∂FL/∂z written in study note 004 (its 'gradient', '简化', '进一步')."""
    p = _pt(p_t)
    g = float(gamma)
    return {
        "stated": (1 - p) ** g * (p - 1) - g * (1 - p) ** (g - 1) * p * np.log(p),
        "simplified": (1 - p) ** (g - 1) * ((1 - p) * (p - 1) - g * p * np.log(p)),
        "further": -((1 - p) ** (g - 1)) * ((1 - p) ** 2 + g * p * np.log(p)),
    }


def note_grad(p_t, gamma: float) -> np.ndarray:
    """The note's final form −(1 − p)^(γ−1) [(1 − p)² + γ p log p] (not the gradient)."""
    return note_grad_forms(p_t, gamma)["further"]


def grad_ratio(p_t, gamma: float) -> np.ndarray:
    """|∂FL/∂z| / |∂CE/∂z| at each p_t (y = 1, α_t = 1), from lossviz's gradients.

    Equals (1 − p_t)^γ [1 − γ p_t log p_t / (1 − p_t)], which is above 1 for small p_t."""
    z = logit(p_t)
    return np.abs(focal_grad_z(z, gamma)) / np.abs(ce_grad_z(z))


def note_grad_ratio(p_t, gamma: float) -> np.ndarray:
    """The note's ratio (1 − p_t)^(γ−1) [1 + γ p_t log p_t / (1 − p_t)²] (negative in places)."""
    p = _pt(p_t)
    return (1 - p) ** (gamma - 1) * (1 + gamma * p * np.log(p) / (1 - p) ** 2)


def note_zero(gamma: float, lo: float = 1e-9, hi: float = 1 - 1e-9) -> float:
    """The p_t where the note's formula changes sign (bisection); above it the note's
    'gradient' is positive, i.e. it would push p_t down."""
    gamma = _checks.number("gamma", gamma, low=0, low_open=True)

    def f(p):
        return (1 - p) ** 2 + gamma * p * math.log(p)

    if f(lo) * f(hi) > 0:
        raise ValueError(f"the note's formula must change sign on ({lo}, {hi}) for gamma={gamma}")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


# --- effective sample count ----------------------------------------------------------------
def expected_weight(gamma: float, lo: float, hi: float) -> float:
    """E[(1 − p)^γ] for p uniform on [lo, hi]: ((1−lo)^(γ+1) − (1−hi)^(γ+1)) / ((γ+1)(hi−lo))."""
    gamma = _checks.number("gamma", gamma, low=0)
    if not 0 <= lo < hi <= 1:
        raise ValueError(f"lo and hi must satisfy 0 <= lo < hi <= 1, got lo={lo}, hi={hi}")
    return ((1 - lo) ** (gamma + 1) - (1 - hi) ** (gamma + 1)) / ((gamma + 1) * (hi - lo))


def note_simulation(seed: int, gammas=(0, 1, 2, 5), n_hard: int = 10, n_easy: int = 990) -> dict:
    """The note's N_eff code, seeded: p_hard ~ U(0.1, 0.5), p_easy ~ U(0.9, 0.99) drawn once
    (in that order, with ``np.random.RandomState(seed)``, the stream of ``np.random.seed``),
    then for each γ the sums of (1 − p)^γ.  Returns {γ: (hard, easy)}."""
    rng = np.random.RandomState(int(seed))
    p_hard = rng.uniform(0.1, 0.5, n_hard)
    p_easy = rng.uniform(0.9, 0.99, n_easy)
    return {g: (float(np.sum((1 - p_hard) ** g)), float(np.sum((1 - p_easy) ** g))) for g in gammas}


def weight_entropy(w) -> float:
    """H = −Σ q log q (nats) of the normalised weights q = w / Σ w (terms with q = 0 count 0)."""
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w) & (w >= 0)) or w.sum() <= 0:
        raise ValueError(f"w must be a non-empty 1-D array of finite weights >= 0 with a positive sum, "
                         f"got {w!r}")
    q = w / w.sum()
    q = q[q > 0]
    return float(-(q * np.log(q)).sum())


# --- figures -------------------------------------------------------------------------------
_P = np.linspace(0.004, 0.996, 497)
_Z = np.linspace(-6.0, 6.0, 481)


@register("focal_loss")
def focal_loss_figure(lang: str = "zh-TW", *, gamma: float = 2.0, alpha: float = 0.25,
                      dpi: int = 80) -> LiveFigure:
    """FL against p_t for a positive and a negative example and without α; CE dashed."""
    fig = Figure(figsize=(7.0, 3.8), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.plot(_P, ce_values(_P), "k--", lw=1.5, label=t("focal_ce", lang))
    (plain,) = ax.plot(_P, _P * 0, ":", color="0.4", lw=1.8, label=t("focal_no_alpha", lang))
    (pos,) = ax.plot(_P, _P * 0, "-", color="C3", lw=2, label=t("focal_pos", lang))
    (neg,) = ax.plot(_P, _P * 0, "-", color="C0", lw=2, label=t("focal_neg", lang))
    ax.set(xlim=(0, 1), ylim=(0, 4.0), xlabel=t("focal_pt", lang), ylabel=t("loss", lang),
           title=t("focal_loss_title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    readout = ax.text(0.36, 0.74, "", transform=ax.transAxes, va="top", fontsize=9, family="monospace",
                      bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, gamma: float, alpha: float) -> None:
        base = focal_values(_P, gamma)
        plain.set_ydata(base)
        pos.set_ydata(alpha * base)
        neg.set_ydata((1 - alpha) * base)
        rows = [f"γ = {gamma:.2f}   α = {alpha:.2f}"]
        for p in (0.1, 0.5, 0.9):
            fl = float(focal_values([p], gamma)[0])
            rows.append(f"p_t={p:.1f}: CE {float(ce_values([p])[0]):.4f}  FL(α_t=1) {fl:.2e}")
        readout.set_text("\n".join(rows))

    sliders = (Slider("gamma", "γ", 0.0, 5.0, 0.1, gamma), Slider("alpha", "α", 0.0, 1.0, 0.05, alpha))
    return LiveFigure(fig, sliders, update, [plain, pos, neg, readout], dpi=dpi)


_RATIO_FLOOR = 1e-12


@register("focal_ratio")
def focal_ratio_figure(lang: str = "zh-TW", *, gamma: float = 2.0, dpi: int = 80) -> LiveFigure:
    """FL/CE and |∂FL/∂z| / |∂CE/∂z| against p_t on a log axis; the line 1 is 'same as CE'."""
    fig = Figure(figsize=(7.0, 3.8), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.axhline(1.0, color="k", lw=1, ls="--")
    (lr,) = ax.plot(_P, _P * 0 + 1, "-", color="C2", lw=2, label=t("focal_loss_ratio", lang))
    (gr,) = ax.plot(_P, _P * 0 + 1, "-", color="C1", lw=2, label=t("focal_grad_ratio", lang))
    ax.set(xlim=(0, 1), ylim=(1e-10, 5.0), yscale="log", xlabel=t("focal_pt", lang),
           ylabel=t("focal_ratio_axis", lang), title=t("focal_ratio_title", lang))
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="lower left")
    readout = ax.text(0.03, 0.62, "", transform=ax.transAxes, va="top", fontsize=9,
                      family="monospace", bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, gamma: float) -> None:
        a = loss_ratio(_P, gamma)
        b = grad_ratio(_P, gamma)
        lr.set_ydata(np.maximum(a, _RATIO_FLOOR))
        gr.set_ydata(np.maximum(b, _RATIO_FLOOR))
        k = int(np.argmax(b))
        rows = [f"γ = {gamma:.2f}",
                f"p_t=0.9:  FL/CE {float(loss_ratio([0.9], gamma)[0]):.2e}",
                f"          grad {float(grad_ratio([0.9], gamma)[0]):.2e}",
                f"max grad ratio {b[k]:.3f} (p_t={_P[k]:.3f})"]
        readout.set_text("\n".join(rows))

    sliders = (Slider("gamma", "γ", 0.0, 5.0, 0.1, gamma),)
    return LiveFigure(fig, sliders, update, [lr, gr, readout], dpi=dpi)


@register("focal_gradient")
def focal_gradient_figure(lang: str = "zh-TW", *, gamma: float = 2.0, dpi: int = 80) -> LiveFigure:
    """∂FL/∂z against z for y = 1 (lossviz.focal_grad) and the note's formula (dashed)."""
    p = 1.0 / (1.0 + np.exp(-_Z))
    fig = Figure(figsize=(7.0, 3.8), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.axhline(0.0, color="k", lw=0.8)
    ax.plot(_Z, ce_grad_z(_Z), ":", color="0.3", lw=1.8, label=t("focal_grad_ce", lang))
    (true,) = ax.plot(_Z, _Z * 0, "-", color="C0", lw=2.2, label=t("focal_grad_true", lang))
    (note,) = ax.plot(_Z, _Z * 0, "--", color="C3", lw=2, label=t("focal_grad_note", lang))
    ax.set(xlim=(-6, 6), ylim=(-1.6, 0.6), xlabel=t("focal_logit", lang), ylabel=t("focal_grad_axis", lang),
           title=t("focal_grad_title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    readout = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=9,
                      bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, gamma: float) -> None:
        g_true = focal_grad_z(_Z, gamma)
        g_note = note_grad(p, gamma)
        true.set_ydata(g_true)
        note.set_ydata(np.clip(g_note, -10, 10))
        rows = [f"γ = {gamma:.2f}   {t('focal_readout_at0', lang)}",
                f"  {t('focal_readout_true', lang)} {float(focal_grad_z([0.0], gamma)[0]):+.4f}",
                f"  {t('focal_readout_note', lang)} {float(note_grad([0.5], gamma)[0]):+.4f}"]
        readout.set_text("\n".join(rows))

    sliders = (Slider("gamma", "γ", 0.0, 5.0, 0.1, gamma),)
    return LiveFigure(fig, sliders, update, [true, note, readout], dpi=dpi)
