"""Information measures: surprise, entropy and KL divergence.

All take probabilities (not logits).  ``base`` picks the unit: ``math.e`` (default) gives
nats, ``2`` gives bits; every value in nats is divided by ``ln(base)``.
The convention 0·log 0 = 0 is used (``torch.xlogy``).
"""

from __future__ import annotations

import math

import torch

from . import _checks
from ._reduce import reduce, scale

__all__ = ["self_information", "self_information_grad", "entropy", "entropy_grad",
           "kl_div", "kl_div_grad"]


def _log_base(base) -> float:
    base = _checks.number("base", base, low=0, low_open=True)
    if base == 1:
        raise ValueError("base must be > 0 and != 1, got 1")
    return math.log(base)


def _distribution(name: str, p: torch.Tensor, dim: int) -> int:
    _checks.tensor(name, p)
    _checks.non_empty(name, p)
    d = _checks.dim_index("dim", dim, p)
    _checks.in_unit_interval(name, p)
    _checks.sums_to_one(name, p, d)
    return d


# --- self-information ---------------------------------------------------------------
def self_information(p: torch.Tensor, *, base: float = math.e, reduction: str = "mean") -> torch.Tensor:
    r"""Surprise (self-information) of events with probability ``p``: :math:`I(p) = -\log_b p`.

    I(1) = 0 (no surprise), I(p) → ∞ as p → 0 (an "impossible" event costs without bound),
    and the surprise of independent events adds: I(pq) = I(p) + I(q).
    ``'mean'`` averages over all elements (the average surprise).
    Gradient: :math:`\partial I/\partial p = -1 / (p \ln b)`.
    """
    _checks.tensor("p", p)
    _checks.in_unit_interval("p", p)
    _checks.reduction(reduction)
    return reduce(-torch.log(p) / _log_base(base), reduction)


def self_information_grad(p: torch.Tensor, *, base: float = math.e, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`self_information`)/d(p) in closed form:
    :math:`-1 / (p \ln b)` (times 1/n for ``'mean'``)."""
    _checks.tensor("p", p)
    _checks.in_unit_interval("p", p)
    return -1.0 / (p * _log_base(base)) * scale(p.numel(), reduction)


# --- entropy ------------------------------------------------------------------------
def entropy(p: torch.Tensor, *, dim: int = -1, base: float = math.e, reduction: str = "mean") -> torch.Tensor:
    r"""Shannon entropy of the distributions along ``dim``: :math:`H(p) = -\sum_i p_i \log_b p_i`.

    The expected surprise.  0 for a one-hot distribution, :math:`\log_b K` for the uniform
    one over K outcomes (the maximum).  ``'none'`` returns one entropy per distribution
    (``dim`` removed); ``'mean'`` averages over the distributions.
    Gradient (each :math:`p_i` as a free variable):
    :math:`\partial H/\partial p_i = -(\ln p_i + 1) / \ln b`.
    """
    d = _distribution("p", p, dim)
    _checks.reduction(reduction)
    return reduce(-torch.xlogy(p, p).sum(d) / _log_base(base), reduction)


def entropy_grad(p: torch.Tensor, *, dim: int = -1, base: float = math.e,
                 reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`entropy`)/d(p) in closed form:
    :math:`-(\ln p_i + 1) / \ln b`, each :math:`p_i` a free variable."""
    d = _distribution("p", p, dim)
    n_dist = p.numel() // p.shape[d]
    return -(torch.log(p) + 1) / _log_base(base) * scale(n_dist, reduction)


# --- KL divergence ------------------------------------------------------------------
def kl_div(p: torch.Tensor, q: torch.Tensor, *, dim: int = -1, base: float = math.e,
           reduction: str = "mean") -> torch.Tensor:
    r"""Kullback–Leibler divergence :math:`D_{KL}(p \| q) = \sum_i p_i (\log p_i - \log q_i)`.

    Mathematical order: the first argument is the reference distribution ``p`` (the labels),
    the second the model ``q``; both are probabilities along ``dim``.
    ``D(p‖q) = H(p, q) − H(p)`` ≥ 0, = 0 iff p = q, and not symmetric.
    ``'none'`` returns one divergence per distribution; ``'mean'`` averages over distributions.

    PyTorch's ``F.kl_div`` takes the arguments reversed and in log space:
    ``kl_div(p, q)`` equals ``F.kl_div(q.log(), p, reduction='batchmean')`` for (N, C) inputs
    (and ``reduction='sum'`` matches ``'sum'``; PyTorch's own ``'mean'`` divides by N·C).
    Gradient w.r.t. ``p`` (free variables):
    :math:`\partial D/\partial p_i = (\ln p_i - \ln q_i + 1)/\ln b`;
    w.r.t. ``q`` (what a model trains): :math:`-p_i / (q_i \ln b)`.
    """
    d = _distribution("p", p, dim)
    _distribution("q", q, dim)
    _checks.same_shape("p", p, "q", q)
    _checks.same_dtype_device("p", p, "q", q)
    _checks.reduction(reduction)
    # xlogy(p, p) - xlogy(p, q): terms with p = 0 contribute 0; q = 0 where p > 0 gives +inf
    per = (torch.xlogy(p, p) - torch.xlogy(p, q)).sum(d) / _log_base(base)
    return reduce(per, reduction)


def kl_div_grad(p: torch.Tensor, q: torch.Tensor, *, dim: int = -1, base: float = math.e,
                reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`kl_div`)/d(p) in closed form:
    :math:`(\ln p_i - \ln q_i + 1)/\ln b`, each :math:`p_i` a free variable."""
    d = _distribution("p", p, dim)
    _distribution("q", q, dim)
    _checks.same_shape("p", p, "q", q)
    n_dist = p.numel() // p.shape[d]
    return (torch.log(p) - torch.log(q) + 1) / _log_base(base) * scale(n_dist, reduction)
