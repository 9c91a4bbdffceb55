"""Catalog entries of the generative family (GAN, WGAN, VAE, MMD, perceptual)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from .. import generative as G
from ._entry import Entry, Param, sampler

_EXTREME_LOGITS = (100.0, -100.0, 0.0, 50.0, -50.0, 30.0)


def _logit_pair(seed: int, shape=(4, 3)):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        return (s(*shape, low=-3, high=3, dtype=dtype, device=device),
                s(*shape, low=-3, high=3, dtype=dtype, device=device)), {}
    return example


def _logits(seed: int, shape=(4, 3), **kwargs):
    def example(dtype=torch.float64, device="cpu"):
        return (sampler(seed)(*shape, low=-3, high=3, dtype=dtype, device=device),), dict(kwargs)
    return example


def _extreme_pair(dtype=torch.float32, device="cpu"):
    r = torch.tensor(_EXTREME_LOGITS, dtype=dtype, device=device)
    return (r, -r.flip(0)), {}


def _extreme_one(dtype=torch.float32, device="cpu"):
    return (torch.tensor(_EXTREME_LOGITS, dtype=dtype, device=device),), {}


def _extreme_scores_pair(dtype=torch.float32, device="cpu"):
    r = torch.tensor([1e4, -1e4, 0.0, 3e4], dtype=dtype, device=device)
    return (r, -r), {}


def _extreme_scores(dtype=torch.float32, device="cpu"):
    return (torch.tensor([1e4, -1e4, 0.0, 3e4], dtype=dtype, device=device),), {}


# --- VAE --------------------------------------------------------------------------
def _elbo_example(dtype=torch.float64, device="cpu"):
    s = sampler(51)
    target = s(4, 2, 3, low=0, high=1, dtype=dtype, device=device)
    recon = s(4, 2, 3, low=0.05, high=0.95, dtype=dtype, device=device)
    mu = s.normal(4, 3, dtype=dtype, device=device)
    logvar = s(4, 3, low=-1.5, high=1.0, dtype=dtype, device=device)
    return (recon, target, mu, logvar), {"beta": 1.0, "recon_loss": "mse"}


def _elbo_extreme(dtype=torch.float32, device="cpu"):
    # probabilities at exactly 0 and 1 (where F.binary_cross_entropy clamps log at -100),
    # far-off means and log-variances of ±20
    recon = torch.tensor([[0.0, 1.0, 0.0, 1.0], [0.5, 1e-30, 1.0, 0.0]], dtype=dtype, device=device)
    target = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]], dtype=dtype, device=device)
    mu = torch.tensor([[100.0, -100.0], [0.0, 1.0]], dtype=dtype, device=device)
    logvar = torch.tensor([[20.0, -20.0], [0.0, -20.0]], dtype=dtype, device=device)
    return (recon, target, mu, logvar), {"recon_loss": "bce"}


def _elbo_reference(recon, target, mu, logvar, *, beta=1.0, recon_loss="mse", reduction="mean"):
    # PyTorch's elementwise reconstruction loss summed per sample, plus torch.distributions' KL
    if recon_loss == "mse":
        rec = F.mse_loss(recon, target, reduction="none")
    else:
        rec = F.binary_cross_entropy(recon, target, reduction="none")
    std = torch.exp(0.5 * logvar)
    kl = kl_divergence(Normal(mu, std), Normal(torch.zeros_like(mu), torch.ones_like(std))).sum(-1)
    per_sample = rec.reshape(recon.shape[0], -1).sum(1) + beta * kl
    return {"none": per_sample, "sum": per_sample.sum(), "mean": per_sample.mean()}[reduction]


# --- MMD --------------------------------------------------------------------------
def _mmd_example(dtype=torch.float64, device="cpu"):
    s = sampler(61)
    x = s.normal(2, 5, 2, dtype=dtype, device=device)
    y = s.normal(2, 4, 2, dtype=dtype, device=device) + 0.8
    return (x, y), {"bandwidth": 1.0}


def _mmd_extreme(dtype=torch.float32, device="cpu"):
    # far-apart points (every cross kernel underflows to 0) and a repeated point (distance 0)
    x = torch.tensor([[100.0, -100.0], [100.0, -100.0], [0.0, 0.0]], dtype=dtype, device=device)
    y = torch.tensor([[-100.0, 100.0], [0.0, 0.0]], dtype=dtype, device=device)
    return (x, y), {"bandwidth": 1.0}


# --- perceptual -------------------------------------------------------------------
class _TwoLayerFeatures(torch.nn.Module):
    """Conv2d -> ReLU -> Conv2d with seeded weights; returns [after ReLU, after 2nd conv]."""

    def __init__(self, dtype, device):
        super().__init__()
        # skip_init: no default initialisation, so the global RNG is left untouched
        conv1 = torch.nn.utils.skip_init(torch.nn.Conv2d, 1, 3, 3, padding=1)
        conv2 = torch.nn.utils.skip_init(torch.nn.Conv2d, 3, 2, 3, padding=1)
        s = sampler(71)
        with torch.no_grad():
            for conv in (conv1, conv2):
                fan_in = conv.weight[0].numel()
                conv.weight.copy_(s.normal(*conv.weight.shape) / fan_in**0.5)
                conv.bias.copy_(s(*conv.bias.shape, low=-0.1, high=0.1))
        self.body = torch.nn.Sequential(conv1, torch.nn.ReLU(), conv2).to(dtype=dtype, device=device)
        self.requires_grad_(False)

    def forward(self, x):
        h1 = self.body[1](self.body[0](x))
        return [h1, self.body[2](h1)]


def _perceptual_example(dtype=torch.float64, device="cpu"):
    s = sampler(72)
    target = s(2, 1, 8, 8, low=0, high=1, dtype=dtype, device=device)
    input = target + 0.2 * s.normal(2, 1, 8, 8, dtype=dtype, device=device)
    return (input, target, _TwoLayerFeatures(dtype, device)), {"layer_weights": (1.0, 0.5)}


def _perceptual_extreme(dtype=torch.float32, device="cpu"):
    s = sampler(73)
    input = 100 * s.normal(2, 1, 8, 8, dtype=dtype, device=device)
    return (input, -input, _TwoLayerFeatures(dtype, device)), {}


ENTRIES = [
    Entry(
        id="gan_discriminator", family="generative", fn=G.gan_discriminator,
        grad=G.gan_discriminator_grad, reference=None,
        reference_note=("no single PyTorch loss; tests/test_generative.py checks it equals "
                        "F.binary_cross_entropy_with_logits(r, 1) + "
                        "F.binary_cross_entropy_with_logits(f, 0)"),
        example=_logit_pair(41), extreme=_extreme_pair,
        names={"zh-TW": "GAN 判別器損失", "zh-CN": "GAN 判别器损失", "en": "GAN discriminator loss"},
        formula=(r"\ell(r, f) = -\log\sigma(r) - \log\big(1 - \sigma(f)\big)"
                 r" = \operatorname{softplus}(-r) + \operatorname{softplus}(f)"),
        tags=("gan", "logits", "paired"),
    ),
    Entry(
        id="gan_generator", family="generative", fn=G.gan_generator, grad=G.gan_generator_grad,
        reference=None,
        reference_note=("no single PyTorch loss; tests check non_saturating == "
                        "F.binary_cross_entropy_with_logits(f, 1) and minimax == -(... (f, 0))"),
        example=_logits(42, mode="non_saturating"), extreme=_extreme_one,
        names={"zh-TW": "GAN 生成器損失", "zh-CN": "GAN 生成器损失", "en": "GAN generator loss"},
        formula=(r"\ell_{\text{NS}}(f) = -\log\sigma(f), \qquad"
                 r" \ell_{\text{minimax}}(f) = \log\big(1 - \sigma(f)\big)"),
        nonnegative=False,  # mode='minimax' is negative everywhere
        tags=("gan", "logits"),
    ),
    Entry(
        id="wasserstein_critic", family="generative", fn=G.wasserstein_critic,
        grad=G.wasserstein_critic_grad, reference=None,
        reference_note="no PyTorch loss; a difference of means, checked by hand",
        example=_logit_pair(43), extreme=_extreme_scores_pair,
        names={"zh-TW": "Wasserstein 評論家損失", "zh-CN": "Wasserstein 评论家损失",
               "en": "Wasserstein critic loss"},
        formula=r"\ell(r, f) = f - r = D(G(z)) - D(x)",
        nonnegative=False,
        tags=("gan", "wgan", "paired"),
    ),
    Entry(
        id="wasserstein_generator", family="generative", fn=G.wasserstein_generator,
        grad=G.wasserstein_generator_grad, reference=None,
        reference_note="no PyTorch loss; the negated critic score, checked by hand",
        example=_logits(44), extreme=_extreme_scores,
        names={"zh-TW": "Wasserstein 生成器損失", "zh-CN": "Wasserstein 生成器损失",
               "en": "Wasserstein generator loss"},
        formula=r"\ell(f) = -f = -D(G(z))",
        nonnegative=False,
        tags=("gan", "wgan"),
    ),
    Entry(
        id="elbo", family="generative", fn=G.elbo, grad=G.elbo_grad, reference=_elbo_reference,
        reference_note=("F.mse_loss / F.binary_cross_entropy (reduction='none') summed per sample, plus "
                        "torch.distributions.kl_divergence(Normal(mu, e^{logvar/2}), Normal(0, 1)).sum(-1)"),
        example=_elbo_example, extreme=_elbo_extreme,
        names={"zh-TW": "證據下界（VAE 損失）", "zh-CN": "证据下界（VAE 损失）",
               "en": "Negative ELBO (VAE loss)"},
        formula=(r"\ell_n = \sum_d (\hat x_{nd} - x_{nd})^2"
                 r" + \beta\cdot\tfrac12\sum_j\big(\mu_{nj}^2 + e^{v_{nj}} - 1 - v_{nj}\big)"),
        params=(Param("beta", 1.0, 0.0, 5.0, 0.1, "weight of the KL term (β-VAE; β = 1 is the plain VAE)"),),
        tags=("vae", "kl"),
    ),
    Entry(
        id="mmd", family="generative", fn=G.mmd, grad=G.mmd_grad, reference=None,
        reference_note=("no PyTorch loss; tests check a NumPy reimplementation and a two-point "
                        "case worked by hand"),
        example=_mmd_example, extreme=_mmd_extreme,
        names={"zh-TW": "最大均值差異", "zh-CN": "最大均值差异", "en": "Maximum mean discrepancy (MMD)"},
        formula=(r"\widehat{\mathrm{MMD}}^2 = \tfrac{1}{N^2}\sum_{i,i'} k(x_i, x_{i'})"
                 r" + \tfrac{1}{M^2}\sum_{j,j'} k(y_j, y_{j'}) - \tfrac{2}{NM}\sum_{i,j} k(x_i, y_j),"
                 r"\quad k(a, b) = e^{-\|a - b\|^2 / (2\sigma^2)}"),
        params=(Param("bandwidth", 1.0, 0.1, 5.0, 0.1, "Gaussian kernel width σ"),),
        tags=("kernel", "distribution"),
    ),
    Entry(
        id="perceptual", family="generative", fn=G.perceptual, grad=None,
        grad_note=("depends on the Jacobian of the feature extractor, which only autograd knows; "
                   "for a fixed linear extractor f(x) = Ax it is 2λAᵀ(A·input − A·target)/n, "
                   "n = feature elements per sample"),
        reference=None,
        reference_note=("no PyTorch loss; tests check the identity extractor (= per-sample MSE) and a "
                        "fixed linear extractor by hand"),
        example=_perceptual_example, extreme=_perceptual_extreme,
        names={"zh-TW": "感知損失", "zh-CN": "感知损失", "en": "Perceptual loss"},
        formula=r"\ell_n = \sum_l \frac{\lambda_l}{C_l H_l W_l}\,\big\|f_l(\hat x_n) - f_l(x_n)\big\|_2^2",
        tags=("feature_space", "image"),
    ),
]
