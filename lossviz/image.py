r"""Image losses: soft Dice, soft IoU (Jaccard) for segmentation masks, and SSIM.

Each function returns the unreduced loss reduced by ``reduction`` ('none' | 'mean' |
'sum'); each ``*_grad`` function takes the same arguments and returns d(reduced loss)/d(input)
in closed form.

Dice and IoU take ``input`` probabilities of shape (N, C, *spatial) (e.g. a sigmoid or
softmax output) and a ``target`` mask of the same shape, both in [0, 1]; the sums run over the
spatial positions of each (sample, channel) pair.  SSIM takes images (N, C, H, W).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from . import _checks
from ._reduce import reduce, scale

__all__ = ["dice", "dice_grad", "iou", "iou_grad", "ssim", "ssim_grad"]


# --- Dice and IoU ---------------------------------------------------------------------
def _dice_iou_inputs(input: torch.Tensor, target: torch.Tensor, smooth: object):
    """Validate; return (p, t, smooth) with p, t flattened to (N, C, spatial)."""
    _checks.tensor("input", input)
    _checks.tensor("target", target)
    _checks.min_ndim("input", input, 3, "N, C, *spatial")
    _checks.same_shape("input", input, "target", target)
    _checks.same_dtype_device("input", input, "target", target)
    _checks.in_unit_interval("input", input)
    _checks.in_unit_interval("target", target)
    smooth = float(_checks.number("smooth", smooth, low=0))
    return input.flatten(2), target.flatten(2), smooth


def dice(input: torch.Tensor, target: torch.Tensor, *, smooth: float = 1.0,
         reduction: str = "mean") -> torch.Tensor:
    r"""Soft Dice loss, as the ``DiceLoss`` class of the course notes (document 004).

    Per (sample n, channel c), summing over the spatial positions i:

    .. math::
        I = \sum_i p_i t_i,\quad
        D = \frac{2I + s}{\sum_i p_i + \sum_i t_i + s},\quad \ell = 1 - D.

    ``input`` p and ``target`` t: probabilities of shape (N, C, *spatial) (at least 3
    dimensions), both in [0, 1]; ``smooth`` s ≥ 0.  Since :math:`2p t \le p + t` on [0, 1],
    D ≤ 1 and the loss lies in [0, 1]; a perfect binary prediction (p = t ∈ {0, 1}) gives 0
    exactly, for any s.  The smoothing s keeps an empty target with an empty prediction at
    D = s/s = 1 (loss 0); with s = 0 such a pair is 0/0 and is refused with a ValueError.

    ``'none'`` gives the (N, C) losses; ``'mean'`` averages over all N·C (sample, channel)
    pairs — the notes' ``1 - dice.mean()``; ``'sum'`` adds them.

    Gradient, with :math:`S = \sum p + \sum t + s`:
    :math:`\partial\ell/\partial p_i = (D - 2t_i)/S`.
    """
    p, t, smooth = _dice_iou_inputs(input, target, smooth)
    _checks.reduction(reduction)
    inter = (p * t).sum(-1)
    p_sum, t_sum = p.sum(-1), t.sum(-1)
    _checks.not_both_empty(smooth, p_sum, t_sum)
    d = (2 * inter + smooth) / (p_sum + t_sum + smooth)
    return reduce(1 - d, reduction)


def dice_grad(input: torch.Tensor, target: torch.Tensor, *, smooth: float = 1.0,
              reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`dice`)/d(input) in closed form:
    :math:`(D - 2t_i)/S`, :math:`S = \sum p + \sum t + s`, per (sample, channel)."""
    p, t, smooth = _dice_iou_inputs(input, target, smooth)
    p_sum, t_sum = p.sum(-1, keepdim=True), t.sum(-1, keepdim=True)
    _checks.not_both_empty(smooth, p_sum, t_sum)
    den = p_sum + t_sum + smooth
    d = (2 * (p * t).sum(-1, keepdim=True) + smooth) / den
    g = (d - 2 * t) / den
    return g.reshape(input.shape) * scale(p.shape[0] * p.shape[1], reduction)


def iou(input: torch.Tensor, target: torch.Tensor, *, smooth: float = 1.0,
        reduction: str = "mean") -> torch.Tensor:
    r"""Soft IoU (Jaccard) loss.

    Per (sample n, channel c), summing over the spatial positions i:

    .. math::
        I = \sum_i p_i t_i,\quad U = \sum_i p_i + \sum_i t_i - I,\quad
        J = \frac{I + s}{U + s},\quad \ell = 1 - J.

    Same inputs as :func:`dice`: probabilities (N, C, *spatial) in [0, 1], ``smooth`` s ≥ 0
    (s = 0 with an all-zero prediction and target is 0/0 and refused).  U ≥ I, so the loss
    lies in [0, 1].  With s = 0, J = D/(2 − D) for the Dice coefficient D of the same masks
    (both are ratios of the same I and Σp + Σt), so the two losses rank predictions alike but
    IoU punishes a partial overlap harder.

    ``'none'`` gives the (N, C) losses; ``'mean'`` averages over all N·C (sample, channel)
    pairs; ``'sum'`` adds them.

    Gradient: :math:`\partial\ell/\partial p_i = (J(1 - t_i) - t_i)/(U + s)`.
    """
    p, t, smooth = _dice_iou_inputs(input, target, smooth)
    _checks.reduction(reduction)
    inter = (p * t).sum(-1)
    p_sum, t_sum = p.sum(-1), t.sum(-1)
    _checks.not_both_empty(smooth, p_sum, t_sum)
    j = (inter + smooth) / (p_sum + t_sum - inter + smooth)
    return reduce(1 - j, reduction)


