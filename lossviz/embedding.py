"""Embedding (metric-learning and contrastive) losses: distances and similarities of vectors.

Each function returns the unreduced loss (one value per pair, triplet or query) reduced by
``reduction`` ('none' | 'mean' | 'sum').  Each ``*_grad`` function takes the same arguments
and returns d(reduced loss)/d(first argument) in closed form.
"""

from __future__ import annotations

import math

import torch

from . import _checks
from ._reduce import reduce, scale

__all__ = ["contrastive", "contrastive_grad", "triplet", "triplet_grad", "infonce", "infonce_grad",
           "bpr", "bpr_grad"]

# F.normalize divides by max(||x||, 1e-12); infonce does the same so that it matches it exactly
_NORMALIZE_EPS = 1e-12


# --- contrastive ---------------------------------------------------------------------
def _contrastive_inputs(x1, x2, label, margin, eps):
    _checks.tensor("x1", x1)
    _checks.ndim("x1", x1, (2,))
    _checks.pair("x1", x1, "x2", x2)
    _checks.tensor("label", label, floating=False)
    _checks.ndim("label", label, (1,))
    _checks.size("label", label, 0, x1.shape[0], "one label per row of x1")
    _checks.zero_one_labels("label", label)
    margin = _checks.number("margin", margin, low=0)
    eps = _checks.number("eps", eps, low=0)
    y = label.to(dtype=x1.dtype, device=x1.device)
    # the eps convention of F.pairwise_distance: d = ||x1 - x2 + eps||_2
    u = x1 - x2 + eps
    return u, y, margin


def contrastive(x1: torch.Tensor, x2: torch.Tensor, label: torch.Tensor, *, margin: float = 1.0,
                eps: float = 1e-6, reduction: str = "mean") -> torch.Tensor:
    r"""Contrastive loss of a Siamese pair (Hadsell, Chopra & LeCun 2006, without their ½).

    (Hadsell et al. write Y = 0 for a similar pair; here, as in the notes, y = 1 means similar.)

    ``x1``, ``x2``: embeddings of shape (N, D); ``label``: shape (N,), 1 = similar pair,
    0 = dissimilar pair (any other value is an error).  With
    :math:`d = \lVert x_1 - x_2 + \epsilon\rVert_2` (the ``eps`` convention of
    ``F.pairwise_distance``), per pair

    .. math:: \ell = y\,d^2 + (1 - y)\,\max(0,\ m - d)^2 .

    Similar pairs are pulled together; dissimilar pairs are pushed apart until they are at
    least ``margin`` away, after which they cost nothing.  ``'mean'`` averages over the N pairs
    (as the ``ContrastiveLoss`` class of the notes does).  Gradient with respect to ``x1``,
    :math:`u = x_1 - x_2 + \epsilon`:

    .. math:: \partial\ell/\partial x_1 = 2y\,u \;-\; 2(1-y)\,\max(0, m - d)\,u / d ,

    and 0 for a dissimilar pair at d = 0 (as autograd returns for the norm at 0).
    """
    u, y, margin = _contrastive_inputs(x1, x2, label, margin, eps)
    _checks.reduction(reduction)
    d2 = u.square().sum(-1)  # d^2 without a sqrt: smooth even at d = 0
    d = torch.linalg.vector_norm(u, dim=-1)
    loss = y * d2 + (1 - y) * torch.clamp_min(margin - d, 0).square()
    return reduce(loss, reduction)


