"""Catalog entries of the regression family."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .. import regression as R
from ._entry import Entry, Param, sampler


def _pair(seed: int, shape=(4, 3), scale: float = 2.0, lo_gap: float = 0.05):
    def example(dtype=torch.float64, device="cpu"):
        s = sampler(seed)
        target = s(*shape, low=-scale, high=scale, dtype=dtype, device=device)
        # residuals kept away from 0 (the kink of MAE / quantile) and from |d| = delta
        mag = s(*shape, low=0.1, high=1.9, dtype=dtype, device=device)
        mag = torch.where((mag - 1).abs() < lo_gap, mag + 2 * lo_gap, mag)
        sign = torch.where(s(*shape, dtype=dtype, device=device) > 0, 1.0, -1.0).to(dtype)
        return (target + sign * mag, target), {}
    return example


def _extreme(dtype=torch.float32, device="cpu"):
    x = torch.tensor([100.0, -100.0, 1e4, -1e4, 0.0], dtype=dtype, device=device)
    return (x, torch.zeros_like(x)), {}


def _with(example, **kw):
    def wrapped(dtype=torch.float64, device="cpu"):
        args, kwargs = example(dtype=dtype, device=device)
        return args, {**kwargs, **kw}
    return wrapped


def _rmse_reference(input, target, *, dim=None, reduction="mean"):
    # sqrt of torch's own MSE; only for the default dim=None (one RMSE over everything)
    if dim is not None:
        raise ValueError("the rmse reference covers dim=None only")
    return torch.sqrt(F.mse_loss(input, target, reduction="mean"))


ENTRIES = [
    Entry(
        id="mse", family="regression", fn=R.mse, grad=R.mse_grad, reference=F.mse_loss,
        example=_pair(1), extreme=_extreme,
        names={"zh-TW": "均方誤差", "zh-CN": "均方误差", "en": "Mean squared error"},
        formula=r"\ell(x, y) = (x - y)^2",
    ),
    Entry(
        id="rmse", family="regression", fn=R.rmse, grad=R.rmse_grad, reference=_rmse_reference,
        reference_note="sqrt(F.mse_loss(...)) for dim=None; per-row RMSE checked by hand",
        example=_pair(2), extreme=_extreme,
        names={"zh-TW": "均方根誤差", "zh-CN": "均方根误差", "en": "Root mean squared error"},
        formula=r"\mathrm{RMSE}(x, y) = \sqrt{\tfrac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2}",
    ),
    Entry(
        id="mae", family="regression", fn=R.mae, grad=R.mae_grad, reference=F.l1_loss,
        example=_pair(3), extreme=_extreme,
        names={"zh-TW": "平均絕對誤差", "zh-CN": "平均绝对误差", "en": "Mean absolute error"},
        formula=r"\ell(x, y) = |x - y|",
    ),
    Entry(
        id="huber", family="regression", fn=R.huber, grad=R.huber_grad, reference=F.huber_loss,
        example=_with(_pair(4), delta=1.0), extreme=_extreme,
        names={"zh-TW": "Huber 損失", "zh-CN": "Huber 损失", "en": "Huber loss"},
        formula=(r"\ell_\delta(x, y) = \begin{cases} \tfrac12 (x-y)^2 & |x-y| \le \delta \\"
                 r" \delta\,(|x-y| - \tfrac12\delta) & \text{otherwise} \end{cases}"),
        params=(Param("delta", 1.0, 0.05, 5.0, 0.05, "width of the quadratic band"),),
    ),
    Entry(
        id="log_cosh", family="regression", fn=R.log_cosh, grad=R.log_cosh_grad, reference=None,
        reference_note=("no PyTorch loss; checked against torch.log(torch.cosh(d)) in float64 "
                        "where it does not overflow"),
        example=_pair(5), extreme=_extreme,
        names={"zh-TW": "Log-Cosh 損失", "zh-CN": "Log-Cosh 损失", "en": "Log-cosh loss"},
        formula=r"\ell(x, y) = \log\cosh(x - y)",
    ),
    Entry(
        id="quantile", family="regression", fn=R.quantile, grad=R.quantile_grad, reference=None,
        reference_note="no PyTorch loss; checked against sklearn.metrics.mean_pinball_loss",
        example=_with(_pair(6), q=0.7), extreme=_extreme,
        names={"zh-TW": "分位數損失（Pinball）", "zh-CN": "分位数损失（Pinball）",
               "en": "Quantile (pinball) loss"},
        formula=r"\ell_q(x, y) = \max\big(q\,(y - x),\ (q - 1)\,(y - x)\big)",
        params=(Param("q", 0.5, 0.05, 0.95, 0.05, "the quantile to estimate"),),
    ),
]
