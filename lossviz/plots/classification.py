"""Figures for the cross-entropy notebook: binary cross entropy, label smoothing, margin losses.

Pure data functions first (the numbers behind every curve; the tests call them), then three
interactive figures (ids in ``lossviz.plots.FIGURES``):

* ``"bce_terms"`` — the two terms of binary cross entropy, −log p (label 1) and −log(1 − p)
  (label 0), their mix for a label y, and the gradients with respect to p and to the logit;
  sliders y and p.
* ``"label_smoothing"`` — the smoothed target of K classes under the two conventions
  (ε spread over all K classes, as PyTorch; or over the K − 1 wrong classes), and the loss
  of the logits (g, 0, …, 0) against the logit gap g with each optimum marked; sliders ε and K.
* ``"margin_losses"`` — 0-1, hinge and logistic (cross entropy) losses against the margin
  m = y·f(x), with their derivatives; sliders: the hinge margin and the base of the log.
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
    "cls_p": {"zh-TW": "預測機率 p = σ(z)", "zh-CN": "预测概率 p = σ(z)",
              "en": "predicted probability p = σ(z)"},
    "cls_term_pos": {"zh-TW": "−log p（y = 1 的項：漏掉正例）", "zh-CN": "−log p（y = 1 的项：漏掉正例）",
                     "en": "−log p (the y = 1 term: a missed positive)"},
    "cls_term_neg": {"zh-TW": "−log(1 − p)（y = 0 的項：誤報）", "zh-CN": "−log(1 − p)（y = 0 的项：误报）",
                     "en": "−log(1 − p) (the y = 0 term: a false alarm)"},
    "cls_bce_mix": {"zh-TW": "損失 = y·(−log p) + (1 − y)·(−log(1 − p))",
                    "zh-CN": "损失 = y·(−log p) + (1 − y)·(−log(1 − p))",
                    "en": "loss = y·(−log p) + (1 − y)·(−log(1 − p))"},
    "cls_bce_title": {"zh-TW": "二元交叉熵的兩項", "zh-CN": "二元交叉熵的两项",
                      "en": "the two terms of binary cross entropy"},
    "cls_grad_title": {"zh-TW": "梯度：對 p 會爆開，對 logit z 是 p − y",
                       "zh-CN": "梯度：对 p 会爆开，对 logit z 是 p − y",
                       "en": "gradient: explodes in p, is p − y in the logit z"},
    "cls_grad_p": {"zh-TW": "∂ℓ/∂p = (p − y) / (p(1 − p))", "zh-CN": "∂ℓ/∂p = (p − y) / (p(1 − p))",
                   "en": "∂ℓ/∂p = (p − y) / (p(1 − p))"},
    "cls_grad_z": {"zh-TW": "∂ℓ/∂z = p − y", "zh-CN": "∂ℓ/∂z = p − y", "en": "∂ℓ/∂z = p − y"},
    "cls_loss": {"zh-TW": "損失（奈特）", "zh-CN": "损失（奈特）", "en": "loss (nats)"},
    "cls_grad": {"zh-TW": "梯度", "zh-CN": "梯度", "en": "gradient"},
    "cls_label": {"zh-TW": "標籤 y", "zh-CN": "标签 y", "en": "label y"},
    "cls_class": {"zh-TW": "類別（0 是正確類別）", "zh-CN": "类别（0 是正确类别）",
                  "en": "class (0 is the true class)"},
    "cls_target_prob": {"zh-TW": "目標機率", "zh-CN": "目标概率", "en": "target probability"},
    "cls_all_k": {"zh-TW": "ε 分給全部 K 類（PyTorch、筆記 004）",
                  "zh-CN": "ε 分给全部 K 类（PyTorch、笔记 004）",
                  "en": "ε spread over all K classes (PyTorch, note 004)"},
    "cls_others": {"zh-TW": "ε 分給其他 K − 1 類", "zh-CN": "ε 分给其他 K − 1 类",
                   "en": "ε spread over the other K − 1 classes"},
    "cls_all_k_short": {"zh-TW": "全部 K 類", "zh-CN": "全部 K 类", "en": "all K"},
    "cls_others_short": {"zh-TW": "其他 K − 1 類", "zh-CN": "其他 K − 1 类", "en": "other K − 1"},
    "cls_ls_title": {"zh-TW": "平滑後的目標分佈", "zh-CN": "平滑后的目标分布",
                     "en": "smoothed target distribution"},
    "cls_gap": {"zh-TW": "logit 差距 g（logits = g, 0, …, 0）",
                "zh-CN": "logit 差距 g（logits = g, 0, …, 0）",
                "en": "logit gap g (logits = g, 0, …, 0)"},
    "cls_gap_title": {"zh-TW": "交叉熵對 g：平滑後有有限的最佳點",
                      "zh-CN": "交叉熵对 g：平滑后有有限的最佳点",
                      "en": "cross entropy against g: smoothing gives a finite optimum"},
    "cls_best_gap": {"zh-TW": "最佳 g", "zh-CN": "最佳 g", "en": "best g"},
    "cls_min_loss": {"zh-TW": "最小損失 H(q)", "zh-CN": "最小损失 H(q)", "en": "minimum loss H(q)"},
    "cls_margin_axis": {"zh-TW": "間隔 m = y·f(x)", "zh-CN": "间隔 m = y·f(x)", "en": "margin m = y·f(x)"},
    "cls_zero_one": {"zh-TW": "0-1 損失", "zh-CN": "0-1 损失", "en": "0-1 loss"},
    "cls_hinge": {"zh-TW": "鉸鏈損失 max(0, margin − m)", "zh-CN": "合页损失 max(0, margin − m)",
                  "en": "hinge max(0, margin − m)"},
    "cls_logistic": {"zh-TW": "交叉熵 log_b(1 + e^(−m))", "zh-CN": "交叉熵 log_b(1 + e^(−m))",
                     "en": "cross entropy log_b(1 + e^(−m))"},
    "cls_margin_title": {"zh-TW": "三種分類損失，橫軸是間隔", "zh-CN": "三种分类损失，横轴是间隔",
                         "en": "three classification losses against the margin"},
    "cls_dmargin_title": {"zh-TW": "對 m 的導數", "zh-CN": "对 m 的导数", "en": "derivative in m"},
    "cls_kink": {"zh-TW": "不可微", "zh-CN": "不可微", "en": "not differentiable"},
    "cls_jump": {"zh-TW": "不連續", "zh-CN": "不连续", "en": "discontinuous"},
    "cls_smooth": {"zh-TW": "交叉熵處處可微", "zh-CN": "交叉熵处处可微",
                   "en": "cross entropy: smooth everywhere"},
    "cls_bound_yes": {"zh-TW": "交叉熵 ≥ 0-1 損失（上界）", "zh-CN": "交叉熵 ≥ 0-1 损失（上界）",
                      "en": "cross entropy ≥ 0-1 loss (an upper bound)"},
    "cls_bound_no": {"zh-TW": "交叉熵在 m = 0 低於 0-1 損失", "zh-CN": "交叉熵在 m = 0 低于 0-1 损失",
                     "en": "cross entropy falls below the 0-1 loss at m = 0"},
    "cls_base": {"zh-TW": "log 的底 b", "zh-CN": "log 的底 b", "en": "log base b"},
})

_F64 = torch.float64


def _t(x) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


# --- binary cross entropy: its two terms ---------------------------------------------
def bce_terms(p, y: float) -> dict[str, np.ndarray]:
    """The pieces of binary cross entropy at probabilities ``p`` for one label ``y`` in [0, 1].

    ``pos`` = −log p (the term that label 1 switches on), ``neg`` = −log(1 − p) (label 0),
    ``loss`` = y·pos + (1 − y)·neg (``lossviz.bce``), ``grad_p`` = ∂loss/∂p
    (``lossviz.bce_grad``) and ``grad_z`` = ∂loss/∂z for p = σ(z) (``lossviz.bce_with_logits_grad``,
    which is p − y).
    """
    y = _checks.number("y", y, low=0, high=1)
    pt = _t(p).reshape(-1)
    if not ((pt > 0) & (pt < 1)).all():
        raise ValueError(f"p must lie strictly between 0 and 1, got min {pt.min().item()} "
                         f"max {pt.max().item()}")
    yt = torch.full_like(pt, y)
    one, zero = torch.ones_like(pt), torch.zeros_like(pt)
    z = torch.log(pt) - torch.log1p(-pt)  # the logit of p
    shape = np.shape(p)
    return {
        "pos": C.bce(pt, one, reduction="none").numpy().reshape(shape),
        "neg": C.bce(pt, zero, reduction="none").numpy().reshape(shape),
        "loss": C.bce(pt, yt, reduction="none").numpy().reshape(shape),
        "grad_p": C.bce_grad(pt, yt, reduction="sum").numpy().reshape(shape),
        "grad_z": C.bce_with_logits_grad(z, yt, reduction="sum").numpy().reshape(shape),
    }


@register("bce_terms")
def bce_terms_figure(lang: str = "zh-TW", *, y: float = 1.0, p: float = 0.2, dpi: int = 80) -> LiveFigure:
    """Left: −log p and −log(1 − p) and their mix for the label y, a marker at p.
    Right: the gradient of that loss with respect to p and to the logit z."""
    grid = np.linspace(0.002, 0.998, 499)
    fig = Figure(figsize=(9, 3.6), dpi=dpi, layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    base = bce_terms(grid, 1.0)
    ax_l.plot(grid, base["pos"], "--", color="C0", lw=1.2, label=t("cls_term_pos", lang))
    ax_l.plot(grid, base["neg"], "--", color="C1", lw=1.2, label=t("cls_term_neg", lang))
    (mix,) = ax_l.plot(grid, base["loss"], "-", color="C3", lw=2.2, label=t("cls_bce_mix", lang))
    (dot,) = ax_l.plot([], [], "o", color="C3", ms=7, mec="k")
    (dot_pos,) = ax_l.plot([], [], "o", color="C0", ms=5)
    (dot_neg,) = ax_l.plot([], [], "o", color="C1", ms=5)
    ax_l.set(xlim=(0, 1), ylim=(0, 5), xlabel=t("cls_p", lang), ylabel=t("cls_loss", lang),
             title=t("cls_bce_title", lang))
    ax_l.legend(fontsize=7.5, loc="upper center")
    (gp,) = ax_g.plot(grid, np.clip(base["grad_p"], -12, 12), "-", color="C4", lw=1.8,
                      label=t("cls_grad_p", lang))
    (gz,) = ax_g.plot(grid, base["grad_z"], "-", color="C2", lw=2.2, label=t("cls_grad_z", lang))
    (dgp,) = ax_g.plot([], [], "o", color="C4", ms=6, mec="k")
    (dgz,) = ax_g.plot([], [], "o", color="C2", ms=6, mec="k")
    ax_g.axhline(0, color="k", lw=0.8)
    ax_g.set(xlim=(0, 1), ylim=(-6, 6), xlabel=t("cls_p", lang), ylabel=t("cls_grad", lang),
             title=t("cls_grad_title", lang))
    ax_g.legend(fontsize=8, loc="upper left")
    for ax in (ax_l, ax_g):
        ax.grid(alpha=0.3)
    readout = ax_g.text(0.97, 0.03, "", transform=ax_g.transAxes, ha="right", va="bottom", ma="left",
                        fontsize=8.5,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))

    def update(*, y: float, p: float) -> None:
        curve = bce_terms(grid, y)
        here = bce_terms([p], y)
        mix.set_ydata(curve["loss"])
        gp.set_ydata(np.clip(curve["grad_p"], -12, 12))
        gz.set_ydata(curve["grad_z"])
        dot.set_data([p], [here["loss"][0]])
        dot_pos.set_data([p], [here["pos"][0]])
        dot_neg.set_data([p], [here["neg"][0]])
        dgp.set_data([p], [float(np.clip(here["grad_p"][0], -12, 12))])
        dgz.set_data([p], [here["grad_z"][0]])
        readout.set_text(f"y = {y:.2f}   p = {p:.2f}\n"
                         f"y·(−log p) = {y * here['pos'][0]:.3f}\n"
                         f"(1 − y)·(−log(1 − p)) = {(1 - y) * here['neg'][0]:.3f}\n"
                         f"ℓ = {here['loss'][0]:.3f}\n"
                         f"∂ℓ/∂p = {here['grad_p'][0]:+.3f}\n"
                         f"∂ℓ/∂z = {here['grad_z'][0]:+.3f}")

    sliders = (Slider("y", t("cls_label", lang), 0.0, 1.0, 0.05, y), Slider("p", "p", 0.01, 0.99, 0.01, p))
    return LiveFigure(fig, sliders, update, [mix, dot, dot_pos, dot_neg, gp, gz, dgp, dgz, readout], dpi=dpi)


# --- label smoothing: two conventions ---------------------------------------------------
CONVENTIONS = ("all", "others")
"""``"all"``: q = (1 − ε)·onehot + ε/K (PyTorch's ``label_smoothing``, note 004);
``"others"``: the true class keeps 1 − ε and each of the K − 1 wrong classes gets ε/(K − 1)."""


def _ls_args(num_classes, eps, convention):
    k = int(_checks.number("num_classes", num_classes, low=2, integer=True))
    eps = _checks.number("eps", eps, low=0, high=1)
    _checks.choice("convention", convention, CONVENTIONS)
    return k, eps


def smoothed_target(num_classes: int, eps: float, convention: str = "all") -> np.ndarray:
    """The smoothed target of ``num_classes`` classes whose true class is class 0."""
    k, eps = _ls_args(num_classes, eps, convention)
    if convention == "all":
        q = np.full(k, eps / k)
        q[0] += 1.0 - eps
    else:
        q = np.full(k, eps / (k - 1))
        q[0] = 1.0 - eps
    return q


def optimal_gap(num_classes: int, eps: float, convention: str = "all") -> float:
    """The logit gap z_true − z_wrong that minimises the smoothed cross entropy: log(q_true/q_wrong).

    ``"all"``: log((1 − ε + ε/K)/(ε/K)) = log(1 + K(1 − ε)/ε); ``"others"``: log((1 − ε)(K − 1)/ε).
    Infinite at ε = 0 (no finite logits reach a one-hot target).
    """
    k, eps = _ls_args(num_classes, eps, convention)
    if eps == 0:
        return math.inf
    q = smoothed_target(k, eps, convention)
    return math.log(q[0] / q[1])


def smoothing_loss(gaps, num_classes: int, eps: float, convention: str = "all") -> np.ndarray:
    """Cross entropy (``lossviz.cross_entropy`` with a probability target) of the logits
    (g, 0, …, 0) against the smoothed target, for each gap g in ``gaps``."""
    k, eps = _ls_args(num_classes, eps, convention)
    g = _t(gaps).reshape(-1, 1)
    logits = torch.cat([g, torch.zeros(g.shape[0], k - 1, dtype=_F64)], dim=1)
    q = torch.as_tensor(smoothed_target(k, eps, convention)).expand_as(logits).contiguous()
    return C.cross_entropy(logits, q, reduction="none").numpy().reshape(np.shape(gaps))


def target_entropy(num_classes: int, eps: float, convention: str = "all") -> float:
    """H(q) of the smoothed target in nats: the smallest cross entropy any logits can reach."""
    q = torch.as_tensor(smoothed_target(num_classes, eps, convention))
    return float(-torch.xlogy(q, q).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


@register("label_smoothing")
def label_smoothing_figure(lang: str = "zh-TW", *, eps: float = 0.1, num_classes: float = 5,
                           dpi: int = 80) -> LiveFigure:
    """Left: bars of the smoothed target under both conventions.  Right: the loss of the logits
    (g, 0, …, 0) against g for both, each optimum g* marked (dashed)."""
    k_max = 10
    gaps = np.linspace(0.0, 12.0, 481)
    fig = Figure(figsize=(9, 3.6), dpi=dpi, layout="constrained")
    ax_b, ax_c = fig.subplots(1, 2)
    xs = np.arange(k_max)
    bars_a = ax_b.bar(xs - 0.2, np.zeros(k_max), width=0.4, color="C0", label=t("cls_all_k", lang))
    bars_b = ax_b.bar(xs + 0.2, np.zeros(k_max), width=0.4, color="C1", label=t("cls_others", lang))
    ax_b.set(xlim=(-0.6, k_max - 0.4), ylim=(0, 1.15), xticks=xs, xlabel=t("cls_class", lang),
             ylabel=t("cls_target_prob", lang), title=t("cls_ls_title", lang))
    ax_b.legend(fontsize=7.5, loc="upper right")
    ax_b.grid(axis="y", alpha=0.3)
    (la,) = ax_c.plot(gaps, gaps * 0, "-", color="C0", lw=2, label=t("cls_all_k", lang))
    (lb,) = ax_c.plot(gaps, gaps * 0, "-", color="C1", lw=2, label=t("cls_others", lang))
    (l0,) = ax_c.plot(gaps, smoothing_loss(gaps, 5, 0.0), ":", color="0.4", lw=1.5, label="ε = 0")
    va = ax_c.axvline(0, color="C0", ls="--", lw=1)
    vb = ax_c.axvline(0, color="C1", ls="--", lw=1)
    ax_c.set(xlim=(0, 12), ylim=(0, 3.0), xlabel=t("cls_gap", lang), ylabel=t("cls_loss", lang),
             title=t("cls_gap_title", lang))
    ax_c.legend(fontsize=7.5, loc="upper right")
    ax_c.grid(alpha=0.3)
    readout = ax_b.text(0.97, 0.78, "", transform=ax_b.transAxes, ha="right", va="top", ma="left", fontsize=8,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))
    best, hmin = t("cls_best_gap", lang), t("cls_min_loss", lang)
    short_all, short_others = t("cls_all_k_short", lang), t("cls_others_short", lang)

    def update(*, eps: float, num_classes: float) -> None:
        k = int(round(num_classes))
        qa, qb = smoothed_target(k, eps, "all"), smoothed_target(k, eps, "others")
        for i in range(k_max):
            bars_a[i].set_height(qa[i] if i < k else 0.0)
            bars_b[i].set_height(qb[i] if i < k else 0.0)
        la.set_ydata(smoothing_loss(gaps, k, eps, "all"))
        lb.set_ydata(smoothing_loss(gaps, k, eps, "others"))
        l0.set_ydata(smoothing_loss(gaps, k, 0.0))
        ga, gb = optimal_gap(k, eps, "all"), optimal_gap(k, eps, "others")
        va.set_xdata([min(ga, 99.0)] * 2)
        vb.set_xdata([min(gb, 99.0)] * 2)
        gap_text = "∞ | ∞" if eps == 0 else f"{ga:.3f} | {gb:.3f}"
        h_a, h_b = target_entropy(k, eps, "all"), target_entropy(k, eps, "others")
        readout.set_text(f"K = {k}   ε = {eps:.2f}   ({short_all} | {short_others})\n"
                         f"q_true: {qa[0]:.3f} | {qb[0]:.3f}\n"
                         f"{best}: {gap_text}\n"
                         f"{hmin}: {h_a:.3f} | {h_b:.3f}")

    sliders = (Slider("eps", "ε", 0.0, 0.5, 0.01, eps), Slider("num_classes", "K", 2, 10, 1, num_classes))
    return LiveFigure(fig, sliders, update, [*bars_a, *bars_b, la, lb, l0, va, vb, readout], dpi=dpi)


# --- losses of the margin ----------------------------------------------------------------
def margin_losses(m, *, margin: float = 1.0, base: float = 2.0) -> dict[str, np.ndarray]:
    """Losses of the margin m = y·f(x) (labels ±1) and their derivatives in m.

    ``zero_one`` = 1 if m ≤ 0 else 0 (a wrong or tied sign), ``hinge`` = max(0, margin − m)
    (``lossviz.hinge``), ``logistic`` = log_b(1 + e^(−m)) (``lossviz.bce_with_logits`` with label 1,
    divided by ln b); ``d_zero_one`` = 0 (where it exists: everywhere but m = 0),
    ``d_hinge`` = −1 for m < margin else 0 (``lossviz.hinge_grad``; 0 at the kink),
    ``d_logistic`` = −σ(−m)/ln b.
    """
    margin = _checks.number("margin", margin, low=0)
    base = _checks.number("base", base, low=1, low_open=True)
    mt = _t(m).reshape(-1)
    ones = torch.ones_like(mt)
    pm = torch.ones(mt.shape, dtype=torch.int64)
    shape = np.shape(m)
    ln_b = math.log(base)
    out = {
        "zero_one": (mt <= 0).to(_F64),
        "hinge": C.hinge(mt, pm, margin=margin, reduction="none"),
        "logistic": C.bce_with_logits(mt, ones, reduction="none") / ln_b,
        "d_zero_one": torch.zeros_like(mt),
        "d_hinge": C.hinge_grad(mt, pm, margin=margin, reduction="sum"),
        "d_logistic": C.bce_with_logits_grad(mt, ones, reduction="sum") / ln_b,
    }
    return {k: v.numpy().reshape(shape) for k, v in out.items()}


@register("margin_losses")
def margin_losses_figure(lang: str = "zh-TW", *, margin: float = 1.0, base: float = 2.0,
                         dpi: int = 80) -> LiveFigure:
    """Left: 0-1, hinge and logistic losses against m = y·f(x).  Right: their derivatives,
    with the kink of the hinge and the jump of the 0-1 loss marked."""
    m = np.linspace(-3.0, 4.0, 701)
    fig = Figure(figsize=(9, 3.6), dpi=dpi, layout="constrained")
    ax_l, ax_d = fig.subplots(1, 2)
    v = margin_losses(m, margin=margin, base=base)
    ax_l.plot(m, v["zero_one"], "-", color="k", lw=2, drawstyle="steps-post", label=t("cls_zero_one", lang))
    (lh,) = ax_l.plot(m, v["hinge"], "-", color="C0", lw=2, label=t("cls_hinge", lang))
    (lc,) = ax_l.plot(m, v["logistic"], "-", color="C3", lw=2, label=t("cls_logistic", lang))
    (kink,) = ax_l.plot([], [], "o", color="C0", ms=7, mfc="white", mew=2)
    ax_l.plot([0], [1], "o", color="k", ms=6)
    ax_l.plot([0], [0], "o", color="k", ms=6, mfc="white", mew=1.5)
    ax_l.set(xlim=(-3, 4), ylim=(-0.1, 4.5), xlabel=t("cls_margin_axis", lang), ylabel=t("cls_loss", lang),
             title=t("cls_margin_title", lang))
    ax_l.legend(fontsize=8, loc="upper right")
    ax_d.plot(m[m < 0], v["d_zero_one"][m < 0], "-", color="k", lw=2, label=t("cls_zero_one", lang))
    ax_d.plot(m[m > 0], v["d_zero_one"][m > 0], "-", color="k", lw=2)
    ax_d.plot([0], [0], "o", color="k", ms=6, mfc="white", mew=1.5)
    ax_d.annotate(t("cls_jump", lang), (0, 0), xytext=(-2.6, 0.25), fontsize=8,
                  arrowprops=dict(arrowstyle="->", color="0.3"))
    (dh,) = ax_d.plot(m, v["d_hinge"], "-", color="C0", lw=2, label=t("cls_hinge", lang))
    (dc,) = ax_d.plot(m, v["d_logistic"], "-", color="C3", lw=2, label=t("cls_logistic", lang))
    (dkink,) = ax_d.plot([], [], "o", color="C0", ms=7, mfc="white", mew=2)
    kink_note = ax_d.text(0, 0, t("cls_kink", lang), fontsize=8, color="C0", ha="left", va="bottom")
    ax_d.set(xlim=(-3, 4), ylim=(-1.6, 0.5), xlabel=t("cls_margin_axis", lang), ylabel=t("cls_grad", lang),
             title=t("cls_dmargin_title", lang))
    ax_d.legend(fontsize=8, loc="lower right")
    for ax in (ax_l, ax_d):
        ax.grid(alpha=0.3)
    readout = ax_l.text(0.97, 0.74, "", transform=ax_l.transAxes, ha="right", va="top", ma="left", fontsize=8,
                        bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))
    smooth, yes, no = t("cls_smooth", lang), t("cls_bound_yes", lang), t("cls_bound_no", lang)

    def update(*, margin: float, base: float) -> None:
        v = margin_losses(m, margin=margin, base=base)
        lh.set_ydata(v["hinge"])
        lc.set_ydata(v["logistic"])
        dh.set_ydata(v["d_hinge"])
        dc.set_ydata(v["d_logistic"])
        kink.set_data([margin], [0.0])
        dkink.set_data([margin], [-0.5])
        kink_note.set_position((margin + 0.1, -0.45))
        at0 = float(margin_losses([0.0], base=base)["logistic"][0])
        bound = yes if bool((v["logistic"] >= v["zero_one"]).all()) else no
        readout.set_text(f"margin = {margin:.2f}   b = {base:.2f}\n"
                         f"log_b(1 + e^0) = log_b 2 = {at0:.3f}\n{bound}\n{smooth}")

    sliders = (Slider("margin", "margin (hinge)", 0.0, 3.0, 0.05, margin),
               Slider("base", t("cls_base", lang), 1.5, 10.0, 0.1, base))
    return LiveFigure(fig, sliders, update, [lh, lc, dh, dc, kink, dkink, kink_note, readout], dpi=dpi)
