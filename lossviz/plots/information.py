"""Figures for the information notebook: surprise, entropy, cross entropy and KL divergence.

Pure data functions first (the numbers behind every curve; the tests call them), then three
interactive figures:

* ``"surprise"`` — :math:`-\\log p` in nats and bits on a linear and a logarithmic p axis,
  a marker that follows the slider p;
* ``"entropy"`` — a 4-outcome distribution made from four slider weights, its bars and its
  entropy against the maximum :math:`\\log_2 4`;
* ``"cross_entropy_kl"`` — P fixed, Q = softmax(log P + s·v) moved by the slider s; bars of
  P and Q, and H(P, Q) = H(P) + KL(P‖Q) along s.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from matplotlib.figure import Figure

from .. import information as I
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "info_nats": {"zh-TW": "奈特（ln）", "zh-CN": "奈特（ln）", "en": "nats (ln)"},
    "info_bits": {"zh-TW": "位元（log2）", "zh-CN": "比特（log2）", "en": "bits (log2)"},
    "info_surprise_lin": {"zh-TW": "p → 0 時驚訝度沒有上限", "zh-CN": "p → 0 时惊讶度没有上限",
                          "en": "surprise is unbounded as p → 0"},
    "info_surprise_log": {"zh-TW": "對數刻度：一條直線，不是指數爆炸",
                          "zh-CN": "对数刻度：一条直线，不是指数爆炸",
                          "en": "log scale: a straight line, not an explosion"},
    "info_p_log": {"zh-TW": "機率 p（對數刻度）", "zh-CN": "概率 p（对数刻度）",
                   "en": "probability p (log scale)"},
    "info_per_decade": {"zh-TW": "p 每縮小 10 倍：\n+2.303 奈特 = +3.322 位元",
                        "zh-CN": "p 每缩小 10 倍：\n+2.303 奈特 = +3.322 比特",
                        "en": "each 10× smaller p:\n+2.303 nats = +3.322 bits"},
    "info_nat_unit": {"zh-TW": "奈特", "zh-CN": "奈特", "en": "nats"},
    "info_bit_unit": {"zh-TW": "位元", "zh-CN": "比特", "en": "bits"},
    "info_outcome": {"zh-TW": "結果", "zh-CN": "结果", "en": "outcome"},
    "info_prob": {"zh-TW": "機率", "zh-CN": "概率", "en": "probability"},
    "info_dist": {"zh-TW": "分佈（權重除以總和）", "zh-CN": "分布（权重除以总和）",
                  "en": "distribution (weights / their sum)"},
    "info_entropy": {"zh-TW": "熵 H（位元）", "zh-CN": "熵 H（比特）", "en": "entropy H (bits)"},
    "info_entropy_max": {"zh-TW": "最大值 log2 4 = 2", "zh-CN": "最大值 log2 4 = 2",
                         "en": "maximum log2 4 = 2"},
    "info_pq_bars": {"zh-TW": "P 固定，Q 隨 s 移動", "zh-CN": "P 固定，Q 随 s 移动",
                     "en": "P fixed, Q moves with s"},
    "info_shift": {"zh-TW": "位移 s（Q 的 logit 加上 s·(−1, 0, 1)）",
                   "zh-CN": "位移 s（Q 的 logit 加上 s·(−1, 0, 1)）",
                   "en": "shift s (Q's logits + s·(−1, 0, 1))"},
    "info_nats_axis": {"zh-TW": "奈特", "zh-CN": "奈特", "en": "nats"},
    "info_ce_kl_title": {"zh-TW": "H(P, Q) = H(P) + KL(P‖Q)", "zh-CN": "H(P, Q) = H(P) + KL(P‖Q)",
                         "en": "H(P, Q) = H(P) + KL(P‖Q)"},
})

DIRECTION = (-1.0, 0.0, 1.0)  # the direction in logit space along which Q leaves P
P_DEFAULT = (0.6, 0.3, 0.1)


# --- pure data functions --------------------------------------------------------------
def surprise(p, base: float = math.e) -> np.ndarray:
    """:math:`-\\log_b p` for each element of ``p`` (float64; ``lossviz.self_information``)."""
    x = torch.as_tensor(np.asarray(p, dtype=np.float64))
    return I.self_information(x, base=base, reduction="none").numpy()


def normalize(weights) -> np.ndarray:
    """Non-negative weights → probabilities; all-zero weights give the uniform distribution."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D sequence, got shape {w.shape}")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"weights must be finite and >= 0, got {w.tolist()}")
    total = w.sum()
    return np.full_like(w, 1.0 / w.size) if total == 0 else w / total


def entropy(p, base: float = math.e) -> float:
    """Shannon entropy :math:`-\\sum p_i \\log_b p_i` of one distribution (``lossviz.entropy``)."""
    x = torch.as_tensor(np.asarray(p, dtype=np.float64))
    return I.entropy(x, base=base, reduction="sum").item()