def contrastive_grad(x1: torch.Tensor, x2: torch.Tensor, label: torch.Tensor, *, margin: float = 1.0,
                     eps: float = 1e-6, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`contrastive`)/d(x1) in closed form:
    :math:`2y\,u - 2(1-y)\,\max(0, m - d)\,u / d`, :math:`u = x_1 - x_2 + \epsilon`.

    0 for a dissimilar pair at d = 0 (as autograd of the norm).
    """
    u, y, margin = _contrastive_inputs(x1, x2, label, margin, eps)
    d = torch.linalg.vector_norm(u, dim=-1, keepdim=True)
    hinge = torch.clamp_min(margin - d, 0)
    push = torch.where(d > 0, hinge / d.clamp_min(torch.finfo(d.dtype).tiny), torch.zeros_like(d))
    y = y.unsqueeze(-1)
    g = 2 * y * u - 2 * (1 - y) * push * u
    return g * scale(u.shape[0], reduction)


# --- triplet -------------------------------------------------------------------------
def _triplet_inputs(anchor, positive, negative, margin, p, eps, swap):
    _checks.tensor("anchor", anchor)
    _checks.ndim("anchor", anchor, (1, 2))
    _checks.pair("anchor", anchor, "positive", positive)
    _checks.pair("anchor", anchor, "negative", negative)
    # F.triplet_margin_loss refuses margin <= 0 as well
    margin = _checks.number("margin", margin, low=0, low_open=True)
    p = _checks.number("p", p, low=0, low_open=True, high=math.inf, high_open=True)
    eps = _checks.number("eps", eps, low=0)
    _checks.flag("swap", swap)
    return margin, p, eps


def _lp(u: torch.Tensor, p: float) -> torch.Tensor:
    return torch.linalg.vector_norm(u, ord=p, dim=-1)


def _lp_grad(u: torch.Tensor, n: torch.Tensor, p: float) -> torch.Tensor:
    # grad_u ||u||_p = sign(u) |u|^(p-1) / ||u||_p^(p-1) = sign(u) (|u| / ||u||_p)^(p-1):
    # the ratio form never overflows; 0 where u_i = 0 (needed for p < 1) and where ||u|| = 0
    n = n.unsqueeze(-1)
    ratio = u.abs() / n.clamp_min(torch.finfo(u.dtype).tiny)
    g = torch.sign(u) * ratio.pow(p - 1)
    return torch.where((u != 0) & (n > 0), g, torch.zeros_like(g))


def triplet(anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, margin: float = 1.0,
            p: float = 2, eps: float = 1e-6, swap: bool = False, *, reduction: str = "mean") -> torch.Tensor:
    r"""Triplet margin loss, like ``F.triplet_margin_loss`` (same positional order and names).

    With :math:`d(x, y) = \lVert x - y + \epsilon\rVert_p` (``F.pairwise_distance``), per triplet

    .. math:: \ell = \max\big(0,\ d(a, p) - d(a, n) + m\big) ,

    i.e. the positive must be closer to the anchor than the negative by at least the margin m
    (Schroff et al. 2015, FaceNet).  With ``swap=True`` (Balntas et al. 2016) d(a, n) is
    replaced by :math:`\min(d(a, n), d(p, n))`, the smaller (harder) of the two negative
    distances.  Inputs: (N, D) or one triplet of shape (D,); all three the same shape (no
    broadcasting).  ``margin`` must be > 0 (PyTorch refuses margin <= 0 too), ``p`` > 0 and
    finite, ``eps`` >= 0.  ``'mean'`` averages over the N triplets.  Gradient with respect to
    the anchor, where the hinge is active (:math:`\ge 0`, as ``clamp_min`` in PyTorch's
    backward):

    .. math:: \partial\ell/\partial a = \nabla\lVert u_{ap}\rVert_p - [\text{d(a,n) used}]\,
              \nabla\lVert u_{an}\rVert_p ,\qquad
              \nabla_u\lVert u\rVert_p = \operatorname{sign}(u)\,|u|^{p-1} / \lVert u\rVert_p^{p-1}

    with :math:`u_{ap} = a - p + \epsilon`, :math:`u_{an} = a - n + \epsilon`.  When ``swap``
    picks d(p, n), the negative term does not depend on the anchor; at a tie d(a, n) = d(p, n)
    half of it is used (the subgradient autograd's ``min`` takes).
    """
    margin, p, eps = _triplet_inputs(anchor, positive, negative, margin, p, eps, swap)
    _checks.reduction(reduction)
    d_ap = _lp(anchor - positive + eps, p)
    d_an = _lp(anchor - negative + eps, p)
    if swap:
        d_an = torch.minimum(d_an, _lp(positive - negative + eps, p))
    return reduce(torch.clamp_min(d_ap - d_an + margin, 0), reduction)


def triplet_grad(anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, margin: float = 1.0,
                 p: float = 2, eps: float = 1e-6, swap: bool = False, *,
                 reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`triplet`)/d(anchor) in closed form:
    :math:`\nabla\lVert u_{ap}\rVert_p - [\text{d(a,n) used}]\,\nabla\lVert u_{an}\rVert_p`
    where the hinge is active.

    :math:`\nabla_u\lVert u\rVert_p = \operatorname{sign}(u)\,(|u|/\lVert u\rVert_p)^{p-1}`;
    half the negative term at a ``swap`` tie.
    """
    margin, p, eps = _triplet_inputs(anchor, positive, negative, margin, p, eps, swap)
    u_ap = anchor - positive + eps
    u_an = anchor - negative + eps
    d_ap, d_an = _lp(u_ap, p), _lp(u_an, p)
    neg, w_an = d_an, torch.ones_like(d_an)  # the negative distance used and how much d(a, n) enters it
    if swap:
        d_pn = _lp(positive - negative + eps, p)
        w_an = torch.where(d_an < d_pn, w_an, torch.where(d_an == d_pn, 0.5 * w_an, 0 * w_an))
        neg = torch.minimum(d_an, d_pn)
    active = (d_ap - neg + margin >= 0).to(anchor.dtype).unsqueeze(-1)
    g = _lp_grad(u_ap, d_ap, p) - w_an.unsqueeze(-1) * _lp_grad(u_an, d_an, p)
    numel = anchor.shape[0] if anchor.dim() == 2 else 1
    return active * g * scale(numel, reduction)


# --- InfoNCE -------------------------------------------------------------------------
def _infonce_inputs(query, positive_key, negative_keys, temperature, normalize):
    _checks.tensor("query", query)
    _checks.ndim("query", query, (2,))
    _checks.pair("query", query, "positive_key", positive_key)
    if negative_keys is not None:
        _checks.tensor("negative_keys", negative_keys)
        _checks.ndim("negative_keys", negative_keys, (2, 3))
        _checks.same_dtype_device("query", query, "negative_keys", negative_keys)
        _checks.size("negative_keys", negative_keys, -1, query.shape[1], "the embedding size D of query")
        if negative_keys.dim() == 3:
            _checks.size("negative_keys", negative_keys, 0, query.shape[0], "one row of K keys per query")
        _checks.non_empty("negative_keys", negative_keys)
    temperature = _checks.number("temperature", temperature, low=0, low_open=True)
    _checks.flag("normalize", normalize)
    return temperature


def _unit(x: torch.Tensor, normalize: bool):
    """(x / max(||x||, 1e-12), ||x||) along the last dim -- exactly F.normalize."""
    n = torch.linalg.vector_norm(x, dim=-1, keepdim=True)
    if not normalize:
        return x, n
    return x / n.clamp_min(_NORMALIZE_EPS), n


def _infonce_terms(query, positive_key, negative_keys, temperature, normalize):
    """q_hat, ||q||, k_hat, the normalized negatives (or None), logits (N, C), each positive's column."""
    q, qn = _unit(query, normalize)
    k, _ = _unit(positive_key, normalize)
    if negative_keys is None:
        # in-batch negatives: every other query's positive key; positives on the diagonal
        logits = q @ k.T / temperature
        target = torch.arange(q.shape[0], device=q.device)
        return q, qn, k, None, logits, target
    neg, _ = _unit(negative_keys, normalize)
    pos = (q * k).sum(-1, keepdim=True)
    negs = q @ neg.T if neg.dim() == 2 else torch.einsum("nd,nkd->nk", q, neg)
    logits = torch.cat([pos, negs], dim=1) / temperature
    target = torch.zeros(q.shape[0], dtype=torch.long, device=q.device)
    return q, qn, k, neg, logits, target


def infonce(query: torch.Tensor, positive_key: torch.Tensor, negative_keys: torch.Tensor | None = None, *,
            temperature: float = 0.1, normalize: bool = True, reduction: str = "mean") -> torch.Tensor:
    r"""InfoNCE (Oord et al. 2018), the loss of SimCLR, MoCo and CLIP.

    ``query`` and ``positive_key``: (N, D).  ``negative_keys``: (N, K, D) (K negatives per
    query), (K, D) (the same K negatives for every query), or ``None`` = in-batch negatives:
    the logits are the N×N matrix :math:`\hat q\,\hat k^\top/\tau` and query i's positive is
    key i (the diagonal), the other N − 1 keys its negatives.  With ``normalize=True``
    (default) every vector is divided by its L2 norm first (as ``F.normalize``), so the
    similarities are cosines.  Per query, with :math:`s_c` the similarity to candidate c
    (c = 0 the positive):

    .. math:: \ell = -\log\frac{e^{s_0/\tau}}{\sum_{c=0}^{K} e^{s_c/\tau}}
              = \operatorname{logsumexp}_c(s_c/\tau) - s_0/\tau ,

    exactly a (K+1)-way cross entropy whose correct class is the positive.  The log-sum-exp
    form stays finite at τ = 0.01 with cosines of ±1 (logits ±100).  ``temperature`` must be
    > 0; a small τ sharpens the softmax onto the hardest negatives.  ``'mean'`` averages over
    the N queries.  With K negatives drawn independently of the pair, Oord et al.'s bound
    :math:`I(q; k^+) \ge \log(K+1) - \mathbb E[\ell]` makes lowering the loss raise a lower
    bound on the mutual information (never above log(K+1)).

    Gradient with respect to the (normalized) query, with :math:`P_c` the softmax over the
    candidates: :math:`\partial\ell/\partial\hat q = (\sum_c P_c \hat k_c - \hat k_0)/\tau`
    ("what the model expects minus what is true"); through the normalization
    :math:`\partial\ell/\partial q = (I - \hat q\hat q^\top)\,(\partial\ell/\partial\hat q)
    / \lVert q\rVert` (only the part orthogonal to q̂ survives: scaling q changes nothing).
    """
    temperature = _infonce_inputs(query, positive_key, negative_keys, temperature, normalize)
    _checks.reduction(reduction)
    *_, logits, target = _infonce_terms(query, positive_key, negative_keys, temperature, normalize)
    loss = torch.logsumexp(logits, dim=1) - logits.gather(1, target.unsqueeze(1)).squeeze(1)
    return reduce(loss, reduction)


def infonce_grad(query: torch.Tensor, positive_key: torch.Tensor,
                 negative_keys: torch.Tensor | None = None, *, temperature: float = 0.1,
                 normalize: bool = True, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`infonce`)/d(query) in closed form:
    :math:`(I - \hat q\hat q^\top)\,(\sum_c P_c \hat k_c - \hat k_0)/(\tau\lVert q\rVert)`.

    Without ``normalize`` just :math:`(\sum_c P_c k_c - k_0)/\tau`; :math:`P` the softmax over
    the candidates.
    """
    temperature = _infonce_inputs(query, positive_key, negative_keys, temperature, normalize)
    q, qn, k, neg, logits, _ = _infonce_terms(query, positive_key, negative_keys, temperature, normalize)
    prob = torch.softmax(logits, dim=1)
    if neg is None:
        expected = prob @ k  # sum_c P_c k_c over the N in-batch keys
    elif neg.dim() == 2:
        expected = prob[:, :1] * k + prob[:, 1:] @ neg
    else:
        expected = prob[:, :1] * k + torch.einsum("nk,nkd->nd", prob[:, 1:], neg)
    g = (expected - k) / temperature  # d loss / d q_hat
    if normalize:
        # Jacobian of q / max(||q||, eps): (I - q_hat q_hat^T) / ||q||, or I / eps below eps
        radial = (g * q).sum(-1, keepdim=True)
        g = torch.where(qn >= _NORMALIZE_EPS, (g - q * radial) / qn.clamp_min(_NORMALIZE_EPS),
                        g / _NORMALIZE_EPS)
    return g * scale(query.shape[0], reduction)


# --- BPR -----------------------------------------------------------------------------
def _bpr_inputs(pos_score, neg_score):
    _checks.tensor("pos_score", pos_score)
    _checks.pair("pos_score", pos_score, "neg_score", neg_score)


def bpr(pos_score: torch.Tensor, neg_score: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Bayesian personalized ranking loss (Rendle et al. 2009).

    For a user, ``pos_score`` is the model's score of an item they interacted with and
    ``neg_score`` that of one they did not (same shape, one pair per element).  Per pair

    .. math:: \ell = -\log\sigma(s^+ - s^-) = \operatorname{softplus}(s^- - s^+) ,

    the BCE of "the positive ranks above the negative"; only the difference of the scores
    matters, and :math:`\ell(s^+, s^-) - \ell(s^-, s^+) = s^- - s^+`.  Computed as
    :math:`\log(e^{x} + e^{0}) = \max(x, 0) + \log(1 + e^{-|x|})`, :math:`x = s^- - s^+`,
    finite for differences of ±200 where :math:`\log\sigma` of the raw formula gives
    :math:`\log 0` in float32.  ``'mean'`` averages over all pairs (elements), as the
    recommender of the notes (``bpr_loss(pos_score, neg_score)``) does.
    Gradient: :math:`\partial\ell/\partial s^+ = -\sigma(s^- - s^+)` (and
    :math:`+\sigma(s^- - s^+)` for :math:`s^-`): large when the pair is mis-ranked, vanishing
    once it is ranked correctly by a wide margin.
    """
    _bpr_inputs(pos_score, neg_score)
    _checks.reduction(reduction)
    x = neg_score - pos_score
    # softplus(x) = log(e^x + e^0) = max(x, 0) + log1p(e^{-|x|}): logaddexp evaluates it this
    # way (no overflow, exact for all x; unlike F.softplus it has no linear cut-off at x > 20)
    # and its backward is sigmoid(x) everywhere, 1/2 at x = 0 included
    return reduce(torch.logaddexp(x, torch.zeros_like(x)), reduction)


def bpr_grad(pos_score: torch.Tensor, neg_score: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""d(:func:`bpr`)/d(pos_score) in closed form:
    :math:`-\sigma(s^- - s^+)` (times 1/n for ``'mean'``)."""
    _bpr_inputs(pos_score, neg_score)
    return -torch.sigmoid(neg_score - pos_score) * scale(pos_score.numel(), reduction)
