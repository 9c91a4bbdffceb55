"""Catalog entries of the image family."""

from __future__ import annotations

import torch

from .. import image as I
from ._entry import Entry, Param, sampler


def _mask_example(seed: int):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        # soft prediction strictly inside (0, 1); binary target (a one-hot-like mask)
        p = s(2, 3, 4, 4, low=0.05, high=0.95, dtype=dtype, device=device)
        t = (s(2, 3, 4, 4, dtype=dtype, device=device) > 0).to(dtype)
        return (p, t), {}
    return example


def _mask_extreme(dtype=torch.float32, device="cpu"):
    # hard 0/1 predictions on a 64x64 grid: one channel perfect, one inverted, one empty
    # (prediction and target all zeros: D = s/s = 1), one all ones against a small target
    t = torch.zeros(1, 4, 64, 64, dtype=dtype)
    t[:, :2, 16:48, 16:48] = 1
    t[:, 3, :2, :2] = 1
    p = t.clone()
    p[:, 1] = 1 - t[:, 1]
    p[:, 3] = 1
    return (p.to(device), t.to(device)), {}


def _ssim_example(dtype=torch.float64, device="cpu"):
    s = sampler(61)
    x = s(2, 1, 14, 14, low=0.0, high=1.0)  # 4x4 SSIM map per image with the 11x11 window
    y = (0.6 * x + 0.4 * s(2, 1, 14, 14, low=0.0, high=1.0)).clamp(0, 1)  # correlated target
    return (x.to(dtype=dtype, device=device), y.to(dtype=dtype, device=device)), {}


def _ssim_extreme(dtype=torch.float32, device="cpu"):
    # constant images (zero variance: only C1, C2 keep the ratio defined), a full-contrast
    # checkerboard against its inverse (covariance = -variance), and 0 against 1
    checker = (torch.arange(16)[:, None] + torch.arange(16)[None, :]) % 2
    x = torch.stack([torch.zeros(16, 16), checker.double(), torch.ones(16, 16)])[:, None]
    y = torch.stack([torch.ones(16, 16), 1 - checker.double(), torch.ones(16, 16)])[:, None]
    return (x.to(dtype=dtype, device=device), y.to(dtype=dtype, device=device)), {}


_SMOOTH = Param("smooth", 1.0, 0.0, 5.0, 0.1,
                "added to numerator and denominator; 0 gives the plain coefficient "
                "(all-zero pairs then refused)")

ENTRIES = [
    Entry(
        id="dice", family="image", fn=I.dice, grad=I.dice_grad, reference=None,
        reference_note="no PyTorch loss; checked against the DiceLoss class of the course notes "
                       "(document 004) and, for binary masks, sklearn.metrics.f1_score",
        example=_mask_example(51), extreme=_mask_extreme,
        names={"zh-TW": "Dice 損失", "zh-CN": "Dice 损失", "en": "Dice loss"},
        formula=r"\ell = 1 - \frac{2\sum_i p_i t_i + s}{\sum_i p_i + \sum_i t_i + s}",
        params=(_SMOOTH,),
    ),
    Entry(
        id="iou", family="image", fn=I.iou, grad=I.iou_grad, reference=None,
        reference_note="no PyTorch loss; checked for binary masks against sklearn.metrics.jaccard_score "
                       "and against Dice through J = D / (2 - D)",
        example=_mask_example(52), extreme=_mask_extreme,
        names={"zh-TW": "IoU 損失（軟 Jaccard）", "zh-CN": "IoU 损失（软 Jaccard）",
               "en": "IoU (soft Jaccard) loss"},
        formula=(r"\ell = 1 - \frac{\sum_i p_i t_i + s}"
                 r"{\sum_i p_i + \sum_i t_i - \sum_i p_i t_i + s}"),
        params=(_SMOOTH,),
    ),
    Entry(
        id="ssim", family="image", fn=I.ssim, grad=I.ssim_grad, reference=None,
        reference_note="no PyTorch loss; checked against 1 - pytorch_msssim.ssim(x, y, data_range=1, "
                       "size_average=False, win_size=11, win_sigma=1.5) in tests/test_image.py",
        example=_ssim_example, extreme=_ssim_extreme,
        names={"zh-TW": "SSIM 損失（結構相似性）", "zh-CN": "SSIM 损失（结构相似性）",
               "en": "SSIM (structural similarity) loss"},
        formula=(r"\ell = 1 - \frac{(2\mu_x\mu_y + C_1)(2\sigma_{xy} + C_2)}"
                 r"{(\mu_x^2 + \mu_y^2 + C_1)(\sigma_x^2 + \sigma_y^2 + C_2)}"),
        params=(Param("sigma", 1.5, 0.5, 3.0, 0.1, "standard deviation of the Gaussian window"),),
    ),
]
