"""Regression losses: a prediction ``input`` against a real-valued ``target``.

Each function returns the unreduced loss reduced by ``reduction`` ('none' | 'mean' |
'sum'; 'mean' averages over every element).  Each ``*_grad`` function takes the same
arguments and returns d(reduced loss)/d(input) in closed form.
"""

from __future__ import annotations

import math

import torch

from . import _checks
from ._reduce import reduce, scale

__all__ = ["mse", "mse_grad", "rmse", "rmse_grad", "mae", "mae_grad", "huber", "huber_grad",
           "log_cosh", "log_cosh_grad", "quantile", "quantile_grad"]


# --- MSE --------------------------------------------------------------------------
def mse(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Mean squared error, like ``F.mse_loss`` (which broadcasts; this refuses).

    Per element: :math:`\ell = (x - y)^2`.  ``'mean'`` averages over all elements.
    Gradient: :math:`\partial\ell/\partial x = 2(x - y)`.
    MSE is the negative log-likelihood of a Gaussian with fixed variance (up to constants),
    so its minimiser over a constant prediction is the mean of the targets.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    return reduce((input - target).square(), reduction)


def mse_grad(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`mse`)/d(input) in closed form:
    :math:`2(x - y)` (times 1/n for ``'mean'``)."""
    _checks.pair("input", input, "target", target)
    return 2 * (input - target) * scale(input.numel(), reduction)


# --- RMSE -------------------------------------------------------------------------
def _rmse_inputs(input: torch.Tensor, dim):
    if dim is None:
        return tuple(range(input.dim()))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return tuple(_checks.dim_index("dim", d, input) for d in dims)


def rmse(input: torch.Tensor, target: torch.Tensor, *, dim: int | tuple[int, ...] | None = None,
         reduction: str = "mean") -> torch.Tensor:
    r"""Root mean squared error: :math:`\sqrt{\tfrac1n\sum (x_i - y_i)^2}` over ``dim``.

    ``dim=None`` (default) gives the usual single RMSE over every element; ``dim=-1`` gives
    one RMSE per row, which ``reduction`` then averages (``'mean'``) or adds (``'sum'``).
    Note: the mean of per-row RMSEs is not the RMSE of all elements (Jensen).
    Gradient: :math:`\partial r/\partial x_i = (x_i - y_i) / (n\, r)`; at ``r = 0`` the
    subgradient 0 is returned.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    dims = _rmse_inputs(input, dim)
    per = (input - target).square().mean(dim=dims).sqrt()
    return reduce(per, reduction)


def rmse_grad(input: torch.Tensor, target: torch.Tensor, *, dim: int | tuple[int, ...] | None = None,
              reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`rmse`)/d(input) in closed form:
    :math:`(x_i - y_i) / (n\, r)` per RMSE r over ``dim``; 0 where r = 0."""
    _checks.pair("input", input, "target", target)
    dims = _rmse_inputs(input, dim)
    diff = input - target
    n = math.prod(input.shape[d] for d in dims) if dims else 1
    r = diff.square().mean(dim=dims, keepdim=True).sqrt()
    g = torch.where(r > 0, diff / (n * r.clamp_min(torch.finfo(r.dtype).tiny)), torch.zeros_like(diff))
    return g * scale(r.numel(), reduction)


# --- MAE --------------------------------------------------------------------------
def mae(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Mean absolute error, like ``F.l1_loss``.

    Per element: :math:`\ell = |x - y|`.  ``'mean'`` averages over all elements.
    Gradient: :math:`\operatorname{sign}(x - y)` (0 at the kink, as autograd).  The
    constant-size gradient is why MAE is robust to outliers and also why it does not slow
    down near the optimum; a constant minimising MAE is a median of the targets.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    return reduce((input - target).abs(), reduction)


def mae_grad(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`mae`)/d(input) in closed form:
    :math:`\operatorname{sign}(x - y)` (0 at the kink; times 1/n for ``'mean'``)."""
    _checks.pair("input", input, "target", target)
    return torch.sign(input - target) * scale(input.numel(), reduction)


# --- Huber ------------------------------------------------------------------------
def huber(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean",
          delta: float = 1.0) -> torch.Tensor:
    r"""Huber loss, like ``F.huber_loss(delta=...)``.

    With :math:`d = x - y`:
    :math:`\ell = \tfrac12 d^2` if :math:`|d| \le \delta`, else :math:`\delta(|d| - \tfrac12\delta)`.
    Gradient: :math:`\operatorname{clip}(d, -\delta, \delta)` — MSE-like inside the band,
    MAE-like (constant size :math:`\delta`) outside.  Small δ: ℓ ≈ δ·|d|;
    large δ: ℓ = d²/2 (half the MSE).  With δ = 1 it equals SmoothL1 (β = 1).
    ``'mean'`` averages over all elements.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    delta = _checks.number("delta", delta, low=0, low_open=True)
    d = input - target
    # with c = clip(d, -δ, δ):  c·(d − c/2) = d²/2 inside the band and δ(|d| − δ/2) outside
    # (one expression for both branches, and the clip is also the gradient)
    # (F.hardtanh is that clip as one kernel, whose backward is about twice as fast as clamp's here)
    c = torch.nn.functional.hardtanh(d, -delta, delta)
    return reduce(c * (d - 0.5 * c), reduction)


def huber_grad(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean",
               delta: float = 1.0) -> torch.Tensor:
    r"""d(:func:`huber`)/d(input) in closed form:
    :math:`\operatorname{clip}(x - y, -\delta, \delta)` (times 1/n for ``'mean'``)."""
    _checks.pair("input", input, "target", target)
    delta = _checks.number("delta", delta, low=0, low_open=True)
    return (input - target).clamp(-delta, delta) * scale(input.numel(), reduction)


# --- log-cosh ---------------------------------------------------------------------
def log_cosh(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Log-cosh loss: :math:`\ell = \log\cosh(x - y)`.

    ≈ d²/2 for small errors, ≈ |d| − log 2 for large ones; smooth everywhere.
    Computed without overflow through the identity
    :math:`\log\cosh d = |d| + \log(1 + e^{-2|d|}) - \log 2` (``cosh(100)`` overflows
    float32, this form gives 99.3069).  Gradient: :math:`\tanh(x - y)`.
    ``'mean'`` averages over all elements.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    a = (input - target).abs()
    return reduce(a + torch.log1p(torch.exp(-2 * a)) - math.log(2.0), reduction)


def log_cosh_grad(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`log_cosh`)/d(input) in closed form:
    :math:`\tanh(x - y)` (times 1/n for ``'mean'``)."""
    _checks.pair("input", input, "target", target)
    return torch.tanh(input - target) * scale(input.numel(), reduction)


# --- quantile (pinball) -----------------------------------------------------------
def quantile(input: torch.Tensor, target: torch.Tensor, *, q: float = 0.5,
             reduction: str = "mean") -> torch.Tensor:
    r"""Quantile (pinball) loss for the q-th quantile, 0 < q < 1.

    With the residual :math:`e = y - x`: :math:`\ell = q\,e` if :math:`e \ge 0`
    (under-prediction) else :math:`(q - 1)\,e`.  Under-predictions cost q per unit,
    over-predictions 1 − q, so the constant minimising it is the q-quantile of the targets;
    q = 0.5 gives half the MAE.  ``'mean'`` averages over all elements.
    Gradient: :math:`\partial\ell/\partial x = -q` if :math:`e \ge 0` else :math:`1 - q`.
    """
    _checks.pair("input", input, "target", target)
    _checks.reduction(reduction)
    q = _checks.number("q", q, low=0, high=1, low_open=True, high_open=True)
    e = target - input
    return reduce(torch.where(e >= 0, q * e, (q - 1) * e), reduction)


def quantile_grad(input: torch.Tensor, target: torch.Tensor, *, q: float = 0.5,
                  reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`quantile`)/d(input) in closed form:
    :math:`-q` where :math:`y - x \ge 0`, else :math:`1 - q`."""
    _checks.pair("input", input, "target", target)
    q = _checks.number("q", q, low=0, high=1, low_open=True, high_open=True)
    e = target - input
    g = torch.where(e >= 0, torch.full_like(e, -q), torch.full_like(e, 1 - q))
    return g * scale(input.numel(), reduction)