def shifted(p, s: float, direction=DIRECTION) -> np.ndarray:
    """Q = softmax(log P + s·direction): Q = P at s = 0, moving away from P as |s| grows."""
    logits = np.log(np.asarray(p, dtype=np.float64)) + s * np.asarray(direction, dtype=np.float64)
    logits -= logits.max()  # log-sum-exp shift: exp never overflows
    q = np.exp(logits)
    return q / q.sum()


def ce_kl(p, q, base: float = math.e) -> dict[str, float]:
    """H(P, Q) = −Σ P log Q (computed directly), H(P), and KL(P‖Q) from ``lossviz.kl_div``."""
    p64 = torch.as_tensor(np.asarray(p, dtype=np.float64))
    q64 = torch.as_tensor(np.asarray(q, dtype=np.float64))
    cross = (-torch.xlogy(p64, q64).sum() / math.log(base)).item()
    return {"cross_entropy": cross,
            "entropy": I.entropy(p64, base=base, reduction="sum").item(),
            "kl": I.kl_div(p64, q64, base=base, reduction="sum").item()}


def ce_kl_curves(p, s: np.ndarray, base: float = math.e) -> dict[str, np.ndarray]:
    """``ce_kl(p, shifted(p, s_i))`` for each s_i: three arrays of the length of ``s``."""
    rows = [ce_kl(p, shifted(p, si), base) for si in np.asarray(s, dtype=np.float64)]
    return {k: np.array([r[k] for r in rows]) for k in ("cross_entropy", "entropy", "kl")}


# --- figures --------------------------------------------------------------------------
@register("surprise")
def surprise_figure(lang: str = "zh-TW", *, p: float = 0.1, dpi: int = 80) -> LiveFigure:
    """−log p in nats and bits, on a linear (left) and a logarithmic (right) p axis."""
    grid = np.geomspace(1e-3, 1.0, 400)
    fig = Figure(figsize=(9, 3.4), dpi=dpi, layout="constrained")
    ax_lin, ax_log = fig.subplots(1, 2)
    markers = []
    for ax in (ax_lin, ax_log):
        ax.plot(grid, surprise(grid), color="C0", label=t("info_nats", lang))
        ax.plot(grid, surprise(grid, 2), color="C1", label=t("info_bits", lang))
        markers.append(ax.plot([], [], "o", color="C0")[0])
        markers.append(ax.plot([], [], "o", color="C1")[0])
        markers.append(ax.axvline(p, color="0.5", lw=0.8, ls="--"))
        ax.set(ylim=(0, 10.5), ylabel=t("surprise", lang))
        ax.grid(alpha=0.3)
    ax_lin.set(xlim=(0, 1), xlabel=t("probability", lang), title=t("info_surprise_lin", lang))
    ax_log.set_xscale("log")
    ax_log.set(xlim=(1e-3, 1), xlabel=t("info_p_log", lang), title=t("info_surprise_log", lang))
    ax_lin.legend(fontsize=8, loc="upper right")
    ax_log.text(0.97, 0.95, t("info_per_decade", lang), transform=ax_log.transAxes, ha="right", va="top",
                fontsize=8)
    readout = ax_lin.text(0.35, 0.62, "", transform=ax_lin.transAxes, fontsize=9,
                          bbox=dict(boxstyle="round", fc="white", ec="0.7"))
    nat, bit = t("info_nat_unit", lang), t("info_bit_unit", lang)

    def update(*, p: float) -> None:
        nats, bits = surprise([p])[0], surprise([p], 2)[0]
        for k in (0, 3):
            markers[k].set_data([p], [nats])
            markers[k + 1].set_data([p], [bits])
            markers[k + 2].set_xdata([p, p])
        readout.set_text(f"p = {p:.3f}\n−ln p = {nats:.3f} {nat}\n−log2 p = {bits:.3f} {bit}")

    sliders = (Slider("p", "p", 0.001, 1.0, 0.001, p),)
    return LiveFigure(fig, sliders, update, [*markers, readout], dpi=dpi)


