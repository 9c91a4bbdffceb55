"""Losses of generative models: GAN (minimax, non-saturating, Wasserstein), VAE, MMD, perceptual.

Each function returns the unreduced loss reduced by ``reduction`` ('none' | 'mean' | 'sum');
what ``'mean'`` averages over is stated in each docstring (pairs of logits for the GAN
losses, samples for the VAE and perceptual losses, batches of point sets for MMD).  Each
``*_grad`` function takes the same arguments and returns d(reduced loss)/d(first argument)
in closed form; the perceptual loss has none, because its gradient runs through the
Jacobian of the feature network.

Sign convention: every function here is a quantity to *minimise*.  Where the course
notes write a maximisation (the discriminator's ``max_D``, the ELBO) the loss is its
negative.

Why one module of ~430 lines: one family, one module (the README's map); most of the length
is the math docstrings next to each closed-form gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from . import _checks
from ._reduce import reduce, scale
from ._stable import clamped_log, clamped_log1m, d_clamped_log, d_clamped_log1m, softplus

__all__ = ["gan_discriminator", "gan_discriminator_grad", "gan_generator", "gan_generator_grad",
           "wasserstein_critic", "wasserstein_critic_grad", "wasserstein_generator",
           "wasserstein_generator_grad", "elbo", "elbo_grad", "mmd", "mmd_grad",
           "perceptual"]

GAN_MODES = ("minimax", "non_saturating")
RECON_LOSSES = ("mse", "bce")


# --- GAN discriminator ------------------------------------------------------------
def gan_discriminator(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
                      reduction: str = "mean") -> torch.Tensor:
    r"""The discriminator's loss of the original GAN (Goodfellow et al. 2014).

    The course notes write the discriminator's goal as
    :math:`\max_D \mathbb{E}_x[\log D(x)] + \mathbb{E}_z[\log(1 - D(G(z)))]`.  With
    :math:`D = \sigma(\cdot)` applied to logits, the loss to *minimise* is its negative; per
    pair of a real logit :math:`r = \operatorname{logit} D(x)` and a fake logit
    :math:`f = \operatorname{logit} D(G(z))`:

    .. math:: \ell(r, f) = -\log\sigma(r) - \log(1 - \sigma(f))
              = \operatorname{softplus}(-r) + \operatorname{softplus}(f),

    i.e. binary cross entropy with label 1 for the real and 0 for the fake sample
    (``F.binary_cross_entropy_with_logits(r, 1) + ...(f, 0)``), computed from logits so that
    ±100 stays finite.  ``real_logits`` and ``fake_logits`` must have the same shape: they
    are paired minibatches (one real and one generated sample per position); nothing
    broadcasts.  ``'mean'`` averages over the pairs.

    Gradient with respect to ``real_logits``: :math:`\partial\ell/\partial r = -\sigma(-r)`
    (with respect to ``fake_logits`` it would be :math:`\sigma(f)`).  The minimum 0 is
    reached only in the limit :math:`r \to +\infty,\ f \to -\infty`; at the game's
    equilibrium :math:`D \equiv \tfrac12` the loss is :math:`2\log 2`.
    """
    _checks.pair("real_logits", real_logits, "fake_logits", fake_logits)
    _checks.reduction(reduction)
    return reduce(softplus(-real_logits) + softplus(fake_logits), reduction)


def gan_discriminator_grad(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
                           reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`gan_discriminator`)/d(real_logits) in closed form:
    :math:`-\sigma(-r)` (times 1/n for ``'mean'``)."""
    _checks.pair("real_logits", real_logits, "fake_logits", fake_logits)
    return -torch.sigmoid(-real_logits) * scale(real_logits.numel(), reduction)