def iou_grad(input: torch.Tensor, target: torch.Tensor, *, smooth: float = 1.0,
             reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`iou`)/d(input) in closed form:
    :math:`(J(1 - t_i) - t_i)/(U + s)` per (sample, channel)."""
    p, t, smooth = _dice_iou_inputs(input, target, smooth)
    p_sum, t_sum = p.sum(-1, keepdim=True), t.sum(-1, keepdim=True)
    _checks.not_both_empty(smooth, p_sum, t_sum)
    inter = (p * t).sum(-1, keepdim=True)
    den = p_sum + t_sum - inter + smooth
    j = (inter + smooth) / den
    g = (j * (1 - t) - t) / den
    return g.reshape(input.shape) * scale(p.shape[0] * p.shape[1], reduction)


# --- SSIM -----------------------------------------------------------------------------
def _ssim_inputs(input, target, window_size, sigma, data_range, K1, K2):
    _checks.tensor("input", input)
    _checks.tensor("target", target)
    _checks.ndim("input", input, (4,))
    _checks.same_shape("input", input, "target", target)
    _checks.same_dtype_device("input", input, "target", target)
    window_size = int(_checks.number("window_size", window_size, low=1, integer=True))
    _checks.odd("window_size", window_size)
    _checks.image_size("input", input, window_size)
    sigma = float(_checks.number("sigma", sigma, low=0, low_open=True))
    data_range = float(_checks.number("data_range", data_range, low=0, low_open=True))
    K1 = float(_checks.number("K1", K1, low=0, low_open=True))
    K2 = float(_checks.number("K2", K2, low=0, low_open=True))
    # normalised 1-D Gaussian, centred: g_k ∝ exp(-(k - (w-1)/2)^2 / (2σ^2)); the 2-D window is g gᵀ
    k = torch.arange(window_size, dtype=torch.float64) - (window_size - 1) / 2
    g = torch.exp(-k.square() / (2 * sigma**2))
    g = (g / g.sum()).to(dtype=input.dtype, device=input.device)
    return g, (K1 * data_range) ** 2, (K2 * data_range) ** 2


def _blur(x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """Separable Gaussian, 'valid' (no padding), each channel on its own (groups)."""
    c, w = x.shape[1], g.numel()
    x = F.conv2d(x, g.reshape(1, 1, w, 1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, g.reshape(1, 1, 1, w).repeat(c, 1, 1, 1), groups=c)


def _blur_t(m: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """Adjoint of :func:`_blur` (the map back onto the image grid): conv_transpose2d."""
    c, w = m.shape[1], g.numel()
    m = F.conv_transpose2d(m, g.reshape(1, 1, 1, w).repeat(c, 1, 1, 1), groups=c)
    return F.conv_transpose2d(m, g.reshape(1, 1, w, 1).repeat(c, 1, 1, 1), groups=c)


def _ssim_terms(x, y, g, c1, c2):
    n, c = x.shape[:2]
    # one grouped convolution for the five local means
    mu_x, mu_y, e_xx, e_yy, e_xy = _blur(torch.cat([x, y, x * x, y * y, x * y], 1), g).split(c, 1)
    # population (not sample) variances and covariance under the Gaussian weights
    var_x = e_xx - mu_x.square()
    var_y = e_yy - mu_y.square()
    cov = e_xy - mu_x * mu_y
    lum = 2 * mu_x * mu_y + c1
    st = 2 * cov + c2
    d1 = mu_x.square() + mu_y.square() + c1
    d2 = var_x + var_y + c2
    var_d = var_x + var_y - 2 * cov  # local variance of x - y: exactly 0 where x = y
    return dict(mu_x=mu_x, mu_y=mu_y, lum=lum, st=st, d1=d1, d2=d2, var_d=var_d, s=lum * st / (d1 * d2))


def ssim(input: torch.Tensor, target: torch.Tensor, *, window_size: int = 11, sigma: float = 1.5,
         data_range: float = 1.0, K1: float = 0.01, K2: float = 0.03,
         reduction: str = "mean") -> torch.Tensor:
    r"""SSIM as a loss: :math:`1 - \overline{\mathrm{SSIM}}(x, y)` (Wang et al. 2004).

    Local statistics under a normalised Gaussian window (``window_size`` × ``window_size``,
    standard deviation ``sigma``, separable, applied to each channel separately, 'valid' —
    no padding): means :math:`\mu_x, \mu_y`, population variances
    :math:`\sigma_x^2 = E[x^2] - \mu_x^2` and covariance :math:`\sigma_{xy} = E[xy] - \mu_x\mu_y`.
    At each position of the map

    .. math::
        \mathrm{SSIM} = \frac{(2\mu_x\mu_y + C_1)(2\sigma_{xy} + C_2)}
                             {(\mu_x^2 + \mu_y^2 + C_1)(\sigma_x^2 + \sigma_y^2 + C_2)},\quad
        C_1 = (K_1 L)^2,\ C_2 = (K_2 L)^2,

    with L = ``data_range`` (1 for images in [0, 1], 255 for 8-bit).  SSIM is symmetric in
    x and y, at most 1, and equals 1 only where the two windows agree (so ssim(x, x) = 0).
    The loss lies in [0, 2].  Images (N, C, H, W) with H, W ≥ ``window_size`` (odd).

    ``'none'`` gives one loss per image, 1 − the mean of the SSIM map over its channels and
    positions; ``'mean'`` averages those over the N images; ``'sum'`` adds them.  Matches
    ``pytorch_msssim.ssim(x, y, data_range=L, size_average=False, win_size=w, win_sigma=σ)``.

    Gradient (see :func:`ssim_grad`): through the transposed convolution.
    """
    g, c1, c2 = _ssim_inputs(input, target, window_size, sigma, data_range, K1, K2)
    _checks.reduction(reduction)
    s = _ssim_terms(input, target, g, c1, c2)["s"]
    return reduce(1 - s.mean(dim=(1, 2, 3)), reduction)


def ssim_grad(input: torch.Tensor, target: torch.Tensor, *, window_size: int = 11, sigma: float = 1.5,
              data_range: float = 1.0, K1: float = 0.01, K2: float = 0.03,
              reduction: str = "mean") -> torch.Tensor:
    r"""d(reduced SSIM loss)/d(input) in closed form.

    With :math:`\Lambda = 2\mu_x\mu_y + C_1`, :math:`\Sigma = 2\sigma_{xy} + C_2`,
    :math:`D_1 = \mu_x^2 + \mu_y^2 + C_1`, :math:`D_2 = \sigma_x^2 + \sigma_y^2 + C_2`,
    :math:`s = \Lambda\Sigma/(D_1 D_2)`, the partials at each map position are

    * :math:`A = \partial s/\partial\mu_x = 2\mu_y\Sigma/(D_1 D_2) - 2\mu_x s/D_1
      = -2\Sigma(\mu_x - \mu_y)(\mu_y(\mu_x + \mu_y) + C_1)/(D_1^2 D_2)`,
    * :math:`B = \partial s/\partial\sigma_x^2 = -s/D_2`,
    * :math:`C = \partial s/\partial\sigma_{xy} = 2\Lambda/(D_1 D_2)`.

    As :math:`\mu_x = w * x`, :math:`\sigma_x^2 = w * x^2 - \mu_x^2`,
    :math:`\sigma_{xy} = w * (xy) - \mu_x\mu_y`, the chain rule through the (linear) window
    uses its adjoint :math:`w^\top` (``conv_transpose2d``):

    .. math::
        \frac{\partial \bar s}{\partial x} = \frac1M\Big[w^\top(A - 2B\mu_x - C\mu_y)
        + 2x\,w^\top(B) + y\,w^\top(C)\Big],

    M = C·H'·W' the size of one image's map; the loss is 1 − s̄, so its gradient is minus
    this, times the reduction's factor.

    Computed in the regrouped, equal form
    :math:`\frac1M[w^\top(A - \mu_x E + C(\mu_x - \mu_y)) + x\,w^\top(E) - (x - y)\,w^\top(C)]`
    with :math:`E = 2B + C = C\,(\sigma_x^2 + \sigma_y^2 - 2\sigma_{xy})/D_2`: near x = y the
    terms 2B and C are each about ±2/C₂ (≈ 2200 for L = 1) and cancel, which in float32 leaves
    noise of ~1e-6; regrouped, every term is proportional to the difference between x and y
    and the gradient at x = y is exactly 0.
    """
    g, c1, c2 = _ssim_inputs(input, target, window_size, sigma, data_range, K1, K2)
    st = _ssim_terms(input, target, g, c1, c2)
    mu_x, d1, d2 = st["mu_x"], st["d1"], st["d2"]
    d_mu = mu_x - st["mu_y"]
    c = 2 * st["lum"] / (d1 * d2)
    a = -2 * st["st"] * d_mu * (st["mu_y"] * (mu_x + st["mu_y"]) + c1) / (d1.square() * d2)
    e = c * st["var_d"] / d2  # = 2B + C
    ch = input.shape[1]
    t_a, t_e, t_c = _blur_t(torch.cat([a - mu_x * e + c * d_mu, e, c], 1), g).split(ch, 1)
    m = mu_x[0].numel()
    return -(t_a + input * t_e - (input - target) * t_c) / m * scale(input.shape[0], reduction)
