"""Helpers shared by the test modules (tests/ is on sys.path through conftest.py)."""

from __future__ import annotations

import torch


def t(values, dtype=torch.float64) -> torch.Tensor:
    """A tensor of ``values`` (a number or nested lists), float64 unless told: ``t([1.0, 2.0])``."""
    return torch.tensor(values, dtype=dtype)


def autograd_of(fn, first, *rest, **kwargs) -> torch.Tensor:
    """d(fn(first, *rest, **kwargs).sum())/d(first) by autograd (``first`` is copied, not touched)."""
    x = first.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(fn(x, *rest, **kwargs).sum(), x)
    return g