# --- GAN generator ----------------------------------------------------------------
def gan_generator(fake_logits: torch.Tensor, *, mode: str = "non_saturating",
                  reduction: str = "mean") -> torch.Tensor:
    r"""The generator's loss of the original GAN, in its two classic forms.

    With :math:`f = \operatorname{logit} D(G(z))` for each generated sample:

    * ``mode='minimax'`` — the generator minimises the same value the discriminator
      maximises: :math:`\ell = \log(1 - \sigma(f)) = -\operatorname{softplus}(f)`.  This is
      **negative** (it tends to 0 from below as D rejects the fake), so the loss is not
      bounded below by 0.  Gradient: :math:`\partial\ell/\partial f = -\sigma(f)`.
    * ``mode='non_saturating'`` (default, the form used in practice) — maximise
      :math:`\log D(G(z))` instead: :math:`\ell = -\log\sigma(f) = \operatorname{softplus}(-f)`,
      i.e. BCE with the label "real" (1).  Gradient: :math:`-\sigma(-f)`.

    Why "saturating": early in training D confidently rejects the fakes, :math:`f \ll 0`.
    There the minimax gradient :math:`-\sigma(f) \to 0` (at :math:`f = -10` it is
    :math:`-4.5\times10^{-5}`), so the generator hardly learns, while the non-saturating
    gradient :math:`-\sigma(-f) \to -1` stays large.  Both push :math:`f` up (gradient < 0),
    and both have the same fixed points; identity: :math:`\ell_{\text{NS}} = -\ell_{\text{minimax}} - f`.
    ``'mean'`` averages over the generated samples.
    """
    _checks.tensor("fake_logits", fake_logits)
    _checks.choice("mode", mode, GAN_MODES)
    _checks.reduction(reduction)
    if mode == "minimax":
        # log(1 - σ(f)) = log σ(-f) = -softplus(f)
        loss = -softplus(fake_logits)
    else:
        # -log σ(f) = softplus(-f)
        loss = softplus(-fake_logits)
    return reduce(loss, reduction)


