"""Catalog entries of the sequence family."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import sequence as Q
from ._entry import Entry, Param, sampler


def _ctc_inputs(logits: torch.Tensor, dtype, device):
    # log_softmax in float64 on the CPU, then moved: the same numbers on every device
    log_probs = logits.log_softmax(-1).to(dtype=dtype, device=device)
    # sample 0: "1 1 2" (a repeat, so the skip 1 -> 1 is forbidden); sample 1: "3 2" + padding
    targets = torch.tensor([[1, 1, 2], [3, 2, 0]], device=device)
    input_lengths = torch.tensor([6, 5], device=device)
    target_lengths = torch.tensor([3, 2], device=device)
    return (log_probs, targets, input_lengths, target_lengths), {}


def _ctc_example(dtype=torch.float64, device="cpu"):
    s = sampler(41)
    return _ctc_inputs(s.normal(6, 2, 4), dtype, device)  # T=6, N=2, C=4, S=3


def _ctc_extreme(dtype=torch.float32, device="cpu"):
    s = sampler(42)
    logits = 100.0 * torch.sign(s.normal(6, 2, 4))  # log-probabilities 0 or about -200
    return _ctc_inputs(logits, dtype, device)


_CTC_NOTE = (
    "F.ctc_loss gives the same values, but its backward returns exp(log_probs) - gamma, the "
    "gradient it would have after a log_softmax, not the partial derivative -gamma with respect "
    "to log_probs that autograd gives through these plain torch ops; both agree with respect to the "
    "logits before log_softmax (checked in tests/test_sequence_ctc.py). For impossible alignments "
    "PyTorch's gradient is NaN unless zero_infinity=True; here it is 0."
)

ENTRIES = [
    Entry(
        id="ctc", family="sequence", fn=Q.ctc, grad=Q.ctc_grad, reference=F.ctc_loss,
        reference_note=_CTC_NOTE, tags=("reference_grad_differs",),
        example=_ctc_example, extreme=_ctc_extreme,
        names={"zh-TW": "CTC 損失（連結時序分類）", "zh-CN": "CTC 损失（连接时序分类）",
               "en": "Connectionist temporal classification (CTC) loss"},
        formula=(r"\ell = -\log \sum_{\pi \in \mathcal{B}^{-1}(l)} \prod_{t=1}^{T} y_{t}(\pi_t)"),
        mean_is_mean_of_none=False,
    ),
]



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


_SEQUENCE_CE = [
    Entry(
        id="sequence_ce", family="sequence", fn=Q.sequence_ce, grad=Q.sequence_ce_grad,
        reference=_sequence_ce_reference,
        reference_note=("F.cross_entropy(input.reshape(-1, C), target.reshape(-1), ...); "
                        "'none' reshaped to (N, T)"),
        example=_sequence_ce_example, extreme=_sequence_ce_extreme,
        names={"zh-TW": "序列交叉熵", "zh-CN": "序列交叉熵", "en": "Sequence cross entropy"},
        formula=(r"\mathcal{L} = -\frac{1}{\#\{(n,t): y_{n,t} \ne \text{pad}\}}"
                 r" \sum_{(n,t):\, y_{n,t} \ne \text{pad}} \log \mathrm{softmax}(x_{n,t})_{y_{n,t}}"),
        params=(Param("label_smoothing", 0.0, 0.0, 0.5, 0.01, "ε: mass spread evenly over the vocabulary"),),
        mean_is_mean_of_none=False,
        tags=("sequence", "multiclass", "logits", "padding"),
    ),
]

ENTRIES = ENTRIES + _SEQUENCE_CE
