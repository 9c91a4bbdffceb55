"""Figures and numbers for the generative notebook (07): GAN generator losses, JS vs W₁.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``gan_generator_gradient`` — the two generator losses of the original GAN against
  D(G(z)) (left) and the size of the gradient they send back, |∂ℓ/∂f|, against the
  discriminator's logit f = logit D(G(z)) on a log scale (right).  Slider: f, i.e. how
  confidently D rejects the fake; a marker on each curve and a readout give both gradients.
* ``js_vs_w1`` — two uniform densities P = U[0, 1] and Q = U[θ, θ + 1] (left) and the
  Jensen–Shannon divergence and the Wasserstein-1 distance between them as functions of θ
  (right).  Slider: the separation θ.
* ``mmd_bandwidth`` — two 1-D samples X and Y with the MMD witness function
  w(t) = mean_i k(x_i, t) − mean_j k(y_j, t) of an RBF kernel of bandwidth σ (left), and the
  biased MMD² against σ on log–log axes with the median-heuristic σ marked (right).
  Slider: log₁₀ σ.
* ``vae_beta`` — a tiny VAE (2-D half-circle data, 1-D latent) trained once per β on a log
  grid (:func:`vae_beta_sweep`): the data, the decoder's curve x̂(z) for z ∈ [−3, 3] and the
  reconstructions x̂(μ(x)) (left); distortion against rate for every β of the grid, the
  current β marked (right).  Slider: log₁₀ β, snapped to the grid (the frames are trained
  ahead, not while the slider moves).

The loss values and gradients come from :mod:`lossviz.generative`; the divergences are
computed on a grid (:func:`js_w1`), and the tests compare them with the closed forms
JS = |θ| log 2 (capped at log 2) and W₁ = |θ|.  The MMD numbers (:func:`witness`,
:func:`mmd2_witness`, :func:`mmd2_curve`) are tested against :func:`lossviz.mmd`.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from .. import _checks
from .. import generative as G
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "gan_dgz": {"zh-TW": "D(G(z))：判別器認為假樣本是真的機率",
                "zh-CN": "D(G(z))：判别器认为假样本是真的概率",
                "en": "D(G(z)): the discriminator's probability that the fake is real"},
    "gan_loss": {"zh-TW": "生成器損失", "zh-CN": "生成器损失", "en": "generator loss"},
    "gan_logit": {"zh-TW": "判別器對假樣本的 logit f", "zh-CN": "判别器对假样本的 logit f",
                  "en": "discriminator logit f of the fake"},
    "gan_grad": {"zh-TW": "梯度大小 |∂ℓ/∂f|", "zh-CN": "梯度大小 |∂ℓ/∂f|", "en": "gradient size |∂ℓ/∂f|"},
    "gan_minimax": {"zh-TW": "minimax：log(1 − D)", "zh-CN": "minimax：log(1 − D)",
                    "en": "minimax: log(1 − D)"},
    "gan_ns": {"zh-TW": "non-saturating：−log D", "zh-CN": "non-saturating：−log D",
               "en": "non-saturating: −log D"},
    "js_density": {"zh-TW": "機率密度", "zh-CN": "概率密度", "en": "density"},
    "js_sep": {"zh-TW": "分開的距離 θ", "zh-CN": "分开的距离 θ", "en": "separation θ"},
    "js_title": {"zh-TW": "P = U[0, 1] 與 Q = U[θ, θ + 1]", "zh-CN": "P = U[0, 1] 与 Q = U[θ, θ + 1]",
                 "en": "P = U[0, 1] and Q = U[θ, θ + 1]"},
    "js_js": {"zh-TW": "JS 散度", "zh-CN": "JS 散度", "en": "JS divergence"},
    "js_w1": {"zh-TW": "W1 距離", "zh-CN": "W1 距离", "en": "W1 distance"},
    "mmd_witness": {"zh-TW": "見證函數 w(t)", "zh-CN": "见证函数 w(t)", "en": "witness w(t)"},
    "mmd_title": {"zh-TW": "兩組樣本與 σ 下的見證函數", "zh-CN": "两组样本与 σ 下的见证函数",
                  "en": "two samples and the witness at σ"},
    "mmd_sigma": {"zh-TW": "頻寬 σ（對數座標）", "zh-CN": "带宽 σ（对数坐标）",
                  "en": "bandwidth σ (log scale)"},
    "mmd_median": {"zh-TW": "中位數法則的 σ", "zh-CN": "中位数法则的 σ", "en": "median-heuristic σ"},
    "mmd_floor": {"zh-TW": "1/N + 1/M", "zh-CN": "1/N + 1/M", "en": "1/N + 1/M"},
    "vae_data": {"zh-TW": "資料", "zh-CN": "数据", "en": "data"},
    "vae_curve": {"zh-TW": r"解碼器的曲線 $\hat{x}(z)$，|z| ≤ 3",
                  "zh-CN": r"解码器的曲线 $\hat{x}(z)$，|z| ≤ 3",
                  "en": r"decoder curve $\hat{x}(z)$, |z| ≤ 3"},
    "vae_recon": {"zh-TW": r"重建 $\hat{x}(\mu(x))$", "zh-CN": r"重建 $\hat{x}(\mu(x))$",
                  "en": r"reconstruction $\hat{x}(\mu(x))$"},
    "vae_rate": {"zh-TW": "rate：KL（nats）", "zh-CN": "rate：KL（nats）", "en": "rate: KL (nats)"},
    "vae_distortion": {"zh-TW": r"distortion：$\Sigma(\hat{x} - x)^2$",
                       "zh-CN": r"distortion：$\Sigma(\hat{x} - x)^2$",
                       "en": r"distortion: $\Sigma(\hat{x} - x)^2$"},
    "vae_total_var": {"zh-TW": "資料的總變異數", "zh-CN": "数据的总方差", "en": "total variance of the data"},
})

LOGIT_RANGE = (-10.0, 6.0)
SEP_RANGE = (-2.5, 2.5)
LOG_SIGMA_RANGE = (-2.0, 2.0)
LOG_BETA_RANGE = (-1.0, 1.0)
LOG_BETA_STEP = 0.2


def generator_curves(logits: torch.Tensor | np.ndarray) -> dict:
    """Both generator losses and their gradients at the discriminator logits ``logits``.

    Returns float64 arrays: ``p`` = D(G(z)) = σ(f), ``minimax`` = log(1 − σ(f)),
    ``non_saturating`` = −log σ(f), and ``grad_minimax`` = −σ(f), ``grad_non_saturating`` = −σ(−f)
    (each ∂ℓ/∂f of one sample, from :func:`lossviz.gan_generator_grad`).
    """
    f = torch.as_tensor(np.asarray(logits, dtype=np.float64))
    _checks.tensor("logits", f)
    out = {"p": torch.sigmoid(f).numpy()}
    for mode in G.GAN_MODES:
        out[mode] = G.gan_generator(f, mode=mode, reduction="none").numpy()
        out[f"grad_{mode}"] = G.gan_generator_grad(f, mode=mode, reduction="none").numpy()
    return out


def js_w1(separation: float, *, points: int = 4001) -> dict:
    """JS divergence (nats) and W₁ between P = U[0, 1] and Q = U[θ, θ + 1], on a grid.

    Densities are evaluated at the midpoints of ``points`` cells covering both supports;
    JS = ½ KL(P‖M) + ½ KL(Q‖M) with M = (P + Q)/2, and W₁ = ∫ |F_P − F_Q| dx from the two
    CDFs.  Returns ``x``, ``p``, ``q`` (densities), ``js`` and ``w1``.
    """
    theta = _checks.number("separation", separation)
    points = int(_checks.number("points", points, low=2, integer=True))
    lo, hi = min(0.0, theta) - 0.5, max(1.0, theta + 1.0) + 0.5
    edges = np.linspace(lo, hi, points + 1)
    x = 0.5 * (edges[1:] + edges[:-1])
    dx = edges[1] - edges[0]
    p = ((x >= 0) & (x < 1)).astype(np.float64)
    q = ((x >= theta) & (x < theta + 1)).astype(np.float64)
    m = 0.5 * (p + q)

    def kl(a):
        mask = a > 0
        return float(np.sum(a[mask] * np.log(a[mask] / m[mask])) * dx)

    js = 0.5 * kl(p) + 0.5 * kl(q)
    w1 = float(np.sum(np.abs(np.cumsum(p) - np.cumsum(q))) * dx * dx)
    return dict(x=x, p=p, q=q, js=js, w1=w1)


def js_w1_closed_form(separation: float) -> tuple[float, float]:
    """(JS, W₁) of U[0, 1] and U[θ, θ + 1] in closed form: (min(|θ|, 1)·log 2, |θ|)."""
    theta = abs(_checks.number("separation", separation))
    return min(theta, 1.0) * math.log(2), theta


@register("gan_generator_gradient")
def gan_gradient_figure(lang: str = "zh-TW", *, logit: float = -4.0, dpi: int = 80) -> LiveFigure:
    """Generator losses against D(G(z)) and gradient sizes against f, with a marker at ``logit``."""
    f = np.linspace(*LOGIT_RANGE, 400)
    c = generator_curves(f)
    fig = Figure(figsize=(9.0, 3.6), dpi=dpi, layout="constrained")
    left, right = fig.subplots(1, 2)
    colors = {"minimax": "C3", "non_saturating": "C0"}
    labels = {"minimax": t("gan_minimax", lang), "non_saturating": t("gan_ns", lang)}
    markers_l, markers_r = [], []
    for mode in G.GAN_MODES:
        left.plot(c["p"], c[mode], color=colors[mode], label=labels[mode])
        right.semilogy(f, np.abs(c[f"grad_{mode}"]), color=colors[mode], label=labels[mode])
        markers_l.append(left.plot([], [], "o", color=colors[mode], ms=8)[0])
        markers_r.append(right.plot([], [], "o", color=colors[mode], ms=8)[0])
    left.set(xlim=(0, 1), ylim=(-5, 5), xlabel=t("gan_dgz", lang), ylabel=t("gan_loss", lang))
    left.axhline(0, color="0.7", lw=0.8)
    left.legend(loc="upper right", fontsize=9)
    right.set(xlim=LOGIT_RANGE, ylim=(1e-5, 2), xlabel=t("gan_logit", lang), ylabel=t("gan_grad", lang))
    right.legend(loc="lower right", fontsize=9)
    readout = right.text(0.02, 0.98, "", transform=right.transAxes, va="top", fontsize=9, family="monospace")

    def update(*, logit: float) -> None:
        v = generator_curves(np.array([logit]))
        for mode, ml, mr in zip(G.GAN_MODES, markers_l, markers_r, strict=True):
            ml.set_data([v["p"][0]], [v[mode][0]])
            mr.set_data([logit], [abs(v[f"grad_{mode}"][0])])
        readout.set_text(f"f = {logit:+.1f}   D(G(z)) = {v['p'][0]:.4f}\n"
                         f"|grad| minimax        = {abs(v['grad_minimax'][0]):.2e}\n"
                         f"|grad| non-saturating = {abs(v['grad_non_saturating'][0]):.2e}")

    sliders = (Slider("logit", "f = logit D(G(z))", *LOGIT_RANGE, 0.5, logit),)
    return LiveFigure(fig, sliders, update, [*markers_l, *markers_r, readout], dpi=dpi)


@register("js_vs_w1")
def js_w1_figure(lang: str = "zh-TW", *, separation: float = 0.5, dpi: int = 80) -> LiveFigure:
    """P and Q at separation θ (left); JS and W₁ against θ with a marker at θ (right)."""
    thetas = np.linspace(*SEP_RANGE, 201)
    curves = np.array([js_w1_closed_form(th) for th in thetas])
    fig = Figure(figsize=(9.0, 3.4), dpi=dpi, layout="constrained")
    left, right = fig.subplots(1, 2)
    (p_line,) = left.plot([], [], color="C0", lw=2, label="P")
    (q_line,) = left.plot([], [], color="C1", lw=2, ls="--", label="Q")
    left.set(xlim=(SEP_RANGE[0] - 0.6, SEP_RANGE[1] + 1.6), ylim=(0, 1.3), xlabel="x",
             ylabel=t("js_density", lang), title=t("js_title", lang))
    left.legend(loc="upper right", fontsize=9)
    right.plot(thetas, curves[:, 0], color="C2", label=t("js_js", lang))
    right.plot(thetas, curves[:, 1], color="C4", label=t("js_w1", lang))
    right.axhline(math.log(2), color="0.7", lw=0.8, ls=":")
    right.set(xlim=SEP_RANGE, ylim=(0, SEP_RANGE[1] + 0.1), xlabel=t("js_sep", lang))
    right.legend(loc="upper center", fontsize=9)
    (m_js,) = right.plot([], [], "o", color="C2", ms=8)
    (m_w1,) = right.plot([], [], "o", color="C4", ms=8)
    readout = right.text(0.02, 0.98, "", transform=right.transAxes, va="top", fontsize=9, family="monospace")

    def update(*, separation: float) -> None:
        r = js_w1(separation)
        p_line.set_data(r["x"], r["p"])
        q_line.set_data(r["x"], r["q"] * 1.02)  # a hair above P so both stay visible where they overlap
        m_js.set_data([separation], [r["js"]])
        m_w1.set_data([separation], [r["w1"]])
        readout.set_text(f"θ = {separation:+.2f}\nJS = {r['js']:.3f}\nW1 = {r['w1']:.3f}")

    sliders = (Slider("separation", "θ", *SEP_RANGE, 0.05, separation),)
    return LiveFigure(fig, sliders, update, [p_line, q_line, m_js, m_w1, readout], dpi=dpi)


# --- MMD: witness function and bandwidth --------------------------------------------
def _kernel(a: np.ndarray, b: np.ndarray, sigma: float) -> np.ndarray:
    return np.exp(-np.subtract.outer(a, b) ** 2 / (2 * sigma**2))


def _samples_1d(name: str, v) -> np.ndarray:
    a = np.asarray(v.detach().numpy() if isinstance(v, torch.Tensor) else v, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be a non-empty finite 1-D sample (shape (N,) or (N, 1)), "
                         f"got shape {a.shape}")
    return a


def witness(x, y, t, sigma: float) -> np.ndarray:
    """The MMD witness of samples ``x`` and ``y`` at the points ``t``, RBF kernel of bandwidth σ.

    w(t) = mean_i k(x_i, t) − mean_j k(y_j, t) with k(a, b) = exp(−(a − b)²/(2σ²)): the
    difference of the two kernel mean embeddings, positive where X is denser (at scale σ).
    ``x`` (N,) or (N, 1), ``y`` (M,) or (M, 1); ``t`` any shape of points; float64 result of t's shape.
    """
    x, y = _samples_1d("x", x), _samples_1d("y", y)
    sigma = _checks.number("sigma", sigma, low=0, low_open=True)
    t = np.asarray(t, dtype=np.float64)
    flat = t.reshape(-1)
    w = _kernel(x, flat, sigma).mean(0) - _kernel(y, flat, sigma).mean(0)
    return w.reshape(t.shape)


def mmd2_witness(x, y, sigma: float) -> float:
    """Biased MMD² from the witness: mean_i w(x_i) − mean_j w(y_j).

    Expanding w gives mean k(x, x') + mean k(y, y') − 2 mean k(x, y), the V-statistic of
    :func:`lossviz.mmd`: MMD² is the witness "integrated" against the difference of the two
    empirical distributions.
    """
    x, y = _samples_1d("x", x), _samples_1d("y", y)
    return float(witness(x, y, x, sigma).mean() - witness(x, y, y, sigma).mean())


def mmd2_curve(x, y, sigmas) -> np.ndarray:
    """Biased MMD² of ``x`` and ``y`` at each bandwidth in ``sigmas`` (float64 array)."""
    x, y = _samples_1d("x", x), _samples_1d("y", y)
    s = np.asarray(sigmas, dtype=np.float64)
    if s.ndim != 1 or not np.all(s > 0):
        raise ValueError(f"sigmas must be a 1-D array of positive bandwidths, got {sigmas!r}")
    inv = 1.0 / (2 * s**2)
    out = np.zeros_like(s)
    for sign, a, b in ((1.0, x, x), (1.0, y, y), (-2.0, x, y)):
        d2 = np.subtract.outer(a, b).reshape(-1) ** 2
        out += sign * np.exp(-np.multiply.outer(inv, d2)).mean(1)
    return out


def median_heuristic(x, y) -> float:
    """Median of all pairwise distances |a − b| (a ≠ b as positions) in the pooled sample."""
    z = np.concatenate([_samples_1d("x", x), _samples_1d("y", y)])
    i, j = np.triu_indices(z.size, 1)
    return float(np.median(np.abs(z[i] - z[j])))


def mmd_samples(n: int = 100, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The figure's two samples: X ~ N(0, 1) and Y ~ N(1, 0.5²), ``n`` each, float64 draws."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, generator=g, dtype=torch.float64)
    y = 1.0 + 0.5 * torch.randn(n, generator=g, dtype=torch.float64)
    return x.numpy(), y.numpy()


@register("mmd_bandwidth")
def mmd_bandwidth_figure(lang: str = "zh-TW", *, log_sigma: float = 0.0, dpi: int = 80) -> LiveFigure:
    """Samples and witness at σ = 10^log_sigma (left); MMD² against σ, log–log, marker at σ (right)."""
    x, y = mmd_samples()
    grid = np.linspace(-4.0, 4.0, 600)
    sigmas = np.logspace(*LOG_SIGMA_RANGE, 161)
    curve = mmd2_curve(x, y, sigmas)
    med = median_heuristic(x, y)
    peak = max(np.abs(witness(x, y, grid, s)).max() for s in sigmas[::8])
    fig = Figure(figsize=(9.0, 3.6), dpi=dpi, layout="constrained")
    left, right = fig.subplots(1, 2)
    lo = -1.25 * peak
    left.plot(x, np.full_like(x, 0.8 * lo), "|", color="C0", ms=10, label="X ~ N(0, 1)")
    left.plot(y, np.full_like(y, 0.92 * lo), "|", color="C1", ms=10, label="Y ~ N(1, 0.5²)")
    left.axhline(0, color="0.7", lw=0.8)
    (w_line,) = left.plot([], [], color="C2", lw=2, label=t("mmd_witness", lang))
    left.set(xlim=(grid[0], grid[-1]), ylim=(lo, 1.25 * peak), xlabel="t", ylabel=t("mmd_witness", lang),
             title=t("mmd_title", lang))
    left.legend(loc="upper left", fontsize=8)
    right.loglog(sigmas, curve, color="C4", label="MMD²")
    right.axvline(med, color="C3", lw=1, ls="--", label=t("mmd_median", lang) + f" ≈ {med:.2f}")
    right.axhline(1 / x.size + 1 / y.size, color="0.6", lw=0.8, ls=":", label=t("mmd_floor", lang))
    right.set(xlim=(sigmas[0], sigmas[-1]), ylim=(curve.min() / 2, 2 * curve.max()),
              xlabel=t("mmd_sigma", lang), ylabel="MMD²")
    right.legend(loc="lower left", fontsize=8)
    (marker,) = right.plot([], [], "o", color="C4", ms=8)
    readout = right.text(0.98, 0.98, "", transform=right.transAxes, ha="right", va="top", fontsize=9,
                         family="monospace")

    def update(*, log_sigma: float) -> None:
        sigma = 10.0**log_sigma
        w_line.set_data(grid, witness(x, y, grid, sigma))
        m2 = float(mmd2_curve(x, y, [sigma])[0])
        marker.set_data([sigma], [m2])
        readout.set_text(f"σ = {sigma:.3g}\nMMD² = {m2:.3g}")

    sliders = (Slider("log_sigma", "log10 σ", *LOG_SIGMA_RANGE, 0.05, log_sigma),)
    return LiveFigure(fig, sliders, update, [w_line, marker, readout], dpi=dpi)


# --- VAE: the β trade-off -------------------------------------------------------------
def half_circle(n: int = 512, seed: int = 5) -> torch.Tensor:
    """``n`` points on the upper half of a circle of radius 2 centred at (0, −1), plus N(0, 0.1²)
    noise in each coordinate; float64 (n, 2)."""
    n = int(_checks.number("n", n, low=2, integer=True))
    g = torch.Generator().manual_seed(seed)
    angle = math.pi * torch.rand(n, generator=g, dtype=torch.float64)
    points = torch.stack([2 * angle.cos(), 2 * angle.sin() - 1], 1)
    return points + 0.1 * torch.randn(n, 2, generator=g, dtype=torch.float64)


class TinyVAE(nn.Module):
    """Encoder 2 → hidden → (μ, log v) and decoder 1 → hidden → 2, tanh MLPs in float64.

    ``forward(x, eps)`` returns ``(x̂, μ, log v)`` with z = μ + √v · ε (the reparameterisation:
    the noise ``eps`` comes from outside, so the gradient flows through μ and v).
    """

    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        f64 = torch.float64
        self.enc = nn.Sequential(nn.Linear(2, hidden, dtype=f64), nn.Tanh(), nn.Linear(hidden, 2, dtype=f64))
        self.dec = nn.Sequential(nn.Linear(1, hidden, dtype=f64), nn.Tanh(), nn.Linear(hidden, 2, dtype=f64))

    def forward(self, x: torch.Tensor, eps: torch.Tensor):
        mu, logvar = self.enc(x).split(1, dim=1)
        z = mu + (0.5 * logvar).exp() * eps
        return self.dec(z), mu, logvar


def train_vae(data: torch.Tensor, beta: float, *, steps: int = 400, seed: int = 0) -> TinyVAE:
    """Train a :class:`TinyVAE` on ``data`` (N, 2) with ``lossviz.elbo(..., beta=beta)``, Adam 0.01.

    The initialisation (``torch.manual_seed(seed)``) and the noise stream are the same for every β,
    so two runs differ only by β.
    """
    beta = _checks.number("beta", beta, low=0)
    torch.manual_seed(seed)
    noise = torch.Generator().manual_seed(seed + 6)
    model = TinyVAE()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        eps = torch.randn(data.shape[0], 1, generator=noise, dtype=torch.float64)
        recon, mu, logvar = model(data, eps)
        loss = G.elbo(recon, data, mu, logvar, beta=beta)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def rate_distortion(model: TinyVAE, data: torch.Tensor) -> dict:
    """Rate (mean closed-form KL(q(z|x) ‖ N(0, 1)), nats), distortion (mean Σ(x̂ − x)² at z = μ),
    the spread of μ over the data, and the reconstructions x̂(μ(x)) (numpy)."""
    with torch.no_grad():
        recon, mu, logvar = model(data, torch.zeros(data.shape[0], 1, dtype=torch.float64))
        rate = (0.5 * (mu.square() + logvar.exp() - 1 - logvar).sum(1)).mean().item()
        distortion = (recon - data).square().sum(1).mean().item()
    return {"rate": rate, "distortion": distortion, "mu_std": mu.std().item(), "recon": recon.numpy()}


def _log_beta_grid() -> np.ndarray:
    count = round((LOG_BETA_RANGE[1] - LOG_BETA_RANGE[0]) / LOG_BETA_STEP) + 1
    return np.round(np.linspace(*LOG_BETA_RANGE, count), 10)


_SWEEP: dict | None = None


def vae_beta_sweep() -> dict:
    """One trained :class:`TinyVAE` per β = 10^k on the slider's grid (k from −1 to 1 in steps of
    0.2), on ``half_circle()``: arrays ``log_beta``, ``rate``, ``distortion``, ``mu_std`` (K,),
    ``recon`` (K, N, 2), ``curve`` (K, 121, 2) = x̂(z) for z in [−3, 3], and ``data`` (N, 2).

    Trained once per process (≈ 5 s on one core) and kept: the slider only looks frames up.
    """
    global _SWEEP
    if _SWEEP is None:
        data = half_circle()
        z = torch.linspace(-3, 3, 121, dtype=torch.float64)[:, None]
        rows = []
        for k in _log_beta_grid():
            model = train_vae(data, 10.0**k)
            r = rate_distortion(model, data)
            with torch.no_grad():
                r["curve"] = model.dec(z).numpy()
            rows.append(r)
        _SWEEP = {"log_beta": _log_beta_grid(), "data": data.numpy(),
                  **{key: np.array([r[key] for r in rows]) for key in ("rate", "distortion", "mu_std",
                                                                        "recon", "curve")}}
    return {key: value.copy() for key, value in _SWEEP.items()}


@register("vae_beta")
def vae_beta_figure(lang: str = "zh-TW", *, log_beta: float = 0.0, dpi: int = 80) -> LiveFigure:
    """The VAE at β = 10^log_beta (left) and the rate–distortion curve over the grid (right)."""
    sw = vae_beta_sweep()
    data = sw["data"]
    total_var = float(data.var(0, ddof=1).sum())
    fig = Figure(figsize=(9.0, 3.8), dpi=dpi, layout="constrained")
    left, right = fig.subplots(1, 2)
    left.scatter(data[:, 0], data[:, 1], s=4, color="0.75", label=t("vae_data", lang))
    (curve,) = left.plot([], [], color="C3", lw=2, label=t("vae_curve", lang))
    (recon,) = left.plot([], [], ".", color="C0", ms=3, label=t("vae_recon", lang))
    left.set(xlim=(-3.2, 3.2), ylim=(-2.7, 1.7), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    left.legend(loc="lower center", fontsize=8)
    right.plot(sw["rate"], sw["distortion"], "o-", color="C4", ms=4)
    right.axhline(total_var, color="0.6", lw=0.8, ls=":",
                  label=t("vae_total_var", lang) + f" {total_var:.2f}")
    right.set(xlim=(-0.1, 1.05 * sw["rate"].max() + 0.1), ylim=(0, 1.15 * total_var),
              xlabel=t("vae_rate", lang), ylabel=t("vae_distortion", lang))
    right.legend(loc="upper right", fontsize=8)
    (marker,) = right.plot([], [], "o", color="C3", ms=10)
    readout = right.text(0.98, 0.8, "", transform=right.transAxes, ha="right", va="top", fontsize=9,
                         family="monospace")

    def update(*, log_beta: float) -> None:
        i = int(np.argmin(np.abs(sw["log_beta"] - log_beta)))
        curve.set_data(sw["curve"][i, :, 0], sw["curve"][i, :, 1])
        recon.set_data(sw["recon"][i, :, 0], sw["recon"][i, :, 1])
        marker.set_data([sw["rate"][i]], [sw["distortion"][i]])
        readout.set_text(f"β = {10.0 ** sw['log_beta'][i]:.3g}\nrate = {sw['rate'][i]:.2f} nats\n"
                         f"distortion = {sw['distortion'][i]:.2f}\nstd μ = {sw['mu_std'][i]:.2f}")

    sliders = (Slider("log_beta", "log10 β", *LOG_BETA_RANGE, LOG_BETA_STEP, log_beta),)
    return LiveFigure(fig, sliders, update, [curve, recon, marker, readout], dpi=dpi)
