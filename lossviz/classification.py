"""Classification losses: scores or probabilities against class labels.

Each function returns the unreduced loss reduced by ``reduction`` ('none' | 'mean' |
'sum'); every docstring says what ``'mean'`` divides by, because for cross entropy with
``weight`` or ``ignore_index`` it is *not* the plain average of the ``'none'`` values.
Each ``*_grad`` function takes the same arguments and returns d(reduced loss)/d(first
argument) in closed form (with ``'none'``: the gradient of ``loss.sum()``).

Stable identities used throughout (``softplus(z) = log(1 + e^z)``):

* ``-log sigmoid(x) = softplus(-x)``, ``-log(1 - sigmoid(x)) = softplus(x)``, computed as
  ``-logsigmoid(-x)``, which never forms ``e^x`` for large ``x``;
* ``log softmax(x)_j = (x_j - m) - log sum_k exp(x_k - m)`` with ``m = max x`` (log-sum-exp);
* ``1 - sigmoid(x) = sigmoid(-x)`` and ``1 - p = -expm1(log p)`` (no cancellation near 1).

The stable primitives live in :mod:`lossviz._stable`; ``sequence_ce`` (cross entropy over
tokens) lives in :mod:`lossviz.sequence`.

Why one module of ~590 lines: it is one family (the README's map: one module per family), and
each loss sits next to its closed-form gradient with long math docstrings; the cross-entropy
helpers (class dimension, weights, ignore_index) are shared by cross entropy, softmax focal
and multi-class hinge, which a split would scatter.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from . import _checks
from ._reduce import reduce, scale
from ._stable import (
    clamped_log,
    clamped_log1m,
    d_clamped_log,
    d_clamped_log1m,
    d_safe_pow,
    log_softmax,
    safe_pow,
    softplus,
)

__all__ = ["bce", "bce_grad", "bce_with_logits", "bce_with_logits_grad",
           "cross_entropy", "cross_entropy_grad", "focal", "focal_grad",
           "softmax_focal", "softmax_focal_grad", "hinge", "hinge_grad",
           "multiclass_hinge", "multiclass_hinge_grad", "nce", "nce_grad"]

# --- private checks (same message style as lossviz._checks) -------------------------
def _binary_pair(input: torch.Tensor, target: torch.Tensor, input_name: str = "input",
                 target_name: str = "target") -> None:
    _checks.pair(input_name, input, target_name, target)
    _checks.in_unit_interval(target_name, target)


# --- BCE on probabilities -------------------------------------------------------------
def _bce_inputs(input, target, weight):
    _binary_pair(input, target)
    _checks.in_unit_interval("input", input)
    if weight is not None:
        _checks.elementwise_weight("weight", weight, input)


def bce(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
        reduction: str = "mean") -> torch.Tensor:
    r"""Binary cross entropy on probabilities, like ``F.binary_cross_entropy``.

    Per element, with probability :math:`p` and target :math:`y \in [0, 1]`:
    :math:`\ell = -w\,[\,y \log p + (1 - y)\log(1 - p)\,]`.
    As in PyTorch each log is clamped at :math:`\ge -100`, so a confident wrong answer
    (p = 0 with y = 1) costs 100 instead of infinity.  ``weight`` (optional) broadcasts up
    to ``input``'s shape and must be non-negative (PyTorch accepts negative weights).
    ``'mean'`` averages over all elements.

    Gradient: :math:`\partial\ell/\partial p = w\,(p - y) / (p(1-p))`, computed term by term
    as :math:`w\,[-y/p + (1-y)/(1-p)]` where a clamped log contributes 0 — exactly the autograd
    gradient of this forward.  PyTorch's own backward instead divides by
    :math:`\max(p(1-p), 10^{-12})`, so the two differ only where :math:`p(1-p) < 10^{-12}`.
    Prefer :func:`bce_with_logits` in training: it never leaves the log domain.
    """
    _bce_inputs(input, target, weight)
    _checks.reduction(reduction)
    # PyTorch: loss = -(y * max(log p, -100) + (1 - y) * max(log1p(-p), -100))
    loss = -(target * clamped_log(input) + (1 - target) * clamped_log1m(input))
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


def bce_grad(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
             reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`bce`)/d(input) in closed form:
    :math:`w\,[-y/p + (1-y)/(1-p)] = w\,(p - y)/(p(1-p))`.

    A log clamped at −100 contributes 0 (exactly autograd of the forward); times the
    reduction's factor (1/n for ``'mean'``).
    """
    _bce_inputs(input, target, weight)
    _checks.reduction(reduction)
    # a clamped log contributes 0; p = 0 / p = 1 fall in the clamped case
    g = -(target * d_clamped_log(input) + (1 - target) * d_clamped_log1m(input))
    if weight is not None:
        g = g * weight
    return g * scale(input.numel(), reduction)


