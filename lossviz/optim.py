"""Optimizer steps written out so that a notebook can show their arithmetic.

Not losses (so not in the catalog): ``adam_step`` is what ``torch.optim.Adam`` does, one line
per formula; tests/test_plots_regression.py replays it against ``torch.optim.Adam``.
"""

from __future__ import annotations

import math

import torch

__all__ = ["adam_step"]


def adam_step(param: torch.Tensor, grad: torch.Tensor, state: dict, *, lr: float,
              betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
    """One Adam update of ``param`` in place: the arithmetic of ``torch.optim.Adam`` (no weight
    decay, no AMSGrad), written out so a notebook can show it.  ``state`` starts as ``{}``.

    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
    Each coordinate gets its own step size, so parameters of different scales move alike.
    """
    beta1, beta2 = betas
    if not state:
        state.update(step=0, m=torch.zeros_like(param), v=torch.zeros_like(param))
    state["step"] += 1
    t_ = state["step"]
    with torch.no_grad():
        state["m"].lerp_(grad, 1 - beta1)
        state["v"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = (state["v"].sqrt() / math.sqrt(1 - beta2**t_)).add_(eps)
        param.addcdiv_(state["m"], denom, value=-lr / (1 - beta1**t_))