def gan_generator_grad(fake_logits: torch.Tensor, *, mode: str = "non_saturating",
                       reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`gan_generator`)/d(fake_logits) in closed form:
    :math:`-\sigma(f)` (``'minimax'``) or :math:`-\sigma(-f)` (``'non_saturating'``)."""
    _checks.tensor("fake_logits", fake_logits)
    _checks.choice("mode", mode, GAN_MODES)
    g = -torch.sigmoid(fake_logits) if mode == "minimax" else -torch.sigmoid(-fake_logits)
    return g * scale(fake_logits.numel(), reduction)


# --- Wasserstein GAN --------------------------------------------------------------
def wasserstein_critic(real_scores: torch.Tensor, fake_scores: torch.Tensor, *,
                       reduction: str = "mean") -> torch.Tensor:
    r"""The WGAN critic's loss (Arjovsky et al. 2017).

    The critic :math:`D` maximises :math:`\mathbb{E}_x[D(x)] - \mathbb{E}_z[D(G(z))]`, an
    estimate of the Wasserstein-1 distance; the loss to minimise per pair of a real score
    :math:`r = D(x)` and a fake score :math:`f = D(G(z))` (unbounded reals, no sigmoid) is

    .. math:: \ell(r, f) = f - r = -\big(D(x) - D(G(z))\big).

    It is negative whenever the critic scores the real sample higher, so it is not bounded
    below.  The estimate is only meaningful when :math:`D` is (about) 1-Lipschitz; that
    constraint — weight clipping (WGAN) or a gradient penalty on :math:`\|\nabla D\|`
    (WGAN-GP) — is **not** part of this function and must be added by the training code;
    without it the critic can drive the loss to :math:`-\infty` by scaling its scores.
    ``real_scores`` and ``fake_scores`` are paired minibatches of the same shape;
    ``'mean'`` averages over the pairs.  Gradient with respect to ``real_scores``:
    :math:`-1` (times the reduction's scale, :math:`-1/n` for ``'mean'``).
    """
    _checks.pair("real_scores", real_scores, "fake_scores", fake_scores)
    _checks.reduction(reduction)
    return reduce(fake_scores - real_scores, reduction)


def wasserstein_critic_grad(real_scores: torch.Tensor, fake_scores: torch.Tensor, *,
                            reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`wasserstein_critic`)/d(real_scores) in closed form:
    :math:`-1` everywhere (:math:`-1/n` for ``'mean'``)."""
    _checks.pair("real_scores", real_scores, "fake_scores", fake_scores)
    return torch.full_like(real_scores, -scale(real_scores.numel(), reduction))


def wasserstein_generator(fake_scores: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""The WGAN generator's loss: :math:`\ell(f) = -f = -D(G(z))`.

    The generator minimises :math:`-\mathbb{E}_z[D(G(z))]`, the part of the critic's
    objective it can influence.  Negative whenever the critic scores a fake above 0, and
    unbounded.  ``'mean'`` averages over the generated samples.
    Gradient with respect to ``fake_scores``: :math:`-1` (:math:`-1/n` for ``'mean'``).
    """
    _checks.tensor("fake_scores", fake_scores)
    _checks.reduction(reduction)
    return reduce(-fake_scores, reduction)


def wasserstein_generator_grad(fake_scores: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`wasserstein_generator`)/d(fake_scores) in closed form:
    :math:`-1` everywhere (:math:`-1/n` for ``'mean'``)."""
    _checks.tensor("fake_scores", fake_scores)
    return torch.full_like(fake_scores, -scale(fake_scores.numel(), reduction))


# --- VAE: negative ELBO -----------------------------------------------------------
def _gaussian_kl_inputs(mu: torch.Tensor, logvar: torch.Tensor) -> None:
    _checks.pair("mu", mu, "logvar", logvar)
    _checks.ndim("mu", mu, (2,))


def _gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    r"""Per-sample KL divergence of :math:`\mathcal N(\mu, \operatorname{diag} e^{v})` from the prior.

    The prior is the standard normal :math:`\mathcal N(0, I)`; the KL term of :func:`elbo`
    (private: it has no reduction and no gradient of its own, so it is no catalog loss).

    Closed form, with :math:`v` = ``logvar`` (the log-variance, as VAE encoders output it):

    .. math:: D_{\mathrm{KL}} = -\tfrac12 \sum_j \big(1 + v_j - \mu_j^2 - e^{v_j}\big)
              = \tfrac12 \sum_j \big(\mu_j^2 + e^{v_j} - 1 - v_j\big) \ \ge 0,

    zero exactly when :math:`\mu = 0` and :math:`v = 0` (since :math:`e^v \ge 1 + v`).
    ``mu`` and ``logvar`` have shape (N, J), already checked; the result has shape (N,).
    """
    # expm1 keeps e^v - 1 accurate for small v, where 1 + v - e^v would cancel.
    return 0.5 * (mu.square() + torch.expm1(logvar) - logvar).sum(-1)


def _elbo_inputs(recon, target, mu, logvar, beta, recon_loss):
    _checks.pair("recon", recon, "target", target)
    _checks.min_ndim("recon", recon, 1, "(N, ...): one row per sample")
    _gaussian_kl_inputs(mu, logvar)
    _checks.same_dtype_device("recon", recon, "mu", mu)
    _checks.same_batch("recon", recon, "mu", mu)
    beta = _checks.number("beta", beta, low=0)
    _checks.choice("recon_loss", recon_loss, RECON_LOSSES)
    if recon_loss == "bce":
        _checks.in_unit_interval("recon", recon)
        _checks.in_unit_interval("target", target)
    return beta


def elbo(recon: torch.Tensor, target: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, *,
         beta: float = 1.0, recon_loss: str = "mse", reduction: str = "mean") -> torch.Tensor:
    r"""Negative ELBO of a VAE with a Gaussian encoder and a standard-normal prior.

    The course notes define the ELBO, to be *maximised*, as
    :math:`\mathbb{E}_{q(z|x)}[\log p(x|z)] - D_{\mathrm{KL}}(q(z|x)\,\|\,p(z))`, and then
    write the loss used in practice, to be *minimised*, as
    :math:`\|x - \hat x\|^2 + \beta\, D_{\mathrm{KL}}` — that is the negative ELBO (up to
    constants; β = 1 is the VAE, β ≠ 1 the β-VAE).  Per sample :math:`n`:

    .. math:: \ell_n = \sum_d \operatorname{rec}(\hat x_{nd}, x_{nd})
              + \beta \cdot \tfrac12 \sum_j \big(\mu_{nj}^2 + e^{v_{nj}} - 1 - v_{nj}\big)

    * ``recon_loss='mse'``: :math:`\operatorname{rec} = (\hat x - x)^2` — :math:`-\log p(x|z)`
      of a Gaussian decoder with fixed variance ½, up to a constant.
    * ``recon_loss='bce'``: :math:`\operatorname{rec} = -x\log\hat x - (1 - x)\log(1 - \hat x)`
      for a Bernoulli decoder; ``recon`` holds probabilities in [0, 1] (after a sigmoid),
      ``target`` values in [0, 1]; each log is clamped at −100 like ``F.binary_cross_entropy``.

    ``recon`` (the decoder output :math:`\hat x`, from one reparameterised sample
    :math:`z = \mu + e^{v/2}\varepsilon`) and ``target`` :math:`x` have shape (N, ...), ``mu``
    and ``logvar`` (N, J).  The reconstruction term is *summed* over each sample's
    elements; ``'mean'`` averages over the N samples (unlike ``F.mse_loss``, whose
    ``'mean'`` would also divide by the number of pixels and so silently re-weight β).
    ``'none'`` gives shape (N,).  The KL term is ``_gaussian_kl``.

    Gradient with respect to ``recon``: :math:`2(\hat x - x)` for ``'mse'``;
    :math:`-x/\hat x + (1 - x)/(1 - \hat x) = (\hat x - x)/(\hat x(1 - \hat x))` for ``'bce'``,
    where a log clamped at −100 contributes 0.  (The KL term does not depend on ``recon``.)
    """
    beta = _elbo_inputs(recon, target, mu, logvar, beta, recon_loss)
    _checks.reduction(reduction)
    if recon_loss == "mse":
        rec = (recon - target).square()
    else:
        rec = -(target * clamped_log(recon) + (1 - target) * clamped_log1m(recon))
    per_sample = rec.reshape(recon.shape[0], -1).sum(1) + beta * _gaussian_kl(mu, logvar)
    return reduce(per_sample, reduction)


def elbo_grad(recon: torch.Tensor, target: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, *,
              beta: float = 1.0, recon_loss: str = "mse", reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`elbo`)/d(recon) in closed form:
    :math:`2(\hat x - x)` for ``'mse'``; :math:`-x/\hat x + (1 - x)/(1 - \hat x)` for ``'bce'``.

    A log clamped at −100 contributes 0; the KL term does not depend on ``recon``;
    ``'mean'`` divides by the N samples.
    """
    _elbo_inputs(recon, target, mu, logvar, beta, recon_loss)
    if recon_loss == "mse":
        g = 2 * (recon - target)
    else:
        # -x/x̂ + (1-x)/(1-x̂) = (x̂ - x)/(x̂(1 - x̂)); a clamped log has derivative 0
        g = -(target * d_clamped_log(recon) + (1 - target) * d_clamped_log1m(recon))
    return g * scale(recon.shape[0], reduction)


# --- MMD --------------------------------------------------------------------------
def _mmd_inputs(x, y, bandwidth):
    _checks.tensor("x", x)
    _checks.tensor("y", y)
    _checks.same_dtype_device("x", x, "y", y)
    _checks.ndim("x", x, (2, 3))
    _checks.same_ndim("x", x, "y", y)
    _checks.same_last_dim("x", x, "y", y)
    if x.dim() == 3:
        _checks.same_batch("x", x, "y", y)
    _checks.non_empty("x", x)
    _checks.non_empty("y", y)
    return _checks.number("bandwidth", bandwidth, low=0, low_open=True)


def _gaussian_kernel(a: torch.Tensor, b: torch.Tensor, bandwidth: float):
    # squared distances from explicit differences: torch.cdist's gradient is NaN at distance 0
    # (the derivative of sqrt), which the diagonal of k(x, x) always hits.
    diff = a.unsqueeze(-2) - b.unsqueeze(-3)              # (..., N, M, D)
    return torch.exp(-diff.square().sum(-1) / (2 * bandwidth**2)), diff


def mmd(x: torch.Tensor, y: torch.Tensor, *, bandwidth: float = 1.0,
        reduction: str = "mean") -> torch.Tensor:
    r"""Squared maximum mean discrepancy with a Gaussian kernel (Gretton et al. 2012).

    With :math:`k(a, b) = \exp\!\big(-\|a - b\|^2 / (2\sigma^2)\big)`, :math:`\sigma` =
    ``bandwidth``, and samples :math:`x_1..x_N`, :math:`y_1..y_M`, the biased (V-statistic)
    estimate

    .. math:: \widehat{\mathrm{MMD}}^2 = \frac{1}{N^2}\sum_{i,i'} k(x_i, x_{i'})
              + \frac{1}{M^2}\sum_{j,j'} k(y_j, y_{j'}) - \frac{2}{NM}\sum_{i,j} k(x_i, y_j)

    is the squared distance between the two samples' mean feature embeddings, so it is
    :math:`\ge 0` (the Gaussian kernel is positive definite; round-off can leave about
    :math:`-10^{-16}`) and 0 when the two samples are equal.  A generator trained on it
    (a "GMMN") needs no discriminator.

    Shapes: ``x`` (N, D) and ``y`` (M, D) — N and M may differ, D may not — give one
    0-d value for every ``reduction``.  Batched ``x`` (B, N, D) and ``y`` (B, M, D) give one
    value per set: ``'none'`` returns shape (B,), ``'mean'`` averages over the B sets,
    ``'sum'`` adds them.

    Gradient with respect to :math:`x_i`:
    :math:`-\frac{2}{N^2\sigma^2}\sum_k k(x_i, x_k)(x_i - x_k)
    + \frac{2}{NM\sigma^2}\sum_k k(x_i, y_k)(x_i - y_k)`; a descent step therefore pushes the
    x points apart from one another and pulls them toward nearby y points.
    """
    bandwidth = _mmd_inputs(x, y, bandwidth)
    _checks.reduction(reduction)
    batched = x.dim() == 3
    xb, yb = (x, y) if batched else (x.unsqueeze(0), y.unsqueeze(0))
    kxx, _ = _gaussian_kernel(xb, xb, bandwidth)
    kyy, _ = _gaussian_kernel(yb, yb, bandwidth)
    kxy, _ = _gaussian_kernel(xb, yb, bandwidth)
    per_set = kxx.mean((-2, -1)) + kyy.mean((-2, -1)) - 2 * kxy.mean((-2, -1))
    # one pair of samples is one set: reducing one value gives it back, 0-d, for every reduction
    return reduce(per_set if batched else per_set[0], reduction)


def mmd_grad(x: torch.Tensor, y: torch.Tensor, *, bandwidth: float = 1.0,
             reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`mmd`)/d(x) in closed form:
    :math:`-\frac{2}{N^2\sigma^2}\sum_k k(x_i, x_k)(x_i - x_k)
    + \frac{2}{NM\sigma^2}\sum_k k(x_i, y_k)(x_i - y_k)`.

    Batched input: per set, ``'mean'`` divides by the B sets.
    """
    bandwidth = _mmd_inputs(x, y, bandwidth)
    _checks.reduction(reduction)
    batched = x.dim() == 3
    xb, yb = (x, y) if batched else (x.unsqueeze(0), y.unsqueeze(0))
    n, m = xb.shape[-2], yb.shape[-2]
    kxx, dxx = _gaussian_kernel(xb, xb, bandwidth)
    kxy, dxy = _gaussian_kernel(xb, yb, bandwidth)
    s2 = bandwidth**2
    g = (-2 / (n * n * s2) * (kxx.unsqueeze(-1) * dxx).sum(-2)
         + 2 / (n * m * s2) * (kxy.unsqueeze(-1) * dxy).sum(-2))
    return (g if batched else g[0]) * scale(xb.shape[0], reduction)


