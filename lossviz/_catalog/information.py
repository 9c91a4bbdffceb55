"""Catalog entries of the information family."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .. import information as I
from ._entry import Entry, Param, sampler


def _probs(seed: int, shape=(3, 4)):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        p = torch.softmax(s(*shape, low=-2, high=2, dtype=torch.float64), -1)
        return (p.to(dtype=dtype, device=device),), {}
    return example


def _surprise_example(dtype=torch.float64, device="cpu"):
    s = sampler(11)
    return (s(3, 4, low=0.05, high=0.95, dtype=dtype, device=device),), {}


def _surprise_extreme(dtype=torch.float32, device="cpu"):
    return (torch.tensor([1e-30, 1e-6, 0.5, 1.0], dtype=dtype, device=device),), {}


def _kl_example(dtype=torch.float64, device="cpu"):
    (p,), _ = _probs(12)(dtype, device)
    (q,), _ = _probs(13)(dtype, device)
    return (p, q), {}


def _kl_extreme(dtype=torch.float32, device="cpu"):
    # peaked distributions from logits of +-40: probabilities down to e^-80 (still normal floats)
    logits = torch.tensor([[40.0, -40.0, 0.0], [-40.0, 40.0, 0.0]], dtype=dtype, device=device)
    p = torch.softmax(logits, -1)
    q = torch.softmax(logits.flip(0) * 0.5, -1)
    return (p, q), {}


def _kl_reference(p, q, *, dim=-1, base=math.e, reduction="mean"):
    # F.kl_div(input, target) computes target * (log target - input): pass log q first, p second
    per = F.kl_div(q.log(), p, reduction="none").sum(dim) / math.log(base)
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


def _entropy_reference(p, *, dim=-1, base=math.e, reduction="mean"):
    per = torch.distributions.Categorical(probs=p.movedim(dim, -1)).entropy() / math.log(base)
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


BASE = Param("base", math.e, 1.5, 10.0, 0.1, "log base: e gives nats, 2 gives bits")

ENTRIES = [
    Entry(
        id="self_information", family="information", fn=I.self_information, grad=I.self_information_grad,
        reference=None,
        reference_note="hand-computed values (-log2 of 1/2, 1/8, ...) and the additivity property",
        example=_surprise_example, extreme=_surprise_extreme,
        names={"zh-TW": "自資訊（驚訝度）", "zh-CN": "自信息（惊讶度）", "en": "Self-information (surprise)"},
        formula=r"I(p) = -\log_b p",
        params=(BASE,),
    ),
    Entry(
        id="entropy", family="information", fn=I.entropy, grad=I.entropy_grad,
        reference=_entropy_reference,
        reference_note=("torch.distributions.Categorical(probs=p).entropy(); Categorical renormalises p, "
                        "so its gradient is projected onto the simplex and differs from ours (p free)"),
        tags=("reference_grad_differs",),
        example=_probs(10),
        names={"zh-TW": "熵", "zh-CN": "熵", "en": "Entropy"},
        formula=r"H(p) = -\sum_i p_i \log_b p_i",
        params=(BASE,),
    ),
    Entry(
        id="kl_div", family="information", fn=I.kl_div, grad=I.kl_div_grad,
        reference=_kl_reference,
        reference_note="F.kl_div(q.log(), p): PyTorch takes log q first and p second",
        example=_kl_example, extreme=_kl_extreme,
        names={"zh-TW": "KL 散度", "zh-CN": "KL 散度", "en": "Kullback–Leibler divergence"},
        formula=r"D_{\mathrm{KL}}(p \,\|\, q) = \sum_i p_i \log_b \frac{p_i}{q_i}",
        params=(BASE,),
    ),
]