# --- BCE with logits ---------------------------------------------------------------
def _pos_weight(pos_weight, input):
    if pos_weight is None:
        return None
    if isinstance(pos_weight, torch.Tensor) and pos_weight.dim() > 0:
        return _checks.elementwise_weight("pos_weight", pos_weight, input)
    value = _checks.number("pos_weight", pos_weight, low=0)
    return torch.tensor(value, dtype=input.dtype, device=input.device)


def _bce_with_logits_inputs(input, target, weight, pos_weight):
    _binary_pair(input, target)
    if weight is not None:
        _checks.elementwise_weight("weight", weight, input)
    return _pos_weight(pos_weight, input)


def bce_with_logits(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
                    reduction: str = "mean", pos_weight: torch.Tensor | float | None = None) -> torch.Tensor:
    r"""Binary cross entropy on logits, like ``F.binary_cross_entropy_with_logits``.

    With :math:`\sigma` the sigmoid, logit :math:`x`, target :math:`y \in [0, 1]` and
    :math:`c = 1 + (\mathrm{pw} - 1)\,y`:
    :math:`\ell = -w\,[\,\mathrm{pw}\,y \log\sigma(x) + (1-y)\log(1-\sigma(x))\,]
    = w\,[\,(1-y)\,x + c\,\mathrm{softplus}(-x)\,]`.
    The second form (used here) is stable for any :math:`x` because
    :math:`-\log\sigma(x) = \mathrm{softplus}(-x)`; no probability is ever rounded to 0 or 1.
    ``pos_weight`` (pw) multiplies the positive term (pw > 1 boosts recall); it may be a
    tensor broadcasting to ``input`` (usually one value per class, last dim) or, as a
    convenience beyond PyTorch, a plain number.  ``weight``/``pos_weight`` must be
    non-negative and ``target`` must lie in [0, 1] (PyTorch checks neither).
    ``'mean'`` averages over all elements.

    Gradient: :math:`\partial\ell/\partial x = w\,[(1 - y) - c\,\sigma(-x)]
    = w\,[c\,\sigma(x) - \mathrm{pw}\,y]`; with pw = 1 the familiar :math:`w\,(\sigma(x) - y)`.
    """
    pw = _bce_with_logits_inputs(input, target, weight, pos_weight)
    _checks.reduction(reduction)
    c = 1 + (pw - 1) * target if pw is not None else torch.ones_like(target)
    loss = (1 - target) * input + c * softplus(-input)
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


def bce_with_logits_grad(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
                         reduction: str = "mean",
                         pos_weight: torch.Tensor | float | None = None) -> torch.Tensor:
    r"""d(:func:`bce_with_logits`)/d(input) in closed form:
    :math:`w\,[(1 - y) - c\,\sigma(-x)]`, :math:`c = 1 + (\mathrm{pw} - 1)\,y`.

    With pw = 1 the familiar :math:`w\,(\sigma(x) - y)`; times 1/n for ``'mean'``.
    """
    pw = _bce_with_logits_inputs(input, target, weight, pos_weight)
    _checks.reduction(reduction)
    c = 1 + (pw - 1) * target if pw is not None else torch.ones_like(target)
    # d/dx softplus(-x) = -sigmoid(-x)
    g = (1 - target) - c * torch.sigmoid(-input)
    if weight is not None:
        g = g * weight
    return g * scale(input.numel(), reduction)


