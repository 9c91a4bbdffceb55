"""Catalog entries of the practice family (weight penalties, multi-task weighting)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import practice as P
from ._entry import Entry, sampler


def _weights_example(seed: int):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        # |w| in [0.1, 2]: away from the kink of |w| at 0
        mag = s(3, 4, low=0.1, high=2.0, dtype=dtype, device=device)
        sign = torch.where(s(3, 4, dtype=dtype, device=device) > 0, 1.0, -1.0).to(dtype)
        return (sign * mag,), {}
    return example


def _weights_extreme(dtype=torch.float32, device="cpu"):
    return (torch.tensor([100.0, -100.0, 1e4, -1e4, 1e-30], dtype=dtype, device=device),), {}


def _uncertainty_example(dtype=torch.float64, device="cpu"):
    s = sampler(52)
    losses = s(5, low=0.2, high=3.0, dtype=dtype, device=device)
    log_vars = s(5, low=-1.5, high=1.5, dtype=dtype, device=device)
    return (losses, log_vars), {}


def _uncertainty_extreme(dtype=torch.float32, device="cpu"):
    # exp(-s) of s = -50 is 5e21: the largest terms stay far inside float32 (3.4e38)
    losses = torch.tensor([1e3, 1e-3, 0.0, 5.0, 1e6], dtype=dtype, device=device)
    log_vars = torch.tensor([-50.0, 50.0, 0.0, 80.0, -20.0], dtype=dtype, device=device)
    return (losses, log_vars), {}


def _l1_reference(input, *, reduction="mean"):
    return F.l1_loss(input, torch.zeros_like(input), reduction=reduction)


def _l2_reference(input, *, reduction="mean"):
    return F.mse_loss(input, torch.zeros_like(input), reduction=reduction)


ENTRIES = [
    Entry(
        id="l1_penalty", family="practice", fn=P.l1_penalty, grad=P.l1_penalty_grad, reference=_l1_reference,
        reference_note="F.l1_loss(w, zeros)",
        example=_weights_example(51), extreme=_weights_extreme,
        names={"zh-TW": "L1 正則化懲罰", "zh-CN": "L1 正则化惩罚", "en": "L1 regularization penalty"},
        formula=r"\ell(w) = |w|,\qquad \textstyle\sum_i |w_i| = \lVert w\rVert_1",
    ),
    Entry(
        id="l2_penalty", family="practice", fn=P.l2_penalty, grad=P.l2_penalty_grad, reference=_l2_reference,
        reference_note="F.mse_loss(w, zeros)",
        example=_weights_example(53), extreme=_weights_extreme,
        names={"zh-TW": "L2 正則化懲罰", "zh-CN": "L2 正则化惩罚", "en": "L2 regularization penalty"},
        formula=r"\ell(w) = w^2,\qquad \textstyle\sum_i w_i^2 = \lVert w\rVert_2^2",
    ),
    Entry(
        id="uncertainty_weighting", family="practice", fn=P.uncertainty_weighting,
        grad=P.uncertainty_weighting_grad, reference=None,
        reference_note=("no PyTorch loss; tests evaluate Kendall et al.'s sum of L/(2 sigma^2) + log sigma "
                        "with math.* and check the optimum s* = log L with autograd"),
        example=_uncertainty_example, extreme=_uncertainty_extreme,
        names={"zh-TW": "不確定性加權（多任務）", "zh-CN": "不确定性加权（多任务）",
               "en": "Uncertainty weighting (multi-task)"},
        formula=r"\ell_i = \frac{L_i}{2\sigma_i^2} + \log\sigma_i = \tfrac12 e^{-s_i} L_i + \tfrac12 s_i,"
                r"\quad s_i = \log\sigma_i^2",
        nonnegative=False,
    ),
]