@register("entropy")
def entropy_figure(lang: str = "zh-TW", *, w1: float = 1.0, w2: float = 0.5, w3: float = 0.25,
                   w4: float = 0.1, dpi: int = 80) -> LiveFigure:
    """Bars of p = w / Σw over four outcomes, and H(p) in bits against its maximum log2 4."""
    fig = Figure(figsize=(9, 3.4), dpi=dpi, layout="constrained")
    ax_p, ax_h = fig.subplots(1, 2, width_ratios=(3, 1))
    xs = np.arange(4)
    bars = ax_p.bar(xs, np.zeros(4), color="C0")
    labels = [ax_p.text(x, 0.0, "", ha="center", va="bottom", fontsize=9) for x in xs]
    ax_p.set(xticks=xs, xticklabels=["A", "B", "C", "D"], ylim=(0, 1.12), xlabel=t("info_outcome", lang),
             ylabel=t("info_prob", lang), title=t("info_dist", lang))
    ax_p.grid(axis="y", alpha=0.3)
    h_bar = ax_h.bar([0], [0.0], width=0.6, color="C2")[0]
    ax_h.axhline(2.0, color="C3", ls="--", lw=1)
    ax_h.text(0, 2.03, t("info_entropy_max", lang), ha="center", va="bottom", fontsize=8, color="C3")
    ax_h.set(xlim=(-0.6, 0.6), ylim=(0, 2.35), xticks=[], title=t("info_entropy", lang))
    readout = ax_h.text(0, 0.05, "", ha="center", va="bottom", fontsize=9,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7"))
    bit, nat = t("info_bit_unit", lang), t("info_nat_unit", lang)

    def update(*, w1: float, w2: float, w3: float, w4: float) -> None:
        p = normalize([w1, w2, w3, w4])
        for bar, label, x, pi in zip(bars, labels, xs, p, strict=True):
            bar.set_height(pi)
            label.set_position((x, pi + 0.01))
            label.set_text(f"{pi:.3f}")
        h_bits = entropy(p, 2)
        h_bar.set_height(h_bits)
        readout.set_text(f"H = {h_bits:.3f} {bit}\n= {entropy(p):.3f} {nat}")

    sliders = tuple(Slider(f"w{i}", f"w{i}", 0.0, 1.0, 0.01, v) for i, v in enumerate((w1, w2, w3, w4), 1))
    return LiveFigure(fig, sliders, update, [*bars, *labels, h_bar, readout], dpi=dpi)


@register("cross_entropy_kl")
def cross_entropy_kl_figure(lang: str = "zh-TW", *, s: float = 1.0, p=P_DEFAULT, dpi: int = 80) -> LiveFigure:
    """Bars of P (fixed) and Q (moves with s); H(P, Q), H(P) and KL(P‖Q) along s with a marker."""
    p = normalize(p)
    if len(p) != len(DIRECTION) or (p == 0).any():
        raise ValueError(f"p must hold {len(DIRECTION)} positive probabilities, got {p.tolist()}")
    s_grid = np.linspace(-4, 4, 161)
    curves = ce_kl_curves(p, s_grid)
    fig = Figure(figsize=(9, 3.4), dpi=dpi, layout="constrained")
    ax_b, ax_c = fig.subplots(1, 2)
    xs = np.arange(len(p))
    ax_b.bar(xs - 0.2, p, width=0.4, color="C0", label="P")
    q_bars = ax_b.bar(xs + 0.2, np.zeros(len(p)), width=0.4, color="C1", label="Q")
    ax_b.set(xticks=xs, xticklabels=["A", "B", "C"], ylim=(0, 1.05), xlabel=t("info_outcome", lang),
             ylabel=t("info_prob", lang), title=t("info_pq_bars", lang))
    ax_b.legend(fontsize=8, loc="upper right")
    ax_b.grid(axis="y", alpha=0.3)
    names = {"cross_entropy": "H(P, Q)", "entropy": "H(P)", "kl": "KL(P‖Q)"}
    dots = {}
    for color, key in zip(("C3", "C0", "C2"), names, strict=True):
        ax_c.plot(s_grid, curves[key], color=color, label=names[key])
        dots[key] = ax_c.plot([], [], "o", color=color)[0]
    vline = ax_c.axvline(s, color="0.5", lw=0.8, ls="--")
    top = float(curves["cross_entropy"].max()) * 1.08
    ax_c.set(xlim=(-4, 4), ylim=(0, top), xlabel=t("info_shift", lang), ylabel=t("info_nats_axis", lang),
             title=t("info_ce_kl_title", lang))
    ax_c.legend(fontsize=8, loc="upper left")
    ax_c.grid(alpha=0.3)
    readout = ax_c.text(0.52, 0.97, "", transform=ax_c.transAxes, ha="center", va="top", fontsize=8,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7"))

    def update(*, s: float) -> None:
        q = shifted(p, s)
        for bar, qi in zip(q_bars, q, strict=True):
            bar.set_height(qi)
        v = ce_kl(p, q)
        for key, dot in dots.items():
            dot.set_data([s], [v[key]])
        vline.set_xdata([s, s])
        readout.set_text(f"s = {s:+.2f}\nH(P, Q) = {v['cross_entropy']:.3f}\n"
                         f"= H(P) {v['entropy']:.3f} + KL {v['kl']:.3f}")

    sliders = (Slider("s", "s", -4.0, 4.0, 0.05, s),)
    return LiveFigure(fig, sliders, update, [*q_bars, *dots.values(), vline, readout], dpi=dpi)