# --- cross entropy -----------------------------------------------------------------
def _class_dim(input: torch.Tensor) -> int:
    return 0 if input.dim() == 1 else 1


def _cross_entropy_inputs(input, target, weight, ignore_index, label_smoothing):
    _checks.tensor("input", input)
    _checks.min_ndim("input", input, 1, "class scores: (C,), (N, C) or (N, C, d1, ...)")
    _checks.non_empty("input", input)
    cd = _class_dim(input)
    num_classes = input.shape[cd]
    _checks.tensor("target", target, floating=False)
    ignore_index = int(_checks.number("ignore_index", ignore_index, integer=True))
    label_smoothing = _checks.number("label_smoothing", label_smoothing, low=0, high=1)
    if weight is not None:
        _checks.class_vector("weight", weight, num_classes, input)
    if target.is_floating_point():
        _checks.same_shape("input", input, "target", target)
        _checks.same_dtype_device("input", input, "target", target)
        _checks.in_unit_interval("target", target)
        _checks.sums_to_one("target", target, cd)
    else:
        _checks.integer_tensor("target", target)
        _checks.same_shape("input without its class dimension", input.select(cd, 0), "target", target)
        _checks.same_device("input", input, "target", target)
        _checks.class_indices("target", target, num_classes, ignore_index)
    return cd, num_classes, ignore_index, label_smoothing


def _weight_view(weight, input, cd):
    shape = [1] * input.dim()
    shape[cd] = -1
    return weight.view(shape)


def _cross_entropy_terms(input, target, weight, ignore_index, label_smoothing, cd, num_classes):
    """Return (log p, q, wq_sum, keep, denom_for_mean).

    ``q`` is the smoothed target distribution, ``wq_sum = sum_c w_c q_c`` per element,
    ``keep`` the mask of elements that count (not ignored).
    """
    log_p = log_softmax(input, cd)
    eps = label_smoothing
    if target.is_floating_point():
        q = (1 - eps) * target + eps / num_classes
        keep = None
        denom = input.numel() // num_classes          # PyTorch: N = number of non-class elements
    else:
        keep = target != ignore_index
        safe_t = torch.where(keep, target, torch.zeros_like(target)).long()
        onehot = torch.zeros_like(input).scatter_(cd, safe_t.unsqueeze(cd), 1.0)
        q = (1 - eps) * onehot + eps / num_classes
        q = q * keep.unsqueeze(cd).to(input.dtype)
        if weight is not None:
            w_t = weight[safe_t] * keep.to(input.dtype)
            denom = w_t.sum()                          # sum of w_{y_n} over kept n
        else:
            denom = keep.sum().to(input.dtype)           # a float: 1/denom must not be float32
    wq = q * _weight_view(weight, input, cd) if weight is not None else q
    return log_p, q, wq, keep, denom


