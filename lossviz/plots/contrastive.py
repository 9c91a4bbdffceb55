"""Figures for the InfoNCE notebook: the temperature τ, the softmax over negatives, exp's amplification.

Pure data functions first (the numbers behind every curve; the tests call them), then two
interactive figures:

* ``"infonce_temperature"`` — one query with a positive and K = 8 fixed negatives (cosine
  similarities :data:`NEGATIVES`); sliders τ and the positive's similarity s⁺.  Bars of the
  softmax weights over the K + 1 candidates, the effective number of negatives exp(H) against
  τ, and the gradient norms ‖∂L/∂s‖ and ‖∂L/∂q‖ against τ beside the 1/τ reference;
* ``"exp_amplification"`` — sliders τ and a similarity gap Δs: the curve exp((s − 1)/τ) over
  s ∈ [−1, 1] beside the linear weight (s + 1)/2, and the weight ratio exp(Δs/τ) against τ.

Every loss and gradient here comes from :func:`lossviz.infonce` / :func:`lossviz.infonce_grad`
(on unit vectors built to have exactly the given cosines, :func:`toy_vectors`) or from the
closed form ∂L/∂s_c = (P_c − 1[c = +])/τ, which the tests compare.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .. import _checks
from .._text import add, t
from ..classification import cross_entropy_grad
from ..embedding import infonce_grad
from ..widgets import LiveFigure, Slider
from . import register

add({
    "ctr_positive": {"zh-TW": "正樣本", "zh-CN": "正样本", "en": "positive"},
    "ctr_candidates": {"zh-TW": "候選：正樣本與 8 個負樣本（標的是相似度 s）",
                       "zh-CN": "候选：正样本与 8 个负样本（标的是相似度 s）",
                       "en": "candidates: the positive and 8 negatives (labels: similarity s)"},
    "ctr_weight": {"zh-TW": "softmax 權重 P", "zh-CN": "softmax 权重 P", "en": "softmax weight P"},
    "ctr_weights_title": {"zh-TW": "τ 越小，權重越集中", "zh-CN": "τ 越小，权重越集中",
                          "en": "the smaller τ, the sharper the weights"},
    "ctr_tau_log": {"zh-TW": "溫度 τ（對數刻度）", "zh-CN": "温度 τ（对数刻度）",
                    "en": "temperature τ (log scale)"},
    "ctr_eff_neg": {"zh-TW": "有效負樣本數 exp(H)", "zh-CN": "有效负样本数 exp(H)",
                    "en": "effective number of negatives exp(H)"},
    "ctr_eff_title": {"zh-TW": "負樣本之間的權重有多分散", "zh-CN": "负样本之间的权重有多分散",
                      "en": "how spread the weight over negatives is"},
    "ctr_grad_title": {"zh-TW": "梯度大小與 1/τ", "zh-CN": "梯度大小与 1/τ", "en": "gradient size and 1/τ"},
    "ctr_grad_axis": {"zh-TW": "梯度範數（對數刻度）", "zh-CN": "梯度范数（对数刻度）",
                      "en": "gradient norm (log scale)"},
    "ctr_grad_s": {"zh-TW": "||∂L/∂s||（對相似度）", "zh-CN": "||∂L/∂s||（对相似度）",
                   "en": "||∂L/∂s|| (similarities)"},
    "ctr_grad_q": {"zh-TW": "||∂L/∂q||（對向量 q）", "zh-CN": "||∂L/∂q||（对向量 q）",
                   "en": "||∂L/∂q|| (query vector q)"},
    "ctr_loss": {"zh-TW": "損失", "zh-CN": "损失", "en": "loss"},
    "ctr_similarity": {"zh-TW": "相似度 s", "zh-CN": "相似度 s", "en": "similarity s"},
    "ctr_rel_weight": {"zh-TW": "相對權重 exp((s − 1)/τ)", "zh-CN": "相对权重 exp((s − 1)/τ)",
                       "en": "relative weight exp((s − 1)/τ)"},
    "ctr_exp_title": {"zh-TW": "τ 越小，exp(s/τ) 越陡", "zh-CN": "τ 越小，exp(s/τ) 越陡",
                      "en": "the smaller τ, the steeper exp(s/τ)"},
    "ctr_linear": {"zh-TW": "不取 exp：(s + 1)/2", "zh-CN": "不取 exp：(s + 1)/2",
                   "en": "without exp: (s + 1)/2"},
    "ctr_ratio_axis": {"zh-TW": "權重比 exp(Δs/τ)（對數刻度）", "zh-CN": "权重比 exp(Δs/τ)（对数刻度）",
                       "en": "weight ratio exp(Δs/τ) (log scale)"},
    "ctr_ratio_title": {"zh-TW": "相似度差 Δs 被放大成權重比", "zh-CN": "相似度差 Δs 被放大成权重比",
                        "en": "a similarity gap Δs becomes a weight ratio"},
    "ctr_gap": {"zh-TW": "相似度差 Δs", "zh-CN": "相似度差 Δs", "en": "similarity gap Δs"},
    "ctr_eff_readout": {"zh-TW": "有效負樣本數", "zh-CN": "有效负样本数", "en": "effective negatives"},
})

#: cosine similarities of K = 8 fixed negatives to the query, hardest first
NEGATIVES = (0.65, 0.5, 0.3, 0.2, 0.0, -0.1, -0.3, -0.5)
#: the positive's similarity where the figures start
POSITIVE = 0.7
TAU_RANGE = (0.02, 2.0)
TAU_TICKS = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)


# --- pure data functions --------------------------------------------------------------
def _sims(s_pos: float, s_neg) -> torch.Tensor:
    """[s⁺, s⁻_1, ..., s⁻_K] as float64, each a cosine in [−1, 1]."""
    s_pos = _checks.number("s_pos", s_pos, low=-1, high=1)
    neg = np.asarray(s_neg, dtype=np.float64)
    if neg.ndim != 1 or neg.size == 0:
        raise ValueError(f"s_neg must be a non-empty 1-D sequence, got shape {neg.shape}")
    if not (np.abs(neg) <= 1).all():
        raise ValueError(f"s_neg must hold cosines in [-1, 1], got {neg.tolist()}")
    return torch.tensor([s_pos, *neg.tolist()], dtype=torch.float64)


def candidate_probs(s_pos: float, s_neg=NEGATIVES, *, tau: float) -> np.ndarray:
    """Softmax weights P_c = exp(s_c/τ) / Σ exp(s_/τ) over the K + 1 candidates (positive first)."""
    tau = _checks.number("tau", tau, low=0, low_open=True)
    return torch.softmax(_sims(s_pos, s_neg) / tau, dim=0).numpy()


def negative_weights(s_neg=NEGATIVES, *, tau: float) -> np.ndarray:
    """Each negative's share of the weight on negatives: softmax(s⁻/τ) over the K negatives only."""
    tau = _checks.number("tau", tau, low=0, low_open=True)
    return torch.softmax(_sims(0.0, s_neg)[1:] / tau, dim=0).numpy()


