"""Catalog entries of the classification family."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import classification as C
from ._entry import Entry, Param, sampler


# --- examples ------------------------------------------------------------------------
def _bce_example(dtype=torch.float64, device="cpu"):
    s = sampler(11)
    p = s(4, 3, low=0.05, high=0.95, dtype=dtype, device=device)
    y = (s(4, 3, dtype=dtype, device=device) > 0).to(dtype)
    return (p, y), {}


def _bce_extreme(dtype=torch.float32, device="cpu"):
    # p = 0 with y = 1 and p = 1 with y = 0 hit PyTorch's log clamp (loss 100 each)
    p = torch.tensor([0.0, 1.0, 1e-30, 1 - 1e-7, 0.0, 1.0, 0.5], dtype=dtype, device=device)
    y = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.3], dtype=dtype, device=device)
    return (p, y), {}


def _logit_example(seed: int):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        x = s(4, 3, low=-3.0, high=3.0, dtype=dtype, device=device)
        y = (s(4, 3, dtype=dtype, device=device) > 0).to(dtype)
        return (x, y), {}
    return example


def _bcel_example(dtype=torch.float64, device="cpu"):
    (x, y), _ = _logit_example(12)(dtype=dtype, device=device)
    s = sampler(13)
    w = s(3, low=0.5, high=1.5, dtype=dtype, device=device)           # broadcasts over rows
    pos_weight = s(3, low=0.5, high=3.0, dtype=dtype, device=device)  # one per class (last dim)
    return (x, y), {"weight": w, "pos_weight": pos_weight}


def _logit_extreme(dtype=torch.float32, device="cpu"):
    x = torch.tensor([100.0, -100.0, 100.0, -100.0, 50.0, -50.0, 0.0], dtype=dtype, device=device)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0], dtype=dtype, device=device)
    return (x, y), {}


def _focal_extreme(dtype=torch.float32, device="cpu"):
    args, _ = _logit_extreme(dtype=dtype, device=device)
    return args, {"gamma": 2.0}


def _ce_example(dtype=torch.float64, device="cpu"):
    s = sampler(14)
    x = s.normal(5, 4, dtype=dtype, device=device) * 2
    t = s.integers(4, 5, device=device)
    return (x, t), {}


def _ce_extreme(dtype=torch.float32, device="cpu"):
    x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [100.0, -100.0, 0.0]], dtype=dtype, device=device)
    t = torch.tensor([1, 1, 2], device=device)
    return (x, t), {}


def _sfocal_example(dtype=torch.float64, device="cpu"):
    (x, t), _ = _ce_example(dtype=dtype, device=device)
    return (x, t), {"gamma": 2.0}


def _sfocal_extreme(dtype=torch.float32, device="cpu"):
    (x, t), _ = _ce_extreme(dtype=dtype, device=device)
    return (x, torch.tensor([0, 1, 2], device=device)), {"gamma": 2.0}


def _hinge_example(dtype=torch.float64, device="cpu"):
    s = sampler(15)
    y = torch.where(s(4, 3, dtype=dtype, device=device) > 0, 1.0, -1.0).to(dtype)
    # y*x kept away from the kink at y*x = margin = 1
    yx = s(4, 3, low=-1.5, high=2.5, dtype=dtype, device=device)
    yx = torch.where((yx - 1).abs() < 0.1, yx + 0.3, yx)
    return (y * yx, y), {"margin": 1.0}


def _hinge_extreme(dtype=torch.float32, device="cpu"):
    x = torch.tensor([100.0, -100.0, 1e4, -1e4], dtype=dtype, device=device)
    y = torch.tensor([1.0, 1.0, -1.0, -1.0], dtype=dtype, device=device)
    return (x, y), {}


def _mhinge_example(dtype=torch.float64, device="cpu"):
    s = sampler(16)
    x = s(5, 4, low=-1.5, high=1.5, dtype=dtype, device=device)
    t = s.integers(4, 5, device=device)
    # keep every z_i = 1 - x_y + x_i (i != y) away from the kink z = 0: moving x_i moves z_i only
    z = 1.0 - x.gather(1, t[:, None]) + x
    near = (z.abs() < 0.1) & (torch.arange(4, device=device)[None, :] != t[:, None])
    x = torch.where(near, x + 0.25, x)
    return (x, t), {"p": 1, "margin": 1.0}


def _mhinge_extreme(dtype=torch.float32, device="cpu"):
    (x, t), _ = _ce_extreme(dtype=dtype, device=device)
    return (x, t), {}


def _nce_example(dtype=torch.float64, device="cpu"):
    s = sampler(17)
    pos = s(4, low=-3.0, high=3.0, dtype=dtype, device=device)
    neg = s(4, 5, low=-3.0, high=3.0, dtype=dtype, device=device)
    return (pos, neg), {}


def _nce_extreme(dtype=torch.float32, device="cpu"):
    pos = torch.tensor([100.0, -100.0, 0.0], dtype=dtype, device=device)
    neg = torch.tensor([[100.0, -100.0], [-100.0, 100.0], [0.0, 0.0]], dtype=dtype, device=device)
    return (pos, neg), {}


# --- references -----------------------------------------------------------------------
def _focal_reference(inputs, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    """torchvision.ops.sigmoid_focal_loss when importable, else a transcription of it."""
    try:
        from torchvision.ops import sigmoid_focal_loss
    except Exception:  # noqa: BLE001 — torchvision absent or broken beside this torch build
        sigmoid_focal_loss = None
    if sigmoid_focal_loss is not None:
        return sigmoid_focal_loss(inputs, targets, alpha=alpha, gamma=gamma, reduction=reduction)
    # transcribed from torchvision.ops.sigmoid_focal_loss: p = sigmoid(x); ce = BCEwithlogits;
    # p_t = p*y + (1-p)*(1-y); loss = ce*(1-p_t)**gamma; alpha_t = alpha*y + (1-alpha)*(1-y),
    # applied only when alpha >= 0; then none/mean/sum.  Written plainly, not stabilised.
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"Invalid Value for arg 'reduction': '{reduction}'")


ENTRIES = [
    Entry(
        id="bce", family="classification", fn=C.bce, grad=C.bce_grad, reference=F.binary_cross_entropy,
        reference_note=("values equal everywhere (both clamp each log at -100); PyTorch's backward divides "
                        "by max(p(1-p), 1e-12), so gradients differ where p(1-p) < 1e-12"),
        example=_bce_example, extreme=_bce_extreme,
        names={"zh-TW": "二元交叉熵", "zh-CN": "二元交叉熵", "en": "Binary cross entropy"},
        formula=r"\ell(p, y) = -\big[\,y \log p + (1 - y) \log(1 - p)\,\big]",
        tags=("binary", "probabilities"),
    ),
    Entry(
        id="bce_with_logits", family="classification", fn=C.bce_with_logits, grad=C.bce_with_logits_grad,
        reference=F.binary_cross_entropy_with_logits,
        example=_bcel_example, extreme=_logit_extreme,
        names={"zh-TW": "二元交叉熵（logits 版）", "zh-CN": "二元交叉熵（logits 版）",
               "en": "Binary cross entropy with logits"},
        formula=(r"\ell(x, y) = -\big[\,p_w\, y \log\sigma(x) + (1 - y) \log(1 - \sigma(x))\,\big]"
                 r" = (1 - y)\,x + \big(1 + (p_w - 1)\,y\big)\,\operatorname{softplus}(-x)"),
        params=(Param("pos_weight", 1.0, 0.0, 10.0, 0.1, "weight of the positive term (class imbalance)"),),
        tags=("binary", "logits"),
    ),
    Entry(
        id="cross_entropy", family="classification", fn=C.cross_entropy, grad=C.cross_entropy_grad,
        reference=F.cross_entropy,
        example=_ce_example, extreme=_ce_extreme,
        names={"zh-TW": "交叉熵", "zh-CN": "交叉熵", "en": "Cross entropy"},
        formula=(r"\ell(x, y) = -\sum_{c=1}^{C} q_c \log \frac{e^{x_c}}{\sum_{k} e^{x_k}},\quad"
                 r" q = (1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C"),
        params=(Param("label_smoothing", 0.0, 0.0, 0.5, 0.01, "ε: mass spread evenly over all classes"),),
        tags=("multiclass", "logits"),
    ),
    Entry(
        id="focal", family="classification", fn=C.focal, grad=C.focal_grad, reference=_focal_reference,
        reference_note=("torchvision.ops.sigmoid_focal_loss when importable, else a plain transcription "
                        "of its formula (torchvision does not import beside this torch build)"),
        example=_logit_example(18), extreme=_focal_extreme,
        names={"zh-TW": "焦點損失（Focal Loss）", "zh-CN": "焦点损失（Focal Loss）", "en": "Focal loss"},
        formula=(r"\ell(x, y) = -\alpha_t\,(1 - p_t)^{\gamma} \log p_t,\quad p = \sigma(x),\ "
                 r"p_t = p\,y + (1 - p)(1 - y),\ \alpha_t = \alpha\,y + (1 - \alpha)(1 - y)"),
        params=(Param("alpha", 0.25, 0.0, 1.0, 0.05, "weight of the positive class (negative: off)"),
                Param("gamma", 2.0, 0.0, 5.0, 0.1, "focusing: how fast easy examples are discounted")),
        tags=("binary", "logits", "imbalance"),
    ),
    Entry(
        id="softmax_focal", family="classification", fn=C.softmax_focal, grad=C.softmax_focal_grad,
        reference=None,
        reference_note="no PyTorch loss; equals F.cross_entropy when gamma = 0 and alpha is None (tested)",
        example=_sfocal_example, extreme=_sfocal_extreme,
        names={"zh-TW": "多類別焦點損失（Softmax Focal Loss）",
               "zh-CN": "多类别焦点损失（Softmax Focal Loss）",
               "en": "Softmax focal loss"},
        formula=r"\ell(x, y) = -\alpha_y\,(1 - p_y)^{\gamma} \log p_y,\quad p = \mathrm{softmax}(x)",
        params=(Param("alpha", 1.0, 0.0, 1.0, 0.05, "one weight for every class (1.0 = none)"),
                Param("gamma", 2.0, 0.0, 5.0, 0.1, "focusing: how fast easy examples are discounted")),
        tags=("multiclass", "logits", "imbalance"),
    ),
    Entry(
        id="hinge", family="classification", fn=C.hinge, grad=C.hinge_grad, reference=None,
        reference_note="no PyTorch loss (F.hinge_embedding_loss is another); checked against "
                       "sklearn.metrics.hinge_loss",
        example=_hinge_example, extreme=_hinge_extreme,
        names={"zh-TW": "鉸鏈損失（Hinge Loss）", "zh-CN": "合页损失（Hinge Loss）", "en": "Hinge loss"},
        formula=r"\ell(x, y) = \max(0,\ m - y\,x),\quad y \in \{-1, +1\}",
        params=(Param("margin", 1.0, 0.0, 3.0, 0.05,
                      "m: how far beyond the boundary a correct score must be"),),
        tags=("binary", "margin"),
    ),
    Entry(
        id="multiclass_hinge", family="classification", fn=C.multiclass_hinge, grad=C.multiclass_hinge_grad,
        reference=F.multi_margin_loss,
        example=_mhinge_example, extreme=_mhinge_extreme,
        names={"zh-TW": "多類別鉸鏈損失", "zh-CN": "多类别合页损失",
               "en": "Multi-class hinge (multi-margin) loss"},
        formula=r"\ell(x, y) = \frac{1}{C} \sum_{i \ne y} \max(0,\ m - x_y + x_i)^{p}",
        params=(Param("p", 1, 1, 2, 1, "1: hinge, 2: squared hinge"),
                Param("margin", 1.0, 0.0, 3.0, 0.05, "m: required lead of the true class")),
        tags=("multiclass", "margin"),
    ),
    Entry(
        id="nce", family="classification", fn=C.nce, grad=C.nce_grad, reference=None,
        reference_note=("no PyTorch loss; equals F.binary_cross_entropy_with_logits over [positive → 1, "
                        "negatives → 0] summed per row (tested)"),
        example=_nce_example, extreme=_nce_extreme,
        names={"zh-TW": "雜訊對比估計（負採樣）", "zh-CN": "噪声对比估计（负采样）",
               "en": "Noise-contrastive estimation (negative sampling)"},
        formula=r"\ell = -\log\sigma(s^{+}) - \sum_{k=1}^{K} \log\sigma(-s^{-}_{k})",
        tags=("binary", "logits", "sampling"),
    ),
]