# --- perceptual -------------------------------------------------------------------
def _layers(name: str, out: object, n: int) -> list[torch.Tensor]:
    feats = list(out) if isinstance(out, (list, tuple)) else [out]
    if not feats:
        raise ValueError(f"{name} must return at least one feature tensor, got an empty {type(out).__name__}")
    for i, t in enumerate(feats):
        if not isinstance(t, torch.Tensor):
            raise TypeError(
                f"{name} must return a tensor or a list/tuple of tensors, got {type(t).__name__} at layer {i}"
            )
        _checks.tensor(f"{name} layer {i}", t)
        if t.dim() == 0 or t.shape[0] != n:
            raise ValueError(f"{name} layer {i} must have the batch size of input ({n}) in dim 0, "
                             f"got shape {tuple(t.shape)}")
        _checks.non_empty(f"{name} layer {i}", t)
    return feats


def _layer_weights(layer_weights: object, count: int) -> list[float]:
    if layer_weights is None:
        return [1.0] * count
    if isinstance(layer_weights, torch.Tensor):
        layer_weights = layer_weights.detach().flatten().tolist()
    if isinstance(layer_weights, (str, bytes)) or not isinstance(layer_weights, Sequence):
        raise TypeError(
            f"layer_weights must be None or a sequence of non-negative numbers, "
            f"got {type(layer_weights).__name__} {layer_weights!r}"
        )
    if len(layer_weights) != count:
        raise ValueError(
            f"layer_weights must have one weight per layer ({count} returned by feature_extractor), "
            f"got {len(layer_weights)}"
        )
    return [_checks.number(f"layer_weights[{i}]", w, low=0) for i, w in enumerate(layer_weights)]