def effective_negatives(s_neg=NEGATIVES, *, tau: float) -> float:
    """exp(H) of :func:`negative_weights` (the perplexity): K at τ → ∞, 1 at τ → 0."""
    w = negative_weights(s_neg, tau=tau)
    w = w[w > 0]
    return float(np.exp(-(w * np.log(w)).sum()))


def infonce_of_sims(s_pos: float, s_neg=NEGATIVES, *, tau: float) -> tuple[float, np.ndarray]:
    """(loss, ∂L/∂s) for one query: L = logsumexp(s/τ) − s⁺/τ and ∂L/∂s_c = (P_c − 1[c = +])/τ.

    That is the (K+1)-way cross entropy of the logits z = s/τ with class 0 (the formula is the
    lesson, so it stays here); its gradient is :func:`lossviz.cross_entropy_grad` times 1/τ
    (the chain rule through z = s/τ).
    """
    tau = _checks.number("tau", tau, low=0, low_open=True)
    z = _sims(s_pos, s_neg) / tau
    loss = (torch.logsumexp(z, dim=0) - z[0]).item()
    return loss, (cross_entropy_grad(z, torch.tensor(0), reduction="sum") / tau).numpy()


def toy_vectors(s_pos: float, s_neg=NEGATIVES) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Unit vectors with exactly these cosines to the query: ``(query (1, D), positive (1, D),
    negatives (K, D))`` in D = K + 2 dimensions.

    The query is e₀; a key with cosine s is s·e₀ + √(1 − s²)·e_j with its own axis j, so the
    keys' parts orthogonal to the query are orthogonal to each other.
    """
    s = _sims(s_pos, s_neg)
    n = s.numel()
    keys = torch.zeros(n, n + 1, dtype=torch.float64)
    keys[:, 0] = s
    keys[torch.arange(n), torch.arange(1, n + 1)] = torch.sqrt(1 - s * s)
    query = torch.zeros(1, n + 1, dtype=torch.float64)
    query[0, 0] = 1.0
    return query, keys[:1], keys[1:]


def grad_norms(s_pos: float, s_neg=NEGATIVES, taus=(0.1,)) -> dict[str, np.ndarray]:
    """At each τ: ``'loss'``, ``'ds'`` = ‖∂L/∂s‖ and ``'dq'`` = ‖∂L/∂q‖ on :func:`toy_vectors`.

    ``ds`` from :func:`infonce_of_sims`; ``dq`` from :func:`lossviz.infonce_grad`, which applies
    the chain rule through s_c = q̂·k̂_c and q̂ = q/‖q‖: ∂L/∂q = (I − q̂q̂ᵀ) Σ_c g_c k̂_c / ‖q‖.
    """
    q, k, neg = toy_vectors(s_pos, s_neg)
    tau = np.asarray(taus, dtype=np.float64).ravel()
    if not bool((tau > 0).all()):
        raise ValueError(f"taus must be > 0, got {tau.tolist()}")
    loss, ds, dq = [], [], []
    for tau_ in tau.tolist():
        value, g = infonce_of_sims(s_pos, s_neg, tau=tau_)
        loss.append(value)
        ds.append(np.linalg.norm(g))
        dq.append(torch.linalg.vector_norm(infonce_grad(q, k, neg, temperature=tau_, reduction="sum")).item())
    return {"loss": np.array(loss), "ds": np.array(ds), "dq": np.array(dq)}


def grad_norm_curves(s_pos: float, s_neg=NEGATIVES, taus=(0.1,)) -> dict[str, np.ndarray]:
    """:func:`grad_norms` for many τ at once, in closed form (what the slider figure redraws).

    P = softmax(s/τ) row by row; ∂L/∂s = (P − e₊)/τ; L = −log P₊.  On :func:`toy_vectors` the
    query is e₀ and k̂_c = s_c e₀ + √(1 − s_c²) e_(c+1), so the projection (I − q̂q̂ᵀ) keeps the
    √(1 − s_c²) g_c parts: ‖∂L/∂q‖ = √(Σ_c (1 − s_c²) g_c²).  Tested against :func:`grad_norms`.
    """
    s = _sims(s_pos, s_neg).numpy()
    tau = np.asarray(taus, dtype=np.float64).ravel()
    if not bool((tau > 0).all()):
        raise ValueError(f"taus must be > 0, got {tau.tolist()}")
    z = s[None, :] / tau[:, None]
    z_max = z.max(axis=1, keepdims=True)
    log_p = z - z_max - np.log(np.exp(z - z_max).sum(axis=1, keepdims=True))
    g = np.exp(log_p)
    g[:, 0] -= 1.0
    g /= tau[:, None]
    return {"loss": -log_p[:, 0], "ds": np.linalg.norm(g, axis=1),
            "dq": np.sqrt(((1.0 - s * s)[None, :] * g * g).sum(axis=1))}


def weight_ratio(s_a: float, s_b: float, *, tau) -> np.ndarray:
    """exp(s_a/τ) / exp(s_b/τ) = exp((s_a − s_b)/τ): how much more weight the more similar one gets."""
    tau = np.asarray(tau, dtype=np.float64)
    if not (tau > 0).all():
        raise ValueError(f"tau must be > 0, got {tau.tolist()}")
    return np.exp((float(s_a) - float(s_b)) / tau)


# --- figure: the softmax over negatives and the gradient against τ -------------------------
def _log_tau_axis(ax) -> None:
    """A log τ axis with labelled ticks and no minor ticks (they cost most of a first draw)."""
    ax.set_xscale("log")
    ax.set_xticks(TAU_TICKS, [f"{v:g}" for v in TAU_TICKS])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
    ax.grid(alpha=0.3)


def _tau_slider(tau: float) -> Slider:
    return Slider("tau", "τ", TAU_RANGE[0], TAU_RANGE[1], 0.01, tau)


@register("infonce_temperature")
def infonce_temperature(lang: str = "zh-TW", *, tau: float = 0.2, s_pos: float = POSITIVE,
                        dpi: int = 80) -> LiveFigure:
    """Softmax weights over a positive and 8 negatives, the effective number of negatives, and
    the gradient norms against τ; sliders τ and the positive's similarity s⁺."""
    k = len(NEGATIVES)
    taus = np.geomspace(*TAU_RANGE, 121)
    fig = Figure(figsize=(12, 3.8), dpi=dpi, layout="constrained")
    ax_w, ax_e, ax_g = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.25, 1, 1]})

    # (a) the weights of the K + 1 candidates
    x = np.arange(k + 1)
    colors = ["C2"] + ["C3"] + ["C0"] * (k - 1)
    bars = ax_w.bar(x, np.zeros(k + 1), color=colors, edgecolor="k", lw=0.5)
    ax_w.set_xticks(x, [t("ctr_positive", lang)] + [f"{s:+.2f}" for s in NEGATIVES], fontsize=8)
    ax_w.set(ylim=(0, 1.05), xlabel=t("ctr_candidates", lang), ylabel=t("ctr_weight", lang),
             title=t("ctr_weights_title", lang))
    ax_w.grid(axis="y", alpha=0.3)
    readout = ax_w.text(0.98, 0.97, "", transform=ax_w.transAxes, ha="right", va="top", fontsize=9,
                        bbox=dict(fc="white", ec="0.7", alpha=0.9))

    # (b) effective number of negatives against τ (does not depend on s⁺)
    ax_e.plot(taus, [effective_negatives(tau=v) for v in taus], color="C0")
    ax_e.axhline(k, color="0.5", ls="--", lw=1)
    ax_e.axhline(1, color="0.5", ls="--", lw=1)
    (eff_pt,) = ax_e.plot([tau], [1.0], "o", color="C3", ms=8, mec="k")
    ax_e.set(xlim=TAU_RANGE, ylim=(0, k + 0.5), xlabel=t("ctr_tau_log", lang), ylabel=t("ctr_eff_neg", lang),
             title=t("ctr_eff_title", lang))
    _log_tau_axis(ax_e)

    # (c) gradient norms against τ, and the 1/τ reference
    ax_g.set_yscale("log")
    ax_g.plot(taus, 1 / taus, "k--", lw=1, label="1/τ")
    (line_s,) = ax_g.plot(taus, np.ones_like(taus), color="C1", label=t("ctr_grad_s", lang))
    (line_q,) = ax_g.plot(taus, np.ones_like(taus), color="C4", label=t("ctr_grad_q", lang))
    (grad_pt,) = ax_g.plot([tau], [1.0], "o", color="C3", ms=8, mec="k")
    ax_g.set(xlim=TAU_RANGE, ylim=(1e-4, 1e2), xlabel=t("ctr_tau_log", lang), ylabel=t("ctr_grad_axis", lang),
             title=t("ctr_grad_title", lang))
    _log_tau_axis(ax_g)
    ax_g.legend(fontsize=8, loc="lower left")

    dynamic = [*bars, readout, eff_pt, line_s, line_q, grad_pt]
    cache: dict[float, dict[str, np.ndarray]] = {}

    def update(*, tau: float, s_pos: float) -> None:
        p = candidate_probs(s_pos, tau=tau)
        for bar, h in zip(bars, p, strict=True):
            bar.set_height(h)
        if s_pos not in cache:
            cache.clear()
            cache[s_pos] = grad_norm_curves(s_pos, taus=taus)
        curves = cache[s_pos]
        line_s.set_ydata(np.maximum(curves["ds"], 1e-12))
        line_q.set_ydata(np.maximum(curves["dq"], 1e-12))
        now = grad_norm_curves(s_pos, taus=[tau])
        eff = effective_negatives(tau=tau)
        eff_pt.set_data([tau], [eff])
        grad_pt.set_data([tau], [max(now["dq"][0], 1e-12)])
        readout.set_text(f"τ = {tau:.2f}   s+ = {s_pos:+.2f}\n"
                         f"{t('ctr_loss', lang)} L = {now['loss'][0]:.3f}\n"
                         f"P(+) = {p[0]:.3f}\n"
                         f"{t('ctr_eff_readout', lang)} = {eff:.2f}\n"
                         f"||∂L/∂s|| = {now['ds'][0]:.3g}\n"
                         f"||∂L/∂q|| = {now['dq'][0]:.3g}")

    sliders = (_tau_slider(tau), Slider("s_pos", "s⁺", -1.0, 1.0, 0.05, s_pos))
    return LiveFigure(fig, sliders, update, dynamic, dpi=dpi)


