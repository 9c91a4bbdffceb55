"""The one reduction helper.

Every loss first computes its unreduced values ``l`` (``reduction='none'``), then calls
:func:`reduce`.  Its gradient partner :func:`scale` returns the factor by which the
derivative of each unreduced value is multiplied, so that a closed-form gradient of the
reduced loss is ``scale(...) * dl/dx``:

* ``'sum'``  -> ``L = sum(l)``            ``dL/dl = 1``
* ``'mean'`` -> ``L = sum(l) / denom``    ``dL/dl = 1 / denom`` (``denom`` defaults to ``l.numel()``)
* ``'none'`` -> ``L = l``                 the gradient returned is that of ``sum(l)``, i.e. ``1``

Losses whose mean is a weighted mean (cross entropy with ``weight`` or ``ignore_index``)
pass their own ``denom``.
"""

from __future__ import annotations

import torch

from . import _checks


def reduce(loss: torch.Tensor, reduction: str, denom: torch.Tensor | float | None = None) -> torch.Tensor:
    _checks.reduction(reduction)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    total = loss.sum()
    return total / (loss.numel() if denom is None else denom)


def scale(loss_shape_numel: int, reduction: str, denom: torch.Tensor | float | None = None):
    """d(reduced loss)/d(each unreduced value); see the module docstring."""
    _checks.reduction(reduction)
    if reduction == "mean":
        return 1.0 / (loss_shape_numel if denom is None else denom)
    return 1.0