def cross_entropy(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> torch.Tensor:
    r"""Softmax cross entropy on logits, like ``F.cross_entropy`` (same values, same options).

    ``input`` holds logits of shape (C,), (N, C) or (N, C, d1, ...); the class dimension is
    dim 1 (dim 0 for a 1-D input).  ``target`` is either integer class indices with
    ``input``'s shape minus the class dimension, or class probabilities (float, same shape as
    ``input``, each distribution in [0, 1] summing to 1 — PyTorch does not check this).

    Per element :math:`n`, with :math:`p = \mathrm{softmax}(x_n)`, class weights :math:`w`
    (default 1) and the label-smoothed target
    :math:`q = (1-\varepsilon)\,\mathrm{onehot}(y_n) + \varepsilon/C`
    (for probability targets :math:`q = (1-\varepsilon)\,y_n + \varepsilon/C`):
    :math:`\ell_n = -\sum_c w_c\,q_c \log p_c`, and 0 where ``target == ignore_index``.
    ``log p`` is ``(x - max x) - logsumexp(x - max x)``, finite and accurate even for logits
    of ±1e4 in float32.

    ``'mean'`` follows PyTorch exactly: with class indices it divides the sum by
    :math:`\sum_n w_{y_n}` over the non-ignored elements (the count of non-ignored elements
    when ``weight`` is None), so it is **not** ``l.mean()`` once ``weight`` or
    ``ignore_index`` act; with probability targets it divides by N, the number of elements
    without the class dimension.

    Gradient with respect to the logits:
    :math:`\partial\ell_n/\partial x_j = \big(\sum_c w_c q_c\big)\,p_j - w_j q_j`,
    which without weights and smoothing is the famous :math:`p - \mathrm{onehot}(y)`.
    """
    cd, C, ignore_index, eps = _cross_entropy_inputs(input, target, weight, ignore_index, label_smoothing)
    _checks.reduction(reduction)
    if eps == 0 and not target.is_floating_point():
        # the common case, sparse: q is one-hot, so l_n = -w_{y_n} log p_{n, y_n} (a gather,
        # no dense one-hot target); same value and same autograd as the general form below
        keep = target != ignore_index
        safe_t = torch.where(keep, target, torch.zeros_like(target)).long()
        picked = log_softmax(input, cd).gather(cd, safe_t.unsqueeze(cd)).squeeze(cd)
        w_t = keep.to(input.dtype) if weight is None else weight[safe_t] * keep.to(input.dtype)
        loss = -(w_t * picked)
        return reduce(loss, reduction, w_t.sum())
    log_p, q, wq, keep, denom = _cross_entropy_terms(input, target, weight, ignore_index, eps, cd, C)
    loss = -(wq * log_p).sum(dim=cd)
    return reduce(loss, reduction, denom)


def cross_entropy_grad(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
                       ignore_index: int = -100, reduction: str = "mean",
                       label_smoothing: float = 0.0) -> torch.Tensor:
    r"""d(:func:`cross_entropy`)/d(input) in closed form:
    :math:`\big(\sum_c w_c q_c\big)\,p_j - w_j q_j` per element.

    Without weights and smoothing :math:`p - \mathrm{onehot}(y)`; 0 where ignored; ``'mean'``
    divides by the same denominator as the loss (:math:`\sum_n w_{y_n}` over kept elements).
    """
    cd, C, ignore_index, eps = _cross_entropy_inputs(input, target, weight, ignore_index, label_smoothing)
    _checks.reduction(reduction)
    log_p, q, wq, keep, denom = _cross_entropy_terms(input, target, weight, ignore_index, eps, cd, C)
    p = torch.exp(log_p)
    g = wq.sum(dim=cd, keepdim=True) * p - wq        # zero rows where ignored (q = 0 there)
    return g * scale(input.numel() // C, reduction, denom)


# --- sigmoid focal loss -------------------------------------------------------------
class _FocalTerms(NamedTuple):
    """What :func:`focal` and :func:`focal_grad` share (names as in focal's docstring)."""

    p: torch.Tensor        # sigmoid(x)
    p_neg: torch.Tensor    # sigmoid(-x) = 1 - p
    m: torch.Tensor        # 1 - p_t
    ce: torch.Tensor       # BCE with logits
    alpha_t: torch.Tensor | None  # None when alpha < 0 (no class weight)
    gamma: float


def _focal_terms(inputs, targets, alpha, gamma, reduction) -> _FocalTerms:
    """Validate the arguments; return the pieces of the value and the gradient."""
    _binary_pair(inputs, targets, "inputs", "targets")
    alpha = _checks.number("alpha", alpha, high=1)
    gamma = _checks.number("gamma", gamma, low=0)
    _checks.reduction(reduction)
    x, y = inputs, targets
    # 1 - p_t = y*(1 - p) + (1 - y)*p with 1 - sigmoid(x) = sigmoid(-x): no cancellation at |x| large
    p, p_neg = torch.sigmoid(x), torch.sigmoid(-x)
    m = y * p_neg + (1 - y) * p
    ce = (1 - y) * x + softplus(-x)                   # = BCE-with-logits, stable
    alpha_t = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else None
    return _FocalTerms(p, p_neg, m, ce, alpha_t, gamma)


def focal(inputs: torch.Tensor, targets: torch.Tensor, alpha: float = 0.25, gamma: float = 2.0,
          reduction: str = "mean") -> torch.Tensor:
    r"""Sigmoid focal loss (Lin et al. 2017), like ``torchvision.ops.sigmoid_focal_loss``.

    Same arguments, order and names as torchvision; the only difference is the default
    ``reduction='mean'`` (torchvision's default is ``'none'``).  ``'mean'`` averages over
    all elements.

    With :math:`p = \sigma(x)`, target :math:`y \in [0, 1]` (usually 0 or 1),
    :math:`1 - p_t = y\,\sigma(-x) + (1-y)\,\sigma(x)` (the stable form of
    :math:`1 - [p y + (1-p)(1-y)]`), :math:`\mathrm{CE}` the BCE-with-logits value and
    :math:`\alpha_t = \alpha y + (1-\alpha)(1-y)`:
    :math:`\ell = \alpha_t\,(1 - p_t)^\gamma\,\mathrm{CE}`.
    ``alpha < 0`` switches the class weight off (:math:`\alpha_t = 1`); ``alpha <= 1`` and
    ``gamma >= 0`` are required.  With ``gamma = 0`` and ``alpha < 0`` it is BCE with logits;
    since :math:`\alpha_t \le 1` and :math:`1 - p_t \le 1`, it is never above BCE.

    Gradient, with :math:`m = 1 - p_t`, :math:`dm/dx = (1 - 2y)\,p(1-p)` and
    :math:`d\mathrm{CE}/dx = p - y`:
    :math:`\partial\ell/\partial x = \alpha_t\,[\gamma m^{\gamma-1}\,(dm/dx)\,\mathrm{CE} + m^\gamma (p - y)]`
    (the first term taken as 0 where m = 0).
    """
    t = _focal_terms(inputs, targets, alpha, gamma, reduction)
    loss = safe_pow(t.m, t.gamma) * t.ce
    if t.alpha_t is not None:
        loss = t.alpha_t * loss
    return reduce(loss, reduction)


def focal_grad(inputs: torch.Tensor, targets: torch.Tensor, alpha: float = 0.25, gamma: float = 2.0,
               reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`focal`)/d(inputs) in closed form:
    :math:`\alpha_t\,[\gamma m^{\gamma-1}\,(dm/dx)\,\mathrm{CE} + m^\gamma (p - y)]`.

    :math:`m = 1 - p_t`, :math:`dm/dx = (1 - 2y)\,p(1-p)`; the first term is 0 where m = 0.
    """
    t = _focal_terms(inputs, targets, alpha, gamma, reduction)
    dm = (1 - 2 * targets) * t.p * t.p_neg             # p(1-p) = sigmoid(x)*sigmoid(-x)
    # p - y written as (1 - y) - sigmoid(-x) (stable when p rounds to 1)
    g = d_safe_pow(t.m, t.gamma) * dm * t.ce + safe_pow(t.m, t.gamma) * ((1 - targets) - t.p_neg)
    if t.alpha_t is not None:
        g = t.alpha_t * g
    return g * scale(inputs.numel(), reduction)


# --- softmax (multi-class) focal loss -----------------------------------------------
def _softmax_focal_inputs(input, target, alpha, gamma, ignore_index):
    _checks.tensor("input", input)
    _checks.min_ndim("input", input, 1, "class scores: (C,), (N, C) or (N, C, d1, ...)")
    _checks.non_empty("input", input)
    cd = _class_dim(input)
    C = input.shape[cd]
    _checks.integer_tensor("target", target)
    _checks.same_shape("input without its class dimension", input.select(cd, 0), "target", target)
    _checks.same_device("input", input, "target", target)
    ignore_index = int(_checks.number("ignore_index", ignore_index, integer=True))
    _checks.class_indices("target", target, C, ignore_index)
    gamma = _checks.number("gamma", gamma, low=0)
    if isinstance(alpha, torch.Tensor) and alpha.dim() > 0:
        _checks.class_vector("alpha", alpha, C, input)
    elif alpha is not None:
        alpha = _checks.number("alpha", alpha, low=0)
    return cd, alpha, gamma, ignore_index


def _softmax_focal_terms(input, target, alpha, ignore_index, cd):
    keep = target != ignore_index
    safe_t = torch.where(keep, target, torch.zeros_like(target)).long()
    log_p = log_softmax(input, cd)
    log_pt = log_p.gather(cd, safe_t.unsqueeze(cd)).squeeze(cd)
    u = -torch.expm1(log_pt)                          # 1 - p_t without cancellation near p_t = 1
    if isinstance(alpha, torch.Tensor):
        a = alpha[safe_t]
    elif alpha is None:
        a = torch.ones_like(log_pt)
    else:
        a = torch.full_like(log_pt, alpha)
    a = a * keep.to(input.dtype)                      # ignored elements weigh 0
    return log_p, log_pt, u, a, keep, safe_t


def softmax_focal(input: torch.Tensor, target: torch.Tensor, *, alpha: float | torch.Tensor | None = None,
                  gamma: float = 2.0, ignore_index: int = -100, reduction: str = "mean") -> torch.Tensor:
    r"""Multi-class (softmax) focal loss on logits; no PyTorch counterpart.

    Shapes as :func:`cross_entropy` with class-index targets.  With
    :math:`p = \mathrm{softmax}(x_n)` and :math:`p_t = p_{y_n}`:
    :math:`\ell_n = -\alpha_{y_n}\,(1 - p_t)^\gamma \log p_t`, 0 where ``target == ignore_index``.
    ``alpha`` is None (no weight), one non-negative number for every class, or a tensor of
    one weight per class.  ``gamma = 0`` with ``alpha=None`` is exactly cross entropy.
    :math:`1 - p_t` is computed as ``-expm1(log p_t)``.
    ``'mean'`` averages over the non-ignored elements (alpha is a factor, not a
    normaliser — unlike the ``weight`` of :func:`cross_entropy`).

    The ``FocalLoss`` class of study note 004 computes ``alpha * (1 - p_t)**gamma * CE`` with
    one scalar alpha for all classes, i.e. this loss with a float ``alpha``; there a scalar
    alpha merely rescales the loss (it balances nothing between classes).

    Gradient with respect to the logits, with
    :math:`g = \gamma (1-p_t)^{\gamma-1} p_t \log p_t - (1-p_t)^\gamma` (= d\ell/d\log p_t, ≤ 0):
    :math:`\partial\ell_n/\partial x_j = \alpha_{y_n}\, g\,(\mathrm{onehot}(y_n)_j - p_j)`.
    """
    cd, alpha, gamma, ignore_index = _softmax_focal_inputs(input, target, alpha, gamma, ignore_index)
    _checks.reduction(reduction)
    _, log_pt, u, a, keep, _ = _softmax_focal_terms(input, target, alpha, ignore_index, cd)
    loss = -a * safe_pow(u, gamma) * log_pt
    return reduce(loss, reduction, keep.sum().to(input.dtype))


def softmax_focal_grad(input: torch.Tensor, target: torch.Tensor, *,
                       alpha: float | torch.Tensor | None = None, gamma: float = 2.0,
                       ignore_index: int = -100, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`softmax_focal`)/d(input) in closed form:
    :math:`\alpha_{y_n}\, g\,(\mathrm{onehot}(y_n)_j - p_j)`.

    :math:`g = \gamma (1-p_t)^{\gamma-1} p_t \log p_t - (1-p_t)^\gamma`; 0 where ignored;
    ``'mean'`` divides by the number of non-ignored elements.
    """
    cd, alpha, gamma, ignore_index = _softmax_focal_inputs(input, target, alpha, gamma, ignore_index)
    _checks.reduction(reduction)
    log_p, log_pt, u, a, keep, safe_t = _softmax_focal_terms(input, target, alpha, ignore_index, cd)
    pt = torch.exp(log_pt)
    g = d_safe_pow(u, gamma) * pt * log_pt - safe_pow(u, gamma)   # d l / d log p_t (before alpha)
    onehot = torch.zeros_like(input).scatter_(cd, safe_t.unsqueeze(cd), 1.0)
    grad = (a * g).unsqueeze(cd) * (onehot - torch.exp(log_p))
    return grad * scale(input.numel() // input.shape[cd], reduction, keep.sum().to(input.dtype))


# --- binary hinge --------------------------------------------------------------------
def _hinge_inputs(input, target, margin):
    _checks.tensor("input", input)
    _checks.tensor("target", target, floating=False)
    _checks.same_shape("input", input, "target", target)
    _checks.same_device("input", input, "target", target)
    _checks.plus_minus_one("target", target)
    return _checks.number("margin", margin, low=0), target.to(input.dtype)


def hinge(input: torch.Tensor, target: torch.Tensor, *, margin: float = 1.0,
          reduction: str = "mean") -> torch.Tensor:
    r"""Binary hinge loss (the SVM loss) on scores with labels in {-1, +1}.

    Per element: :math:`\ell = \max(0,\ m - y\,x)` with margin :math:`m \ge 0` (default 1).
    Correct answers beyond the margin cost nothing and get no gradient; this is what makes
    an SVM depend on its support vectors only.  ``target`` may be float or integer but must
    hold only -1 and +1.  ``'mean'`` averages over all elements (with margin 1 this is
    ``sklearn.metrics.hinge_loss``).  PyTorch's ``F.hinge_embedding_loss`` is a different loss.

    Gradient: :math:`\partial\ell/\partial x = -y` where :math:`m - yx > 0`, else 0
    (0 at the kink, as autograd of ``relu``).
    """
    margin, y = _hinge_inputs(input, target, margin)
    _checks.reduction(reduction)
    return reduce(torch.relu(margin - y * input), reduction)


def hinge_grad(input: torch.Tensor, target: torch.Tensor, *, margin: float = 1.0,
               reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`hinge`)/d(input) in closed form:
    :math:`-y` where :math:`m - yx > 0`, else 0 (0 at the kink)."""
    margin, y = _hinge_inputs(input, target, margin)
    _checks.reduction(reduction)
    g = torch.where(margin - y * input > 0, -y, torch.zeros_like(y))
    return g * scale(input.numel(), reduction)


# --- multi-class hinge (multi-margin) --------------------------------------------------
def _multiclass_hinge_inputs(input, target, p, margin, weight):
    _checks.tensor("input", input)
    _checks.ndim("input", input, (1, 2))
    _checks.non_empty("input", input)
    C = input.shape[-1]
    _checks.integer_tensor("target", target)
    _checks.same_shape("input without its class dimension", input.select(-1, 0), "target", target)
    _checks.same_device("input", input, "target", target)
    _checks.class_indices("target", target, C)
    _checks.choice("p", p, (1, 2))
    margin = _checks.number("margin", margin, low=0)
    if weight is not None:
        _checks.class_vector("weight", weight, C, input)
    return int(p), margin, C


def _multiclass_hinge_terms(input, target, margin, weight, C):
    t = target.long().unsqueeze(-1)
    x_y = input.gather(-1, t)
    z = margin - x_y + input                          # z_i = margin - x_y + x_i
    others = torch.ones_like(input).scatter_(-1, t, 0.0)   # i != y
    w_y = weight[target.long()].unsqueeze(-1) if weight is not None else torch.ones_like(x_y)
    return t, z, others, w_y


def multiclass_hinge(input: torch.Tensor, target: torch.Tensor, p: int = 1, margin: float = 1.0,
                     weight: torch.Tensor | None = None, *, reduction: str = "mean") -> torch.Tensor:
    r"""Multi-class hinge (Crammer–Singer style, summed), like ``F.multi_margin_loss``.

    ``input`` holds scores of shape (N, C) or (C,); ``target`` class indices of shape (N,) or ().
    Per sample: :math:`\ell = \frac1C \sum_{i \ne y} w_y \max(0,\ m - x_y + x_i)^p`
    with :math:`p \in \{1, 2\}`, margin :math:`m \ge 0`, class weights :math:`w` (default 1).
    Every wrong class scoring within the margin of the true class is penalised.
    ``'mean'`` averages over the N samples (PyTorch also divides by N, not by the weights).

    Gradient, with :math:`z_i = m - x_y + x_i` and :math:`h_i = w_y\,p\,z_i^{p-1} [z_i > 0] / C`:
    :math:`\partial\ell/\partial x_i = h_i` for :math:`i \ne y` and
    :math:`\partial\ell/\partial x_y = -\sum_{i \ne y} h_i`.
    """
    p, margin, C = _multiclass_hinge_inputs(input, target, p, margin, weight)
    _checks.reduction(reduction)
    _, z, others, w_y = _multiclass_hinge_terms(input, target, margin, weight, C)
    terms = torch.relu(z) ** p * others
    loss = (w_y * terms).sum(-1) / C
    return reduce(loss, reduction)


def multiclass_hinge_grad(input: torch.Tensor, target: torch.Tensor, p: int = 1, margin: float = 1.0,
                          weight: torch.Tensor | None = None, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`multiclass_hinge`)/d(input) in closed form:
    :math:`h_i` for :math:`i \ne y`, :math:`-\sum_{i \ne y} h_i` for :math:`y`.

    :math:`h_i = w_y\,p\,z_i^{p-1} [z_i > 0] / C`, :math:`z_i = m - x_y + x_i`.
    """
    p, margin, C = _multiclass_hinge_inputs(input, target, p, margin, weight)
    _checks.reduction(reduction)
    t, z, others, w_y = _multiclass_hinge_terms(input, target, margin, weight, C)
    active = (z > 0).to(input.dtype) * others
    h = w_y * (p * torch.relu(z) ** (p - 1)) * active / C
    g = h - torch.zeros_like(h).scatter_(-1, t, h.sum(-1, keepdim=True))
    return g * scale(input.numel() // C, reduction)


# --- NCE / negative sampling -----------------------------------------------------------
def _nce_inputs(pos_scores, neg_scores):
    _checks.tensor("pos_scores", pos_scores)
    _checks.tensor("neg_scores", neg_scores)
    _checks.min_ndim("neg_scores", neg_scores, 1, "(..., K) scores of K negatives per positive")
    _checks.non_empty("neg_scores", neg_scores)
    _checks.same_shape("pos_scores", pos_scores, "neg_scores without its last dimension (K negatives)",
                       neg_scores.select(-1, 0))
    _checks.same_dtype_device("pos_scores", pos_scores, "neg_scores", neg_scores)


def nce(pos_scores: torch.Tensor, neg_scores: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Binary NCE / word2vec negative-sampling loss on raw scores; no PyTorch counterpart.

    ``pos_scores`` (N,) holds the score :math:`s^+_n` of each true pair (e.g. the dot
    product of a word and its context vector), ``neg_scores`` (N, K) the scores of K
    sampled noise pairs.  Per row:
    :math:`\ell_n = -\log\sigma(s^+_n) - \sum_{k=1}^{K} \log\sigma(-s^-_{n,k})
    = \mathrm{softplus}(-s^+_n) + \sum_k \mathrm{softplus}(s^-_{n,k})`,
    i.e. binary cross entropy with logits summed over "positive → 1, each negative → 0".
    ``'mean'`` averages over the N rows.

    Relation to NCE proper (Gutmann & Hyvärinen; Mnih & Teh): NCE classifies data against K
    noise samples from :math:`q` using the logit :math:`s - \log(K\,q(w))`, which makes the
    model's scores consistent estimates of normalised log-probabilities.  Word2vec's negative
    sampling (Mikolov et al. 2013) drops the :math:`\log(K q)` correction and uses the raw
    score — simpler, good for embeddings, but no longer a density estimator.  This function
    is the word2vec form; pass ``s - log(K*q)`` as scores to get NCE proper.

    Gradient: :math:`\partial\ell_n/\partial s^+_n = -\sigma(-s^+_n)` (and
    :math:`\sigma(s^-_{n,k})` for each negative; only the first argument's is returned).
    """
    _nce_inputs(pos_scores, neg_scores)
    _checks.reduction(reduction)
    loss = softplus(-pos_scores) + softplus(neg_scores).sum(-1)
    return reduce(loss, reduction)


def nce_grad(pos_scores: torch.Tensor, neg_scores: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`nce`)/d(pos_scores) in closed form:
    :math:`-\sigma(-s^+_n)` (times 1/N for ``'mean'``)."""
    _nce_inputs(pos_scores, neg_scores)
    _checks.reduction(reduction)
    return -torch.sigmoid(-pos_scores) * scale(pos_scores.numel(), reduction)
