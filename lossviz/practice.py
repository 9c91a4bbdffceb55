"""Losses of training practice: weight penalties and the weighting of several task losses.

Each function returns the unreduced values reduced by ``reduction`` ('none' | 'mean' |
'sum').  Each ``*_grad`` function takes the same arguments and returns d(reduced loss)/d(first
argument) in closed form.
"""

from __future__ import annotations

import torch

from . import _checks
from ._reduce import reduce, scale

__all__ = ["l1_penalty", "l1_penalty_grad", "l2_penalty", "l2_penalty_grad",
           "uncertainty_weighting", "uncertainty_weighting_grad"]


# --- L1 / L2 penalties ---------------------------------------------------------------
def l1_penalty(input: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""L1 (lasso) penalty of the weights ``input``: :math:`|w|` per element.

    ``'sum'`` gives :math:`\lVert w\rVert_1`, the penalty usually added to a loss as
    :math:`\lambda\lVert w\rVert_1`; ``'mean'`` (the default, as everywhere in lossviz) averages
    over all elements, i.e. :math:`\lVert w\rVert_1 / n`.  Gradient: :math:`\operatorname{sign}(w)`
    (0 at w = 0, as autograd): a pull of constant size towards 0 whatever the size of w,
    which is why L1 drives small weights exactly to zero (sparsity).
    Equals ``F.l1_loss(w, zeros)``.
    """
    _checks.tensor("input", input)
    _checks.reduction(reduction)
    return reduce(input.abs(), reduction)


def l1_penalty_grad(input: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`l1_penalty`)/d(input) in closed form:
    :math:`\operatorname{sign}(w)` (0 at w = 0; times 1/n for ``'mean'``)."""
    _checks.tensor("input", input)
    return torch.sign(input) * scale(input.numel(), reduction)


def l2_penalty(input: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""L2 (ridge, Tikhonov) penalty of the weights ``input``: :math:`w^2` per element.

    ``'sum'`` gives :math:`\lVert w\rVert_2^2`; ``'mean'`` (the default) averages over all
    elements, :math:`\lVert w\rVert_2^2 / n`.  Gradient: :math:`2w` -- a pull proportional to
    the weight, so large weights shrink fast and small ones hardly at all (no exact zeros).
    Weight decay λ in plain SGD (``torch.optim.SGD(weight_decay=λ)`` adds :math:`\lambda w`
    to the gradient) is the same as adding the penalty :math:`\tfrac12\lambda\lVert w\rVert_2^2`
    to the loss; with adaptive optimizers it is not (AdamW's decoupled decay is not an L2
    penalty).  Equals ``F.mse_loss(w, zeros)``.
    """
    _checks.tensor("input", input)
    _checks.reduction(reduction)
    return reduce(input.square(), reduction)


def l2_penalty_grad(input: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`l2_penalty`)/d(input) in closed form:
    :math:`2w` (times 1/n for ``'mean'``)."""
    _checks.tensor("input", input)
    return 2 * input * scale(input.numel(), reduction)


# --- uncertainty weighting (Kendall, Gal & Cipolla 2018) -----------------------------
def _uncertainty_weighting_inputs(losses, log_vars):
    _checks.tensor("losses", losses)
    _checks.tensor("log_vars", log_vars)
    _checks.same_shape("losses", losses, "log_vars", log_vars)
    _checks.same_dtype_device("losses", losses, "log_vars", log_vars)
    # with a negative task loss the objective is unbounded below in s (s -> -inf)
    _checks.nonnegative_values("losses", losses)


def uncertainty_weighting(losses: torch.Tensor, log_vars: torch.Tensor, *,
                          reduction: str = "mean") -> torch.Tensor:
    r"""Multi-task loss weighting by homoscedastic uncertainty (Kendall, Gal & Cipolla 2018).

    ``losses``: the task losses :math:`L_i` (≥ 0), ``log_vars``: learnable
    :math:`s_i = \log\sigma_i^2`, same shape (T,) (or any same shape).  As written in the
    notes, :math:`\mathcal L = \sum_i \frac{1}{2\sigma_i^2} L_i + \log\sigma_i`, i.e. per task

    .. math:: \ell_i = \tfrac12 e^{-s_i} L_i + \tfrac12 s_i .

    Learning s instead of σ keeps the weight :math:`e^{-s}/2` positive and avoids dividing by
    zero.  A noisy task (large σ) gets a small weight, and the :math:`\tfrac12 s_i` term stops
    every σ from growing without bound.  (Kendall et al. derive ½ from a Gaussian likelihood
    for regression; their classification variant uses the weight :math:`1/\sigma^2`, i.e.
    :math:`e^{-s}L + \tfrac12 s`.)  ``'none'`` returns the per-task terms, ``'sum'`` is the
    paper's total, ``'mean'`` (the default) averages over the tasks.  The terms can be negative
    (when :math:`s_i < 0`).

    Gradients: :math:`\partial\ell_i/\partial L_i = \tfrac12 e^{-s_i}` (returned by the
    ``_grad`` function), :math:`\partial\ell_i/\partial s_i = \tfrac12 - \tfrac12 e^{-s_i} L_i`,
    which vanishes at :math:`s_i^* = \log L_i` (σ² = L: the weight becomes :math:`1/(2L_i)`),
    where :math:`\ell_i = \tfrac12 + \tfrac12\log L_i`.
    """
    _uncertainty_weighting_inputs(losses, log_vars)
    _checks.reduction(reduction)
    return reduce(0.5 * torch.exp(-log_vars) * losses + 0.5 * log_vars, reduction)


def uncertainty_weighting_grad(losses: torch.Tensor, log_vars: torch.Tensor, *,
                               reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`uncertainty_weighting`)/d(losses) in closed form:
    :math:`\tfrac12 e^{-s_i}` (times 1/n for ``'mean'``)."""
    _uncertainty_weighting_inputs(losses, log_vars)
    return 0.5 * torch.exp(-log_vars) * scale(losses.numel(), reduction)
