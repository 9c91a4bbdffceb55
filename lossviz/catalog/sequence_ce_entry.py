"""Catalog entry of ``sequence_ce`` (family "sequence"); to be merged into catalog/sequence.py.

The function itself lives in :mod:`lossviz.classification` next to ``cross_entropy``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import classification as C
from ._entry import Entry, Param, sampler


def _sequence_ce_example(dtype=torch.float64, device="cpu"):
    # 3 sequences of up to 5 tokens over a vocabulary of 6; lengths 5, 3, 2, the rest padding
    s = sampler(21)
    x = s.normal(3, 5, 6, dtype=dtype, device=device) * 2
    t = s.integers(6, 3, 5, device=device)
    lengths = torch.tensor([5, 3, 2], device=device)
    pad = torch.arange(5, device=device)[None, :] >= lengths[:, None]
    return (x, t.masked_fill(pad, -100)), {}


def _sequence_ce_extreme(dtype=torch.float32, device="cpu"):
    x = torch.tensor([[[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], [[100.0, -100.0, 0.0], [0.0, 0.0, 0.0]]],
                     dtype=dtype, device=device)
    t = torch.tensor([[1, 1], [2, -100]], device=device)
    return (x, t), {}


def _sequence_ce_reference(input, target, *, weight=None, ignore_index=-100, label_smoothing=0.0,
                           reduction="mean"):
    """F.cross_entropy over the flattened tokens, reshaped back to (N, T) for 'none'."""
    N, T, num_classes = input.shape
    out = F.cross_entropy(input.reshape(-1, num_classes), target.reshape(-1), weight=weight,
                          ignore_index=ignore_index, reduction=reduction, label_smoothing=label_smoothing)
    return out.reshape(N, T) if reduction == "none" else out


ENTRIES = [
    Entry(
        id="sequence_ce", family="sequence", fn=C.sequence_ce, grad=C.sequence_ce_grad,
        reference=_sequence_ce_reference,
        reference_note="F.cross_entropy(input.reshape(-1, C), target.reshape(-1), ...), 'none' reshaped to (N, T)",
        example=_sequence_ce_example, extreme=_sequence_ce_extreme,
        names={"zh-TW": "序列交叉熵", "zh-CN": "序列交叉熵", "en": "Sequence cross entropy"},
        formula=(r"\mathcal{L} = -\frac{1}{\#\{(n,t): y_{n,t} \ne \text{pad}\}}"
                 r" \sum_{(n,t):\, y_{n,t} \ne \text{pad}} \log \mathrm{softmax}(x_{n,t})_{y_{n,t}}"),
        params=(Param("label_smoothing", 0.0, 0.0, 0.5, 0.01, "ε: mass spread evenly over the vocabulary"),),
        mean_is_mean_of_none=False,
        tags=("sequence", "multiclass", "logits", "padding"),
    ),
]
