"""Catalog entries of the embedding family."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import embedding as E
from ._entry import Entry, Param, sampler


def _directions(s, n, d, dtype, device):
    v = s.normal(n, d, dtype=dtype, device=device)
    return v / torch.linalg.vector_norm(v, dim=-1, keepdim=True)


def _contrastive_example(dtype=torch.float64, device="cpu"):
    s = sampler(41)
    n, d = 6, 3
    x1 = s.normal(n, d, dtype=dtype, device=device)
    label = torch.tensor([1, 0, 1, 0, 0, 1], device=device)
    # distances kept away from 0 and from the margin 1 (the kinks): similar pairs 0.3..1.5,
    # dissimilar pairs 0.2..0.8 (inside the margin: pushed) or 1.2..1.8 (outside: no cost)
    dist = s(n, 1, low=0.2, high=0.8, dtype=dtype, device=device)
    dist = dist + torch.tensor([[0.1], [0.0], [0.1], [1.0], [0.0], [0.1]], dtype=dtype, device=device)
    x2 = x1 + dist * _directions(s, n, d, dtype, device)
    return (x1, x2, label), {}


def _contrastive_extreme(dtype=torch.float32, device="cpu"):
    x1 = torch.tensor([[100.0, -100.0], [1e3, 1e3], [0.5, 0.5], [3.0, -2.0], [0.2, 0.1]],
                      dtype=dtype, device=device)
    x2 = torch.tensor([[-100.0, 100.0], [-1e3, 1e3], [0.5, 0.5], [3.0, -2.0], [0.0, 0.0]],
                      dtype=dtype, device=device)
    label = torch.tensor([1, 0, 1, 0, 0], device=device)  # identical pairs: similar and dissimilar
    return (x1, x2, label), {}


def _triplet_example(dtype=torch.float64, device="cpu"):
    s = sampler(42)
    n, d = 5, 4
    anchor = s.normal(n, d, dtype=dtype, device=device)
    r_p = s(n, 1, low=0.3, high=1.0, dtype=dtype, device=device)
    # hinge value v = r_p - r_n + 1 kept in +-[0.2, 0.8]: some triplets violate, some do not
    v = s(n, 1, low=0.2, high=0.8, dtype=dtype, device=device)
    v = v * torch.tensor([[1.0], [-1.0], [1.0], [1.0], [-1.0]], dtype=dtype, device=device)
    r_n = r_p + 1 - v
    positive = anchor + r_p * _directions(s, n, d, dtype, device)
    negative = anchor + r_n * _directions(s, n, d, dtype, device)
    return (anchor, positive, negative), {}


def _triplet_extreme(dtype=torch.float32, device="cpu"):
    anchor = torch.tensor([[100.0, -100.0, 50.0], [-1e3, 1e3, 0.0], [0.0, 0.0, 0.0]],
                          dtype=dtype, device=device)
    positive = anchor + torch.tensor([[1.0, 2.0, -1.0], [300.0, 0.0, 0.0], [0.5, 0.0, 0.0]], dtype=dtype,
                                     device=device)
    negative = anchor + torch.tensor([[-100.0, 100.0, 0.0], [0.0, -100.0, 0.0], [0.0, 0.0, 0.1]], dtype=dtype,
                                     device=device)
    return (anchor, positive, negative), {}


def _infonce_example(dtype=torch.float64, device="cpu"):
    s = sampler(43)
    n, k, d = 4, 5, 3
    query = s.normal(n, d, dtype=dtype, device=device)
    positive = query + 0.5 * s.normal(n, d, dtype=dtype, device=device)
    negatives = s.normal(n, k, d, dtype=dtype, device=device)
    return (query, positive, negatives), {"temperature": 0.5}


def _infonce_extreme(dtype=torch.float32, device="cpu"):
    # temperature 0.01 and cosines at +-1: logits of +-100; the positive is anti-parallel to the
    # query and a negative is parallel to it (loss ~ 200), queries of norm ~ 100
    query = torch.tensor([[100.0, 0.0, 0.0], [0.0, -100.0, 1.0], [3.0, 4.0, 0.0]], dtype=dtype, device=device)
    positive = -query + torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.5]], dtype=dtype,
                                     device=device)
    negatives = torch.stack([query + torch.tensor([0.0, 0.0, 2.0], dtype=dtype, device=device),
                             torch.roll(query, 1, dims=1), -torch.roll(query, 2, dims=1)], dim=1)
    return (query, positive, negatives), {"temperature": 0.01}


def _bpr_example(dtype=torch.float64, device="cpu"):
    s = sampler(44)
    return (s.normal(3, 4, dtype=dtype, device=device), s.normal(3, 4, dtype=dtype, device=device)), {}


def _bpr_extreme(dtype=torch.float32, device="cpu"):
    pos = torch.tensor([100.0, -100.0, 0.0, 50.0, 1e4], dtype=dtype, device=device)
    neg = torch.tensor([-100.0, 100.0, 0.0, -50.0, -1e4], dtype=dtype, device=device)
    return (pos, neg), {}


def _bpr_reference(pos_score, neg_score, *, reduction="mean"):
    # -log sigmoid(s+ - s-) through PyTorch's own stable logsigmoid
    loss = -F.logsigmoid(pos_score - neg_score)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


_MARGIN_DOC = "how far apart a dissimilar pair must be"

ENTRIES = [
    Entry(
        id="contrastive", family="embedding", fn=E.contrastive, grad=E.contrastive_grad, reference=None,
        reference_note=("no PyTorch loss; tests reimplement the ContrastiveLoss class of note 004 "
                        "(F.pairwise_distance) and cross-check pytorch-metric-learning ContrastiveLoss "
                        "with a signed-square margin mapping its per-pair terms onto these"),
        example=_contrastive_example, extreme=_contrastive_extreme,
        names={"zh-TW": "對比損失", "zh-CN": "对比损失", "en": "Contrastive loss"},
        formula=r"\ell = y\,d^2 + (1 - y)\,\max(0,\ m - d)^2,\quad d = \lVert x_1 - x_2 + \epsilon\rVert_2",
        params=(Param("margin", 1.0, 0.0, 3.0, 0.05, _MARGIN_DOC),),
    ),
    Entry(
        id="triplet", family="embedding", fn=E.triplet, grad=E.triplet_grad, reference=F.triplet_margin_loss,
        example=_triplet_example, extreme=_triplet_extreme,
        names={"zh-TW": "三元組損失", "zh-CN": "三元组损失", "en": "Triplet loss"},
        formula=r"\ell = \max\big(0,\ \lVert a - p\rVert_p - \lVert a - n\rVert_p + m\big)",
        # PyTorch refuses margin <= 0, so the slider starts just above 0
        params=(Param("margin", 1.0, 0.05, 3.0, 0.05,
                      "how much closer the positive must be than the negative"),),
    ),
    Entry(
        id="infonce", family="embedding", fn=E.infonce, grad=E.infonce_grad, reference=None,
        reference_note=("no PyTorch loss; tests check it equals F.cross_entropy on the (K+1)-way logits, the "
                        "InfoNCELoss class of note 004, and pytorch-metric-learning NTXentLoss"),
        example=_infonce_example, extreme=_infonce_extreme,
        names={"zh-TW": "InfoNCE 損失", "zh-CN": "InfoNCE 损失", "en": "InfoNCE loss"},
        formula=(r"\ell = -\log\frac{\exp(\hat q\cdot\hat k_0/\tau)}"
                 r"{\sum_{c=0}^{K}\exp(\hat q\cdot\hat k_c/\tau)}"),
        params=(Param("temperature", 0.1, 0.01, 2.0, 0.01, "sharpness of the softmax over the candidates"),),
    ),
    Entry(
        id="bpr", family="embedding", fn=E.bpr, grad=E.bpr_grad, reference=_bpr_reference,
        reference_note="-F.logsigmoid(pos_score - neg_score)",
        example=_bpr_example, extreme=_bpr_extreme,
        names={"zh-TW": "貝氏個人化排序損失 (BPR)", "zh-CN": "贝叶斯个性化排序损失 (BPR)",
               "en": "Bayesian personalized ranking (BPR) loss"},
        formula=r"\ell = -\log\sigma(s^+ - s^-) = \operatorname{softplus}(s^- - s^+)",
    ),
]