# --- figure: exp's amplification -----------------------------------------------------------
@register("exp_amplification")
def exp_amplification(lang: str = "zh-TW", *, tau: float = 0.5, gap: float = 0.2,
                      dpi: int = 80) -> LiveFigure:
    """exp((s − 1)/τ) over s ∈ [−1, 1] beside the linear (s + 1)/2, and exp(Δs/τ) against τ;
    sliders τ and the similarity gap Δs."""
    s = np.linspace(-1, 1, 401)
    taus = np.geomspace(*TAU_RANGE, 121)
    fig = Figure(figsize=(10, 3.8), dpi=dpi, layout="constrained")
    ax_c, ax_r = fig.subplots(1, 2)

    ax_c.plot(s, (s + 1) / 2, "k--", lw=1, label=t("ctr_linear", lang))
    (curve,) = ax_c.plot(s, np.zeros_like(s), color="C1", lw=2, label="exp((s − 1)/τ)")
    neg = np.array(NEGATIVES)
    (dots,) = ax_c.plot(neg, np.zeros_like(neg), "o", color="C0", ms=6, mec="k")
    ax_c.set(xlim=(-1, 1), ylim=(0, 1.05), xlabel=t("ctr_similarity", lang), ylabel=t("ctr_rel_weight", lang),
             title=t("ctr_exp_title", lang))
    ax_c.grid(alpha=0.3)
    ax_c.legend(fontsize=8, loc="upper left")

    ax_r.set_yscale("log")
    (ratio_line,) = ax_r.plot(taus, np.ones_like(taus), color="C1", lw=2)
    (ratio_pt,) = ax_r.plot([tau], [1.0], "o", color="C3", ms=8, mec="k")
    ax_r.set(xlim=TAU_RANGE, ylim=(1.0, 1e22), xlabel=t("ctr_tau_log", lang),
             ylabel=t("ctr_ratio_axis", lang), title=t("ctr_ratio_title", lang))
    _log_tau_axis(ax_r)
    readout = ax_r.text(0.97, 0.96, "", transform=ax_r.transAxes, ha="right", va="top", fontsize=9,
                        bbox=dict(fc="white", ec="0.7", alpha=0.9))

    def update(*, tau: float, gap: float) -> None:
        curve.set_ydata(np.exp((s - 1) / tau))
        dots.set_ydata(np.exp((neg - 1) / tau))
        ratio_line.set_ydata(np.maximum(weight_ratio(gap, 0.0, tau=taus), 1.0))
        r = float(weight_ratio(gap, 0.0, tau=tau))
        ratio_pt.set_data([tau], [r])
        hard, easy = NEGATIVES[0], NEGATIVES[-1]
        readout.set_text(f"τ = {tau:.2f}   Δs = {gap:.2f}\n"
                         f"exp(Δs/τ) = {r:.4g}\n"
                         f"{hard:+.2f} vs {easy:+.2f}: ×{float(weight_ratio(hard, easy, tau=tau)):.3g}")

    sliders = (_tau_slider(tau), Slider("gap", "Δs", 0.0, 1.0, 0.05, gap))
    return LiveFigure(fig, sliders, update, (curve, dots, ratio_line, ratio_pt, readout), dpi=dpi)


def uniform_sphere_uniformity(dim: int, t: float = 2.0) -> float:
    """log E exp(−t‖u − v‖²) for u, v independent and uniform on the unit sphere in R^dim
    (dim = 2: the circle, dim = 3: the sphere): the best (lowest) value of Wang & Isola's
    uniformity for infinitely many points.  With c = u·v, ‖u − v‖² = 2 − 2c; on the circle
    c = cos θ, θ uniform, giving exp(−2t)·I₀(2t); on the sphere c is uniform on [−1, 1],
    giving (1 − exp(−4t)) / (4t)."""
    dim = int(_checks.number("dim", dim, low=2, high=3, integer=True))
    t = _checks.number("t", t, low=0, low_open=True)
    if dim == 3:
        return math.log((1 - math.exp(-4 * t)) / (4 * t))
    # I0(x) = sum_k (x/2)^(2k) / (k!)^2 (fast series; x = 2t is small)
    x = 2 * t
    i0 = sum((x / 2) ** (2 * k) / math.factorial(k) ** 2 for k in range(60))
    return math.log(math.exp(-2 * t) * i0)
