r"""The stable primitives every family shares: softplus, clamped log, safe power, log-sum-exp.

Each is finite for every input a loss can meet (logits of ±1e4, probabilities of exactly 0
or 1) and so is its autograd; where a loss needs the derivative in closed form, its partner
``d_<name>`` sits right below it.

* :func:`softplus` — :math:`\log(1 + e^z) = -\log\sigma(-z)`;
* :func:`log_softmax` — :math:`(x_j - m) - \log\sum_k e^{x_k - m}`, :math:`m = \max x`;
* :func:`logsumexp` — :math:`\log\sum_k e^{x_k}` over dim 0, exactly −inf where all terms are −inf;
* :func:`clamped_log`, :func:`clamped_log1m` — :math:`\max(\log p, -100)` and
  :math:`\max(\log(1 - p), -100)` as ``F.binary_cross_entropy`` clamps them;
* :func:`safe_pow` — :math:`b^\gamma` for :math:`b \ge 0` with a finite derivative at 0.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# PyTorch clamps each log in binary_cross_entropy at -100 so that p = 0 costs 100, not inf.
LOG_FLOOR = -100.0


def softplus(z: torch.Tensor) -> torch.Tensor:
    """``log(1 + e^z)`` computed as ``-logsigmoid(-z)``: never forms ``e^z``, exact gradient σ(z).

    ``F.logsigmoid`` evaluates ``min(-z, 0) - log1p(e^{-|z|})`` (no overflow at ±100), unlike
    ``F.softplus``, which returns ``z`` unchanged (gradient exactly 1) above threshold=20.
    """
    return -F.logsigmoid(-z)


def log_softmax(x: torch.Tensor, dim: int) -> torch.Tensor:
    """log softmax by the log-sum-exp trick: log p_j = (x_j - m) - log sum_k exp(x_k - m), m = max x.

    ``torch.log_softmax`` is exactly that identity in one fused kernel (it shifts by the max
    before exponentiating), so it stays finite and accurate for logits of ±1e4 in float32 —
    tested in tests/test_classification.py — and is several times faster than spelling the
    shift, the exp, the sum and the log out as separate tensor operations.
    """
    return torch.log_softmax(x, dim=dim)


def logsumexp(x: torch.Tensor) -> torch.Tensor:
    """log Σ_k exp(x[k]) over the first dim, exact −inf where every term is −inf.

    Shifted by the maximum, :math:`\\log\\sum_k e^{x_k} = m + \\log\\sum_k e^{x_k - m}`,
    :math:`m = \\max_k x_k` (detached: the value does not depend on m, nor does the
    gradient), so no term overflows and the largest is exp(0) = 1.  Where all terms are −inf
    ("dead", impossible states) the naive backward would compute
    :math:`e^{-\\infty - (-\\infty)}` = NaN; there the shift and the sum are replaced by
    harmless constants and the result by the constant −inf, so autograd sends exactly 0 back.
    """
    m = x.detach().amax(0)
    dead = torch.isneginf(m)
    m = m.masked_fill(dead, 0.0)
    total = (x - m).exp().sum(0).masked_fill(dead, 1.0)
    return (total.log() + m).masked_fill(dead, float("-inf"))


def clamped_log(p: torch.Tensor) -> torch.Tensor:
    """``max(log p, -100)`` for p in [0, 1]; finite autograd at p = 0 (log 0 is never evaluated)."""
    pos = p > 0
    log_p = torch.where(pos, torch.log(torch.where(pos, p, torch.ones_like(p))),
                        torch.full_like(p, LOG_FLOOR))
    return log_p.clamp_min(LOG_FLOOR)


def d_clamped_log(p: torch.Tensor) -> torch.Tensor:
    """d/dp max(log p, -100) = 1/p where log p >= -100 (autograd's clamp passes ties), else 0."""
    pos = p > 0
    log_p = torch.log(torch.where(pos, p, torch.ones_like(p)))
    keep = pos & (log_p >= LOG_FLOOR)
    return torch.where(keep, 1 / torch.where(keep, p, torch.ones_like(p)), torch.zeros_like(p))


def clamped_log1m(p: torch.Tensor) -> torch.Tensor:
    """``max(log(1 - p), -100)`` for p in [0, 1] (``log1p(-p)``, as PyTorch); finite autograd at p = 1."""
    below = p < 1
    log_q = torch.where(below, torch.log1p(-torch.where(below, p, torch.zeros_like(p))),
                        torch.full_like(p, LOG_FLOOR))
    return log_q.clamp_min(LOG_FLOOR)


def d_clamped_log1m(p: torch.Tensor) -> torch.Tensor:
    """d/dp max(log(1 - p), -100) = -1/(1 - p) where log(1 - p) >= -100, else 0."""
    below = p < 1
    safe = torch.where(below, p, torch.zeros_like(p))
    keep = below & (torch.log1p(-safe) >= LOG_FLOOR)
    return torch.where(keep, -1 / (1 - torch.where(keep, p, torch.zeros_like(p))), torch.zeros_like(p))


def safe_pow(base: torch.Tensor, gamma: float) -> torch.Tensor:
    """``base ** gamma`` for base >= 0 whose autograd is finite (0, not NaN) at base = 0."""
    if gamma == 0:
        return torch.ones_like(base)
    pos = base > 0
    return torch.where(pos, torch.where(pos, base, torch.ones_like(base)) ** gamma, torch.zeros_like(base))


def d_safe_pow(base: torch.Tensor, gamma: float) -> torch.Tensor:
    """d(base ** gamma)/d(base) = gamma * base**(gamma-1), taken as 0 at base = 0 (see safe_pow)."""
    if gamma == 0:
        return torch.zeros_like(base)
    pos = base > 0
    return torch.where(pos, gamma * torch.where(pos, base, torch.ones_like(base)) ** (gamma - 1),
                       torch.zeros_like(base))