def perceptual(input: torch.Tensor, target: torch.Tensor,
               feature_extractor: Callable[[torch.Tensor], torch.Tensor | Sequence[torch.Tensor]], *,
               layer_weights: Sequence[float] | None = None, reduction: str = "mean") -> torch.Tensor:
    r"""Perceptual (feature-reconstruction) loss, after Johnson et al. (2016).

    The course notes write :math:`\sum_l \lambda_l \|f_l(x) - f_l(\hat x)\|^2` with
    :math:`f_l` the features of layer :math:`l` of a pretrained network such as VGG.  Here,
    per sample :math:`n`, each layer's squared distance is divided by the number of
    feature elements per sample, :math:`n_l = C_l H_l W_l` — Johnson et al. divide by
    :math:`C_j H_j W_j` — so that large early layers do not drown small late ones:

    .. math:: \ell_n = \sum_l \frac{\lambda_l}{n_l}\,\big\|f_l(\hat x_n) - f_l(x_n)\big\|_2^2

    ``input`` (:math:`\hat x`, e.g. the generated image) and ``target`` (:math:`x`) have the
    same shape (N, ...).  ``feature_extractor`` is any callable mapping an (N, ...) tensor to
    a tensor or a list/tuple of tensors (one per layer), each (N, ...).  This package ships
    **no pretrained weights and downloads nothing**: to get VGG features pass in your own
    extractor (e.g. slices of ``torchvision.models.vgg16(weights=...).features`` in eval
    mode, with ImageNet normalisation).  ``layer_weights`` is None (every
    :math:`\lambda_l = 1`) or one non-negative number per layer.  ``'mean'`` averages over
    the N samples; ``'none'`` gives shape (N,).  Gradients flow into both arguments;
    detach ``target`` if it is a fixed image.  With the identity as the one layer this is
    the per-sample mean squared error.

    No closed-form gradient is given: it depends on the Jacobian :math:`J_l` of the
    feature extractor, :math:`\partial\ell_n/\partial\hat x_n
    = \sum_l \tfrac{2\lambda_l}{n_l} J_l^\top (f_l(\hat x_n) - f_l(x_n))`, which only
    autograd knows; for a fixed linear extractor :math:`f(x) = Ax` it is
    :math:`2\lambda A^\top(A\hat x - Ax)/n_l`.
    """
    _checks.pair("input", input, "target", target)
    _checks.min_ndim("input", input, 1, "(N, ...): one row per sample")
    _checks.callable_("feature_extractor", feature_extractor)
    _checks.reduction(reduction)
    n = input.shape[0]
    f_in = _layers("feature_extractor(input)", feature_extractor(input), n)
    f_tg = _layers("feature_extractor(target)", feature_extractor(target), n)
    if len(f_tg) != len(f_in):
        raise ValueError(
            f"feature_extractor(target) must return as many layers as feature_extractor(input) "
            f"({len(f_in)}), got {len(f_tg)}"
        )
    weights = _layer_weights(layer_weights, len(f_in))
    per_sample = input.new_zeros(n)
    for i, (a, b, w) in enumerate(zip(f_in, f_tg, weights, strict=True)):
        _checks.same_shape(f"feature_extractor(input) layer {i}", a,
                           f"feature_extractor(target) layer {i}", b)
        per_layer = (a - b).square().reshape(n, -1)
        per_sample = per_sample + w * per_layer.sum(1) / per_layer.shape[1]
    return reduce(per_sample, reduction)

