"""Figures and numbers for the image notebook (08): SSIM against MSE at equal error.

Figures (ids in ``lossviz.plots.FIGURES``):

* ``ssim_equal_mse`` — a fixed synthetic image and four distortions of it with the same MSE
  (Gaussian noise, blur, a brightness shift, a contrast reduction); the bars are each
  distortion's SSIM loss 1 − SSIM.  Sliders: the Gaussian window's size (odd) and its σ; the
  window is drawn as a square on the original.  The MSE bar does not move: MSE has no window.

The SSIM numbers come from :func:`lossviz.ssim`; nothing here re-implements it.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import _checks
from .. import image as I
from .._text import add, t
from ..widgets import LiveFigure, Slider
from . import register

add({
    "img_original": {"zh-TW": "原圖", "zh-CN": "原图", "en": "original"},
    "img_noise": {"zh-TW": "雜訊", "zh-CN": "噪声", "en": "noise"},
    "img_blur": {"zh-TW": "模糊", "zh-CN": "模糊", "en": "blur"},
    "img_brightness": {"zh-TW": "亮度 +c", "zh-CN": "亮度 +c", "en": "brightness +c"},
    "img_contrast": {"zh-TW": "對比降低", "zh-CN": "对比降低", "en": "lower contrast"},
    "img_ssim_loss": {"zh-TW": "1 − SSIM", "zh-CN": "1 − SSIM", "en": "1 − SSIM"},
    "img_bar_title": {"zh-TW": "四種失真的 MSE 相同，SSIM 損失不同",
                      "zh-CN": "四种失真的 MSE 相同，SSIM 损失不同",
                      "en": "four distortions, equal MSE, different SSIM loss"},
})

DISTORTIONS = ("noise", "blur", "brightness", "contrast")
SIZE = 64  # pixels per side of the test image
BLUR_SIGMA = 1.5  # the blur distortion; its MSE is the MSE every other distortion is scaled to


def sample_image(size: int = SIZE) -> torch.Tensor:
    """A fixed (1, 1, size, size) float64 image in [0.2, 0.8]: smooth shading, a disk, stripes.

    Deterministic (no random draw): a diagonal ramp, a bright disk with a sharp edge, and
    vertical stripes of period 8 pixels in the lower half: flat regions, edges and texture.
    """
    size = int(_checks.number("size", size, low=16, integer=True))
    r = torch.arange(size, dtype=torch.float64) / (size - 1)
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    img = 0.35 + 0.15 * (xx + yy) / 2
    img = torch.where((xx - 0.35) ** 2 + (yy - 0.3) ** 2 < 0.2**2, torch.full_like(img, 0.75), img)
    stripes = 0.5 + 0.2 * torch.sign(torch.sin(2 * math.pi * xx * (size - 1) / 8 + 0.1))
    img = torch.where(yy > 0.62, stripes, img)
    return img[None, None]


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of (N, C, H, W) ``x``, radius ⌈3σ⌉, reflect padding (same size)."""
    _checks.tensor("x", x)
    _checks.ndim("x", x, (4,))
    sigma = float(_checks.number("sigma", sigma, low=0, low_open=True))
    r = math.ceil(3 * sigma)
    k = torch.arange(-r, r + 1, dtype=x.dtype)
    g = torch.exp(-k.square() / (2 * sigma**2))
    g = g / g.sum()
    c = x.shape[1]
    x = F.pad(x, (r, r, r, r), mode="reflect")
    x = F.conv2d(x, g.reshape(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, g.reshape(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)


def equal_mse_distortions(x: torch.Tensor, *, seed: int = 0) -> dict[str, torch.Tensor]:
    """Four distortions of ``x`` with the same MSE: the MSE of a σ = 1.5 blur.

    * ``noise``: float64 Gaussian noise (seeded), rescaled so its mean square is that MSE;
    * ``blur``: the blur itself;
    * ``brightness``: x + c with c = √MSE;
    * ``contrast``: mean + k (x − mean) with (1 − k)² var(x) = MSE (population variance).
    """
    _checks.tensor("x", x)
    _checks.ndim("x", x, (4,))
    blur = gaussian_blur(x, BLUR_SIGMA)
    mse = (blur - x).square().mean()
    g = torch.Generator().manual_seed(int(seed))
    noise = torch.randn(x.shape, generator=g, dtype=torch.float64).to(x.dtype)
    noise = noise * (mse / noise.square().mean()).sqrt()
    mean = x.mean()
    k = 1 - (mse / (x - mean).square().mean()).sqrt()
    return {"noise": x + noise, "blur": blur, "brightness": x + mse.sqrt(), "contrast": mean + k * (x - mean)}


def ssim_losses(x: torch.Tensor, distorted: dict[str, torch.Tensor], *, window_size: int = 11,
                sigma: float = 1.5) -> dict[str, float]:
    """1 − SSIM(x, d) for each distortion d (``lossviz.ssim``, data range 1), in one batched call."""
    batch = torch.cat(list(distorted.values()))
    losses = I.ssim(batch, x.expand_as(batch), window_size=window_size, sigma=sigma, reduction="none")
    return dict(zip(distorted, losses.tolist(), strict=True))


def odd_window(value: float) -> int:
    """A slider's value as an odd window size ≥ 1 (rounded to the nearest odd integer)."""
    v = _checks.number("window_size", value, low=1)
    return int(2 * round((v - 1) / 2) + 1)


@register("ssim_equal_mse")
def ssim_equal_mse_figure(lang: str = "zh-TW", *, window_size: float = 11, sigma: float = 1.5,
                          dpi: int = 80) -> LiveFigure:
    """Top: the image and its four equal-MSE distortions; bottom: 1 − SSIM per distortion."""
    x = sample_image()
    dist = equal_mse_distortions(x)
    mse = (dist["blur"] - x).square().mean().item()
    fig = Figure(figsize=(8.0, 4.6), dpi=dpi, layout="constrained")
    grid = fig.add_gridspec(2, 5, height_ratios=(1.0, 1.0))
    names = ("original",) + DISTORTIONS
    images = [x] + [dist[n] for n in DISTORTIONS]
    axes = [fig.add_subplot(grid[0, i]) for i in range(5)]
    for ax, name, img in zip(axes, names, images, strict=True):
        ax.imshow(img[0, 0].numpy(), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set(xticks=[], yticks=[], title=t(f"img_{name}", lang))
    window = Rectangle((0, 0), 1, 1, fill=False, edgecolor="C3", lw=1.5)
    axes[0].add_patch(window)
    bar_ax = fig.add_subplot(grid[1, :])
    labels = [t(f"img_{n}", lang) for n in DISTORTIONS]
    bars = bar_ax.bar(labels, [0.0] * 4, color=["C0", "C1", "C2", "C4"])
    bar_ax.set(ylim=(0, 0.8), ylabel=t("img_ssim_loss", lang), title=t("img_bar_title", lang))
    readout = bar_ax.text(0.99, 0.95, "", transform=bar_ax.transAxes, ha="right", va="top", fontsize=9,
                          family="monospace")
    values = [bar_ax.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(4)]

    def update(*, window_size: float, sigma: float) -> None:
        w = odd_window(window_size)
        losses = ssim_losses(x, dist, window_size=w, sigma=sigma)
        for i, name in enumerate(DISTORTIONS):
            bars[i].set_height(losses[name])
            values[i].set_position((i, losses[name]))
            values[i].set_text(f"{losses[name]:.3f}")
        c = SIZE // 2 - 0.5
        window.set_bounds(c - w / 2, c - w / 2, w, w)
        readout.set_text(f"window {w}×{w}   σ = {sigma:.2f}   MSE = {mse:.5f}")

    sliders = (Slider("window_size", "window", 3.0, 21.0, 2.0, window_size),
               Slider("sigma", "σ", 0.5, 4.0, 0.1, sigma))
    return LiveFigure(fig, sliders, update, [*bars, *values, window, readout], dpi=dpi)
